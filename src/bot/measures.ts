import type { Db } from '../db/database.js';

/**
 * The bot's measures over runs started in a period (pure aggregation over `bot_sessions` rows):
 * - containment: the share of runs the bot resolved without a person;
 * - hand-offs by reason;
 * - misunderstanding rate per node: messages not understood at the node ÷ customer turns there;
 * - business webhook failures (calls that took the error branch).
 */
export interface BotMeasures {
  runs: number;
  resolvedByBot: number;
  handedOff: number;
  stillRunning: number;
  /** resolvedByBot ÷ finished runs (resolved by the bot or handed off); null when none finished. */
  containment: number | null;
  handoffsByReason: Record<string, number>;
  nodes: Array<{ node: string; turns: number; misunderstood: number; rate: number | null }>;
  webhookFailures: number;
}

export interface MeasuredRun {
  status: string;
  handoffReason: string | null;
  missedByNode: Record<string, number>;
  turnsByNode: Record<string, number>;
  webhookFailures: number;
}

export function measure(runs: readonly MeasuredRun[]): BotMeasures {
  const byReason: Record<string, number> = {};
  const nodes = new Map<string, { turns: number; misunderstood: number }>();
  let resolvedByBot = 0;
  let handedOff = 0;
  let stillRunning = 0;
  let webhookFailures = 0;
  for (const r of runs) {
    if (r.status === 'resolved') resolvedByBot++;
    else if (r.status === 'handed_off') {
      handedOff++;
      const reason = r.handoffReason ?? 'unknown';
      byReason[reason] = (byReason[reason] ?? 0) + 1;
    } else if (r.status === 'active' || r.status === 'waiting_webhook') stillRunning++;
    webhookFailures += r.webhookFailures;
    for (const [node, n] of Object.entries(r.turnsByNode)) {
      const e = nodes.get(node) ?? { turns: 0, misunderstood: 0 };
      nodes.set(node, { ...e, turns: e.turns + n });
    }
    for (const [node, n] of Object.entries(r.missedByNode)) {
      const e = nodes.get(node) ?? { turns: 0, misunderstood: 0 };
      nodes.set(node, { ...e, misunderstood: e.misunderstood + n });
    }
  }
  const finished = resolvedByBot + handedOff;
  return {
    runs: runs.length,
    resolvedByBot,
    handedOff,
    stillRunning,
    containment: finished === 0 ? null : resolvedByBot / finished,
    handoffsByReason: byReason,
    nodes: [...nodes.entries()].map(([node, e]) => ({ node, ...e, rate: e.turns === 0 ? null : e.misunderstood / e.turns })).sort((a, b) => (b.rate ?? 0) - (a.rate ?? 0) || a.node.localeCompare(b.node)),
    webhookFailures,
  };
}

/** At most this many runs are read for one report; a longer period is narrowed by the caller. */
export const MEASURED_RUNS_LIMIT = 200_000;

export async function runsStartedBetween(db: Db, workspaceId: string, fromMs: number, toMs: number, flowId?: string): Promise<{ runs: MeasuredRun[]; truncated: boolean }> {
  let q = db
    .selectFrom('bot_sessions')
    .select(['status', 'handoff_reason', 'missed_by_node', 'turns_by_node', 'webhook_failures'])
    .where('workspace_id', '=', workspaceId)
    .where('started_at', '>=', fromMs)
    .where('started_at', '<', toMs);
  if (flowId) q = q.where('flow_id', '=', flowId);
  const rows = await q.limit(MEASURED_RUNS_LIMIT + 1).execute();
  return {
    runs: rows.slice(0, MEASURED_RUNS_LIMIT).map((r) => ({ status: r.status, handoffReason: r.handoff_reason, missedByNode: JSON.parse(r.missed_by_node) as Record<string, number>, turnsByNode: JSON.parse(r.turns_by_node) as Record<string, number>, webhookFailures: Number(r.webhook_failures) })),
    truncated: rows.length > MEASURED_RUNS_LIMIT,
  };
}
