import type { CycleMetrics } from './cycle-metrics.js';
/**
 * The metrics report, pure: resolved cycles grouped by the day they closed on, each figure summarised
 * as count, average, median and 90th percentile. Percentiles are by nearest rank (the smallest value
 * with at least p % of the values at or below it), so every figure is one a cycle really had. Figures a
 * cycle does not have (no first response; no business hours) are left out of that figure's count.
 */

/** What the report reads of a recorded cycle (ms). */
export type ReportCycle = { closedDay: string } & Pick<CycleMetrics, 'firstResponseMs' | 'firstResponseBusinessMs' | 'resolutionMs' | 'resolutionBusinessMs' | 'botMs' | 'botBusinessMs'>;

export interface Summary {
  count: number;
  avgMs: number | null;
  medianMs: number | null;
  p90Ms: number | null;
}

export interface DayReport {
  day: string;
  /** Cycles closed that day. */
  cycles: number;
  firstResponse: { wall: Summary; business: Summary };
  resolution: { wall: Summary; business: Summary };
  /** Resolution less the bot's time: the people's share of each cycle. */
  resolutionWithoutBot: { wall: Summary; business: Summary };
  bot: { wall: Summary; business: Summary };
}

export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export function summarise(values: ReadonlyArray<number | null>): Summary {
  const present = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (!present.length) return { count: 0, avgMs: null, medianMs: null, p90Ms: null };
  return { count: present.length, avgMs: Math.round(present.reduce((s, v) => s + v, 0) / present.length), medianMs: nearestRank(present, 50), p90Ms: nearestRank(present, 90) };
}

function report(day: string, cycles: readonly ReportCycle[]): DayReport {
  const pair = (wall: (c: ReportCycle) => number | null, business: (c: ReportCycle) => number | null) => ({ wall: summarise(cycles.map(wall)), business: summarise(cycles.map(business)) });
  return {
    day,
    cycles: cycles.length,
    firstResponse: pair((c) => c.firstResponseMs, (c) => c.firstResponseBusinessMs),
    resolution: pair((c) => c.resolutionMs, (c) => c.resolutionBusinessMs),
    resolutionWithoutBot: pair((c) => c.resolutionMs - c.botMs, (c) => (c.resolutionBusinessMs === null || c.botBusinessMs === null ? null : c.resolutionBusinessMs - c.botBusinessMs)),
    bot: pair((c) => c.botMs, (c) => c.botBusinessMs),
  };
}

/** One report per day with closed cycles, in day order, and one for the whole period (`day`: `total`). */
export function metricsReport(cycles: readonly ReportCycle[]): { days: DayReport[]; total: DayReport } {
  const byDay = new Map<string, ReportCycle[]>();
  for (const c of cycles) byDay.set(c.closedDay, [...(byDay.get(c.closedDay) ?? []), c]);
  const days = [...byDay.keys()].sort().map((day) => report(day, byDay.get(day)!));
  return { days, total: report('total', cycles) };
}
