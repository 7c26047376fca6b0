import type { GateRun } from './gates/run-gates.js';
import type { Verdict } from './gates/gate.js';

/**
 * A `reroute` verdict to a backup template (the template gate's answer for a paused, disabled or
 * rejected template with a backup): the same send with the backup's name and language. Pure.
 */
export function applyReroute(run: GateRun, payload: Record<string, unknown>): { payload: Record<string, unknown>; from: { name: string; language: string } } | undefined {
  const verdict = run.verdict;
  if (verdict.outcome !== 'reroute') return undefined;
  const to = verdict.to as { template?: { name: string; language: string } };
  if (!to.template) return undefined;
  const from = { name: String(payload.name), language: String((payload.language as { code?: string } | undefined)?.code ?? '') };
  return { payload: { ...payload, name: to.template.name, language: { ...(payload.language as object), code: to.template.language } }, from };
}

/**
 * A reroute to another channel (SMS, email) cannot be carried out: fallback channels are not part of this
 * version. The message is refused with that reason rather than sent through a template the provider
 * would refuse.
 */
export function unavailableChannel(verdict: Extract<Verdict, { outcome: 'reroute' }>): Extract<Verdict, { outcome: 'refuse' }> {
  const channel = String((verdict.to as { channel?: string }).channel ?? 'another channel');
  return { outcome: 'refuse', code: 'fallback_channel_unavailable', reason: `${verdict.reason}; but the ${channel} channel is not available in this Parley, so the message is not sent.` };
}
