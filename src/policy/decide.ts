import { REFUSAL_CODES, type RefusalCode, type RefusalSpec } from '../errors/refusal-codes.js';
import type { Gate, GateDecision, OutboundDraft, Verdict } from './gate.js';

export interface GateRun {
  decisions: GateDecision[];
  /** The first verdict that is not `pass`, or `pass` when every gate passed. */
  verdict: Verdict;
}

/** Applies gates in order to pre-loaded facts; stops at the first verdict that is not `pass`. Pure. */
export function decideAll(gates: readonly Gate<any, any>[], draft: OutboundDraft, facts: unknown[], now: number): GateRun {
  const decisions: GateDecision[] = [];
  for (const [i, gate] of gates.entries()) {
    const verdict = gate.decide(draft, facts[i], now);
    decisions.push({ gate: gate.name, verdict });
    if (verdict.outcome !== 'pass') return { decisions, verdict };
  }
  return { decisions, verdict: { outcome: 'pass' } };
}

/** A compact, JSON-friendly record of a gate run for the message's decision log. */
export const describeRun = (run: GateRun) =>
  run.decisions.map(({ gate, verdict }) => ({
    gate,
    outcome: verdict.outcome,
    ...('reason' in verdict ? { reason: verdict.reason } : {}),
    ...(verdict.outcome === 'refuse' ? { code: verdict.code } : {}),
    ...('note' in verdict && verdict.note ? { note: verdict.note } : {}),
    ...('until' in verdict ? { until: new Date(verdict.until).toISOString() } : {}),
  }));

/**
 * A reroute that cannot be carried out (another channel: fallback channels are not part of this
 * version) refuses the message with that reason rather than sending a template the provider would refuse.
 */
export function unavailableChannel(verdict: Extract<Verdict, { outcome: 'reroute' }>): Extract<Verdict, { outcome: 'refuse' }> {
  const channel = verdict.to.kind === 'channel' ? verdict.to.channel : 'another channel';
  return { outcome: 'refuse', code: 'fallback_channel_unavailable', reason: `${verdict.reason}; but the ${channel} channel is not available in this Parley, so the message is not sent.` };
}

/**
 * What becomes of a message given its gates' verdict, at accept and at dispatch alike:
 * - go: nothing stands in the way (accept queues or schedules it, dispatch sends it);
 * - hold: not before `until` (it waits in the queue);
 * - backup: send the backup template instead;
 * - end: never sent; it ends in `status` (`refused`, or `expired` for the code `expired`) with the code.
 */
export type Decision =
  | { kind: 'go' }
  | { kind: 'hold'; until: number; reason: string }
  | { kind: 'backup'; template: { name: string; language: string }; reason: string }
  | { kind: 'end'; status: RefusalSpec['ends']; code: RefusalCode; reason: string };

/**
 * The one mapping from a verdict to a decision. Pure. A reroute to another channel cannot be carried
 * out (`unavailableChannel`); nor can one asked of a backup that was itself the reroute (`rerouted`):
 * a backup is not rerouted again.
 */
export function decide(verdict: Verdict, rerouted = false): Decision {
  switch (verdict.outcome) {
    case 'pass':
      return { kind: 'go' };
    case 'hold':
      return { kind: 'hold', until: verdict.until, reason: verdict.reason };
    case 'refuse':
      return { kind: 'end', status: REFUSAL_CODES[verdict.code].ends, code: verdict.code, reason: verdict.reason };
    case 'reroute':
      if (verdict.to.kind === 'template' && !rerouted) return { kind: 'backup', template: verdict.to.template, reason: verdict.reason };
      return decide(unavailableChannel(verdict));
  }
}

/** The status a message is stored with after its decision: its end, or `waiting` (queued or scheduled). Pure. */
export function statusOfDecision<W extends string>(decision: Decision, waiting: W): W | RefusalSpec['ends'] {
  return decision.kind === 'end' ? decision.status : waiting;
}
