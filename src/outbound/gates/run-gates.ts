import type { ParleyContext } from '../../runtime/context.js';
import type { Gate, GateDecision, OutboundDraft, Verdict } from './gate.js';

export interface GateRun {
  decisions: GateDecision[];
  /** The first verdict that is not `pass`, or `pass` when every gate passed. */
  verdict: Verdict;
}

/** Pure: applies gates in order to pre-loaded facts; stops at the first verdict that is not `pass`. */
export function decideAll(gates: readonly Gate<any>[], draft: OutboundDraft, facts: unknown[], now: number): GateRun {
  const decisions: GateDecision[] = [];
  for (const [i, gate] of gates.entries()) {
    const verdict = gate.decide(draft, facts[i], now);
    decisions.push({ gate: gate.name, verdict });
    if (verdict.outcome !== 'pass') return { decisions, verdict };
  }
  return { decisions, verdict: { outcome: 'pass' } };
}

export async function runGates(ctx: ParleyContext, gates: readonly Gate<any>[], draft: OutboundDraft, now: number): Promise<GateRun> {
  const facts = await Promise.all(gates.map((g) => g.load(ctx, draft)));
  return decideAll(gates, draft, facts, now);
}

/** Runs the gates for a whole batch, loading each gate's facts once for all drafts when it can. */
export async function runGatesMany(ctx: ParleyContext, gates: readonly Gate<any>[], drafts: OutboundDraft[], now: number): Promise<GateRun[]> {
  if (drafts.length === 0) return [];
  const factsByGate = await Promise.all(gates.map((g) => (g.loadMany ? g.loadMany(ctx, drafts) : Promise.all(drafts.map((d) => g.load(ctx, d))))));
  return drafts.map((draft, d) => decideAll(gates, draft, factsByGate.map((f) => f[d]), now));
}

/** A compact, JSON-friendly record of a gate run for the message's decision log. */
export const describeRun = (run: GateRun) =>
  run.decisions.map(({ gate, verdict }) => ({
    gate,
    outcome: verdict.outcome,
    ...('reason' in verdict ? { reason: verdict.reason } : {}),
    ...('code' in verdict ? { code: verdict.code } : {}),
    ...('note' in verdict && verdict.note ? { note: verdict.note } : {}),
    ...('until' in verdict ? { until: new Date(verdict.until).toISOString() } : {}),
  }));
