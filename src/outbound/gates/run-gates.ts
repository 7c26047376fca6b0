import type { ParleyContext } from '../../runtime/context.js';
import { decideAll, type GateRun } from '../../policy/decide.js';
import type { Gate, OutboundDraft } from './gate.js';

/** Loads each gate's facts for one draft, then decides (policy/decide.ts). */
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
