import { DAY, MINUTE } from '../shared/time.js';

/**
 * Business hours, pure: when a workspace is open, and how much open time lies between two instants.
 * Used by the conversation metrics (figures in business hours) and by SLA targets counted in business
 * hours (`sla-evaluation.ts`). No dependency: time-zone offsets come from `Intl.DateTimeFormat`.
 *
 * Terms
 * - local date: a calendar date (`YYYY-MM-DD`) in the calendar's IANA time zone.
 * - open interval: minutes from local midnight, `[start, end)`, `0 <= start < end <= 1440`. An interval
 *   that crosses midnight (22:00–02:00) is stored as two: 22:00–24:00 on its day and 00:00–02:00 on
 *   the next weekday (`parseWeek` does the split).
 * - holiday: a local date that is closed all day, from its 00:00 to 24:00, the tail of an overnight
 *   interval begun the day before included.
 * - business ms: milliseconds of real time inside open intervals. On a daylight-saving day a local
 *   09:00–17:00 lasts 8 real hours unless a change falls inside it (then 7 or 9): time is counted as
 *   it passes, not as the clock on the wall shows it. A boundary that falls in the gap of a spring-forward
 *   change moves forward by the gap (02:30 becomes 03:30); one in the repeated hour of a fall-back
 *   change is its first occurrence.
 */

export interface OpenInterval {
  /** Minutes from local midnight, inclusive. */
  start: number;
  /** Minutes from local midnight, exclusive; at most 1440. */
  end: number;
}

export interface BusinessCalendar {
  /** IANA time zone (`Europe/Berlin`). */
  timeZone: string;
  /** Open intervals per weekday, Sunday first (index 0 = Sunday, as `Date.getUTCDay`). */
  week: ReadonlyArray<readonly OpenInterval[]>;
  /** Closed local dates, `YYYY-MM-DD`. */
  holidays: ReadonlySet<string>;
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** How far `addBusinessMs` looks for open time before answering "never" (a calendar that is all holidays). */
const SEARCH_LIMIT_DAYS = 3 * 366;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock fields at instant `t` in the zone. */
function wallFields(timeZone: string, t: number): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(t)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { y: out.year!, m: out.month!, d: out.day!, h: out.hour!, min: out.minute!, s: out.second! };
}

/** The zone's offset from UTC at instant `t`, in ms (Berlin in winter: +3 600 000). */
export function zoneOffset(timeZone: string, t: number): number {
  const w = wallFields(timeZone, t);
  const asUtc = Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s);
  return asUtc - (t - (((t % 1000) + 1000) % 1000));
}

/** A local date as a day number (days since 1970-01-01), the unit the day walk counts in. */
const dayNumber = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / DAY;

const dayOf = (timeZone: string, t: number): number => {
  const w = wallFields(timeZone, t);
  return dayNumber(w.y, w.m, w.d);
};

/** The local date (`YYYY-MM-DD`) of instant `t` in the zone. */
export function localDate(timeZone: string, t: number): string {
  return new Date(dayOf(timeZone, t) * DAY).toISOString().slice(0, 10);
}

/**
 * The instant at which the local wall clock of day `day` shows `minutes` after midnight (1440: the
 * next day's midnight). Gaps move forward, repeated times take their first occurrence (see above).
 */
export function localInstant(timeZone: string, day: number, minutes: number): number {
  const wall = day * DAY + minutes * MINUTE;
  // The offsets in force a day before and a day after: a zone changes at most once within two days.
  const before = zoneOffset(timeZone, wall - DAY);
  const after = zoneOffset(timeZone, wall + DAY);
  const valid = [wall - before, wall - after].filter((t, i) => zoneOffset(timeZone, t) === (i === 0 ? before : after));
  if (valid.length) return Math.min(...valid);
  return wall - before;
}

/** The day's open intervals as instants, in order: none on a holiday. */
function openSpans(calendar: BusinessCalendar, day: number): Array<[number, number]> {
  const date = new Date(day * DAY);
  if (calendar.holidays.has(date.toISOString().slice(0, 10))) return [];
  const intervals = calendar.week[date.getUTCDay()] ?? [];
  return intervals.map((i) => [localInstant(calendar.timeZone, day, i.start), localInstant(calendar.timeZone, day, i.end)] as [number, number]).sort((a, b) => a[0] - b[0]);
}

