import { addBusinessMs, businessMsBetween, type BusinessCalendar } from './business-hours.js';
import { subtract, union, type CycleTimeline, type Span } from './cycle-timeline.js';

/**
 * SLA clocks, pure: a policy's targets against a cycle's timeline at `now`.
 *
 * Terms
 * - target: first response (cycle start → first public reply by a person), next response (a customer
 *   message after that → the next reply by a person; each such wait is timed on its own), resolution
 *   (cycle start → resolution).
 * - clock: the time a target has used: the span from its start to its stop (or now), less the pauses
 *   (while snoozed, and while the bot owns the conversation), in wall-clock ms or, for a business-hours
 *   policy, in business ms of the workspace's calendar.
 * - due: the instant the clock reaches the target (null while it is paused, when it cannot be known);
 *   near: the instant it reaches `nearBreachRatio` of it.
 * - status: `met` (stopped in time), `breached` (reached the target, stopped or not), `near_breach`
 *   (running, past the near point), `paused`, `running`, `inactive` (nothing to time now: a next
 *   response before the first reply or while nothing waits, or a business-hours policy in a workspace
 *   without business hours).
 */

export const SLA_TARGET_KINDS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaTargetKind = (typeof SLA_TARGET_KINDS)[number];
export const SLA_STATUSES = ['met', 'running', 'paused', 'near_breach', 'breached', 'inactive'] as const;
export type SlaStatus = (typeof SLA_STATUSES)[number];

/** What evaluation reads of a policy; a target left null is not set. */
export interface SlaTargets {
  firstResponseMs: number | null;
  nextResponseMs: number | null;
  resolutionMs: number | null;
  businessHours: boolean;
  /** The share of a target after which it is near breach, 0 < ratio < 1. */
  nearBreachRatio: number;
}

export interface SlaTargetStatus {
  kind: SlaTargetKind;
  status: SlaStatus;
  targetMs: number;
  /** The clock: ms used (business ms for a business-hours policy). */
  elapsedMs: number;
  dueAt: number | null;
  nearAt: number | null;
}

interface Measure {
  between(from: number, to: number): number;
  /** The instant `ms` after `from`, or null when never. */
  add(from: number, ms: number): number | null;
}

const wallMeasure: Measure = { between: (from, to) => Math.max(0, to - from), add: (from, ms) => from + ms };
const businessMeasure = (calendar: BusinessCalendar): Measure => ({ between: (from, to) => businessMsBetween(calendar, from, to), add: (from, ms) => addBusinessMs(calendar, from, ms) });

/** Where the clock over `active` spans reaches `ms`; past the last span, from `now` if the clock runs on. */
function reach(measure: Measure, active: readonly Span[], ms: number, runsOnFrom: number | null): number | null {
  let used = 0;
  for (const s of active) {
    const m = measure.between(s.from, s.to);
    if (used + m >= ms) return measure.add(s.from, ms - used);
    used += m;
  }
  return runsOnFrom === null ? null : measure.add(runsOnFrom, ms - used);
}

/** One clock, from `start` to `stop` (null: still running at `now`). */
function clock(measure: Measure, pauses: readonly Span[], pausedNow: boolean, start: number, stop: number | null, now: number, targetMs: number, ratio: number): Omit<SlaTargetStatus, 'kind'> {
  const active = subtract(start, stop ?? now, pauses);
  const elapsedMs = active.reduce((sum, s) => sum + measure.between(s.from, s.to), 0);
  const runsOnFrom = stop === null && !pausedNow ? now : null;
  const nearMs = Math.floor(targetMs * ratio);
  const dueAt = reach(measure, active, targetMs, runsOnFrom);
  const nearAt = reach(measure, active, nearMs, runsOnFrom);
  let status: SlaStatus;
  if (stop !== null) status = elapsedMs > targetMs ? 'breached' : 'met';
  else if (elapsedMs >= targetMs) status = 'breached';
  else if (elapsedMs >= nearMs) status = 'near_breach';
  else status = pausedNow ? 'paused' : 'running';
  return { status, targetMs, elapsedMs, dueAt, nearAt };
}

/**
 * The status of each target the policy sets, for the cycle at `now`. A business-hours policy needs the
 * workspace's calendar: without one its targets are `inactive`.
 */
export function evaluateSla(targets: SlaTargets, calendar: BusinessCalendar | null, t: CycleTimeline, now: number): SlaTargetStatus[] {
  const out: SlaTargetStatus[] = [];
  const set: Array<[SlaTargetKind, number | null]> = [['first_response', targets.firstResponseMs], ['next_response', targets.nextResponseMs], ['resolution', targets.resolutionMs]];
  const inactive = (kind: SlaTargetKind, targetMs: number): SlaTargetStatus => ({ kind, status: 'inactive', targetMs, elapsedMs: 0, dueAt: null, nearAt: null });
  if (targets.businessHours && !calendar) return set.filter(([, ms]) => ms !== null).map(([kind, ms]) => inactive(kind, ms!));
  const measure = targets.businessHours && calendar ? businessMeasure(calendar) : wallMeasure;
  const pauses = union([...t.botSpans, ...t.snoozeSpans]);
  const pausedNow = t.botOwnsAtEnd || t.snoozedAtEnd;
  const run = (start: number, stop: number | null, targetMs: number) => clock(measure, pauses, pausedNow, start, stop, now, targetMs, targets.nearBreachRatio);
  for (const [kind, targetMs] of set) {
    if (targetMs === null) continue;
    if (kind === 'first_response') out.push({ kind, ...run(t.startedAt, t.firstHumanReplyAt ?? t.resolvedAt, targetMs) });
    else if (kind === 'resolution') out.push({ kind, ...run(t.startedAt, t.resolvedAt, targetMs) });
    else {
      const waits = t.waits.map((w) => run(w.from, w.open ? null : w.to, targetMs));
      const worst = waits.find((w) => w.status === 'breached') ?? waits.find((w) => w.status !== 'met') ?? waits.at(-1);
      out.push(worst ? { kind, ...worst } : inactive(kind, targetMs));
    }
  }
  return out;
}
