import { businessMsBetween, type BusinessCalendar } from './business-hours.js';
import { cycleTimeline, subtract, type CycleEvent, type Span } from './cycle-timeline.js';

/**
 * The metrics of one resolution cycle, pure. The definitions (also in docs/conversations.md, "Metrics"):
 *
 * - first response time = the cycle's first public reply by a person − max(cycle start, hand-off to a
 *   human). Null when no person replied in the cycle (the bot resolved it, or nobody answered).
 * - resolution time = resolution − cycle start. A reopened conversation is a new cycle with its own
 *   start, so a reopening never stretches the previous cycle's figure.
 * - bot time = the time the bot owned the conversation within the cycle, reported apart (resolution
 *   time includes it; `resolution − bot` is the people's share).
 * - snoozed time = the time it was snoozed while people (not the bot) held it, so bot and snoozed time
 *   never overlap.
 *
 * Each figure in wall-clock ms and in business ms (the open time of the workspace's business hours
 * within the same spans); business figures are null when the workspace has no business hours.
 */
export interface CycleMetrics {
  startedAt: number;
  resolvedAt: number;
  firstResponseAt: number | null;
  firstResponseMs: number | null;
  firstResponseBusinessMs: number | null;
  resolutionMs: number;
  resolutionBusinessMs: number | null;
  botMs: number;
  botBusinessMs: number | null;
  snoozedMs: number;
  snoozedBusinessMs: number | null;
}

/** The metrics of a resolved cycle, or null when its events hold no resolution. */
export function cycleMetrics(startedAt: number, events: readonly CycleEvent[], calendar: BusinessCalendar | null): CycleMetrics | null {
  const t = cycleTimeline(startedAt, events, Number.MAX_SAFE_INTEGER);
  if (t.resolvedAt === null) return null;
  const wall = (spans: readonly Span[]) => spans.reduce((sum, s) => sum + Math.max(0, s.to - s.from), 0);
  const business = (spans: readonly Span[]) => (calendar ? spans.reduce((sum, s) => sum + businessMsBetween(calendar, s.from, s.to), 0) : null);
  const cycle = { from: startedAt, to: t.resolvedAt };
  const bot = t.botSpans.map((s) => ({ from: Math.max(s.from, cycle.from), to: Math.min(s.to, cycle.to) }));
  const snoozedByPeople = t.snoozeSpans.flatMap((s) => subtract(Math.max(s.from, cycle.from), Math.min(s.to, cycle.to), bot));
  const reply = t.firstHumanReplyAt;
  const waited = reply === null ? null : [{ from: Math.min(reply, Math.max(startedAt, t.handoffAt ?? startedAt)), to: reply }];
  return {
    startedAt,
    resolvedAt: t.resolvedAt,
    firstResponseAt: reply,
    firstResponseMs: waited && wall(waited),
    firstResponseBusinessMs: waited && business(waited),
    resolutionMs: wall([cycle]),
    resolutionBusinessMs: business([cycle]),
    botMs: wall(bot),
    botBusinessMs: business(bot),
    snoozedMs: wall(snoozedByPeople),
    snoozedBusinessMs: business(snoozedByPeople),
  };
}