const isNeverOpen = (calendar: BusinessCalendar) => calendar.week.every((day) => day.length === 0);

/** Business ms in `[from, to)`: 0 when `to <= from` or the calendar is never open. */
export function businessMsBetween(calendar: BusinessCalendar, from: number, to: number): number {
  if (to <= from || isNeverOpen(calendar)) return 0;
  let total = 0;
  // A day's intervals lie within its local midnight-to-midnight, so the days of `from` and `to` bound the walk.
  for (let day = dayOf(calendar.timeZone, from); day <= dayOf(calendar.timeZone, to); day++) {
    for (const [a, b] of openSpans(calendar, day)) total += Math.max(0, Math.min(b, to) - Math.max(a, from));
  }
  return total;
}

/**
 * The instant at which `ms` business ms have passed since `from` (a due time), or null when the
 * calendar has no open time ahead (never open, or closed for as far as it is searched). `ms <= 0`: `from`.
 */
export function addBusinessMs(calendar: BusinessCalendar, from: number, ms: number): number | null {
  if (ms <= 0) return from;
  if (isNeverOpen(calendar)) return null;
  let remaining = ms;
  const first = dayOf(calendar.timeZone, from);
  for (let day = first; day <= first + SEARCH_LIMIT_DAYS; day++) {
    for (const [a, b] of openSpans(calendar, day)) {
      const start = Math.max(a, from);
      if (b <= start) continue;
      if (remaining <= b - start) return start + remaining;
      remaining -= b - start;
    }
  }
  return null;
}

/** Whether instant `t` is inside an open interval. */
export function isOpenAt(calendar: BusinessCalendar, t: number): boolean {
  return openSpans(calendar, dayOf(calendar.timeZone, t)).some(([a, b]) => a <= t && t < b);
}

/** Business hours as a workspace writes them: `HH:MM` intervals per weekday, an end at or before the start crosses midnight. */
export interface BusinessHoursSetting {
  timeZone: string;
  week: Partial<Record<Weekday, ReadonlyArray<{ readonly start: string; readonly end: string }>>>;
  holidays: readonly string[];
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const minutesOf = (hhmm: string): number | null => {
  const m = HHMM.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : hhmm === '24:00' ? 1440 : null;
};
const isDate = (s: string) => DATE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

/**
 * Checks a setting and builds its calendar: an error names the field (`/week/mon/0`) and what is wrong.
 * Intervals of one weekday must not overlap (after the overnight ones are split).
 */
export function parseBusinessHours(setting: BusinessHoursSetting): { ok: true; calendar: BusinessCalendar } | { ok: false; field: string; message: string } {
  if (!isTimeZone(setting.timeZone)) return { ok: false, field: '/timeZone', message: `Unknown time zone "${setting.timeZone}": use an IANA name such as Europe/Berlin.` };
  const week: OpenInterval[][] = WEEKDAYS.map(() => []);
  for (const [index, name] of WEEKDAYS.entries()) {
    for (const [i, interval] of (setting.week[name] ?? []).entries()) {
      const start = minutesOf(interval.start);
      const end = minutesOf(interval.end);
      if (start === null || start === 1440 || end === null) return { ok: false, field: `/week/${name}/${i}`, message: 'Give times as HH:MM (00:00 to 23:59; 24:00 as an end).' };
      if (end === start) return { ok: false, field: `/week/${name}/${i}`, message: 'An interval must not be empty; for a whole day use 00:00–24:00.' };
      if (end > start) week[index]!.push({ start, end });
      else {
        week[index]!.push({ start, end: 1440 });
        if (end > 0) week[(index + 1) % 7]!.push({ start: 0, end });
      }
    }
  }
  for (const [index, intervals] of week.entries()) {
    intervals.sort((a, b) => a.start - b.start);
    for (let i = 1; i < intervals.length; i++) {
      if (intervals[i]!.start < intervals[i - 1]!.end) return { ok: false, field: `/week/${WEEKDAYS[index]}`, message: 'Open intervals of one day overlap (an overnight interval counts on the next day too).' };
    }
  }
  for (const [i, date] of setting.holidays.entries()) if (!isDate(date)) return { ok: false, field: `/holidays/${i}`, message: 'Give a holiday as a date, YYYY-MM-DD.' };
  return { ok: true, calendar: { timeZone: setting.timeZone, week, holidays: new Set(setting.holidays) } };
}
