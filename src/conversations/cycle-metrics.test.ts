import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOUR, MINUTE } from '../shared/time.js';
import { parseBusinessHours, type BusinessCalendar } from './business-hours.js';
import { cycleMetrics } from './cycle-metrics.js';
import type { CycleEvent } from './cycle-timeline.js';

// Thursday 2026-01-15 09:00 in Berlin (UTC+1).
const T0 = Date.UTC(2026, 0, 15, 8);
const at = (minutes: number) => T0 + minutes * MINUTE;
const ev = (type: string, minutes: number, data?: Record<string, unknown>): CycleEvent => ({ type: `conversation.${type}`, at: at(minutes), ...(data ? { data } : {}) });
const human = (minutes: number) => ev('message_out', minutes, { human: true });

const nineToFive = (): BusinessCalendar => {
  const day: Array<{ start: string; end: string }> = [{ start: '09:00', end: '17:00' }];
  const parsed = parseBusinessHours({ timeZone: 'Europe/Berlin', week: { mon: day, tue: day, wed: day, thu: day, fri: day }, holidays: [] });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.calendar;
};

describe('cycle metrics', () => {
  it('first response from the cycle start, resolution from the cycle start, nothing of the bot', () => {
    const m = cycleMetrics(at(0), [ev('opened', 0), ev('message_in', 0), ev('assigned', 5), human(12), ev('message_in', 20), human(25), ev('resolved', 60)], null)!;
    assert.equal(m.firstResponseMs, 12 * MINUTE);
    assert.equal(m.firstResponseAt, at(12));
    assert.equal(m.resolutionMs, 60 * MINUTE);
    assert.equal(m.botMs, 0);
    assert.equal(m.snoozedMs, 0);
    assert.equal(m.firstResponseBusinessMs, null, 'no business hours: no business figures');
  });

  it('a cycle that is not resolved has no metrics yet', () => {
    assert.equal(cycleMetrics(at(0), [ev('opened', 0), human(3)], null), null);
  });

  it('first response counts from the hand-off when the bot held the conversation first; the bot time is reported apart', () => {
    const m = cycleMetrics(at(0), [ev('opened', 0), ev('bot_took', 0), ev('message_out', 1, { human: false }), ev('handed_off', 30), ev('assigned', 31), human(40), ev('resolved', 90)], null)!;
    assert.equal(m.firstResponseMs, 10 * MINUTE, 'from the hand-off at 30 to the reply at 40');
    assert.equal(m.botMs, 30 * MINUTE);
    assert.equal(m.resolutionMs, 90 * MINUTE, 'the resolution time covers the whole cycle, bot included');
  });

  it('an assignment or escalation also ends the bot\'s time; a reply while the bot still owns it is a first response of zero', () => {
    const escalated = cycleMetrics(at(0), [ev('bot_took', 0), ev('escalated', 20), human(26), ev('resolved', 30)], null)!;
    assert.equal(escalated.firstResponseMs, 6 * MINUTE);
    assert.equal(escalated.botMs, 20 * MINUTE);
    const inPlace = cycleMetrics(at(0), [ev('bot_took', 0), human(15), ev('resolved', 30)], null)!;
    assert.equal(inPlace.firstResponseMs, 0);
    assert.equal(inPlace.botMs, 30 * MINUTE, 'the bot owned it until the resolution');
  });

  it('the bot resolving alone gives no first response, and the resolution is all bot time', () => {
    const m = cycleMetrics(at(0), [ev('opened', 0), ev('bot_took', 0), ev('message_out', 1, { human: false }), ev('resolved', 8)], null)!;
    assert.equal(m.firstResponseMs, null);
    assert.equal(m.resolutionMs, 8 * MINUTE);
    assert.equal(m.botMs, 8 * MINUTE);
  });

  it('snoozed time is reported, not taken off the resolution; snoozed while the bot held it counts as bot time only', () => {
    const m = cycleMetrics(at(0), [ev('assigned', 0), human(5), ev('snoozed', 10), ev('woke', 70), ev('resolved', 80)], null)!;
    assert.equal(m.snoozedMs, 60 * MINUTE);
    assert.equal(m.resolutionMs, 80 * MINUTE);
    const bot = cycleMetrics(at(0), [ev('bot_took', 0), ev('snoozed', 10), ev('woke', 20), ev('handed_off', 30), human(35), ev('snoozed', 40), ev('resolved', 50)], null)!;
    assert.equal(bot.botMs, 30 * MINUTE);
    assert.equal(bot.snoozedMs, 10 * MINUTE, 'only the snooze people held (40–50); a snooze still running ends at the resolution');
  });

  it('a reopened conversation is measured per cycle: the second cycle starts at the reopening', () => {
    const cycle2 = cycleMetrics(at(120), [ev('reopened', 120, { cycle: 2 }), ev('message_in', 120), ev('assigned', 121), human(130), ev('resolved', 150)], null)!;
    assert.equal(cycle2.firstResponseMs, 10 * MINUTE);
    assert.equal(cycle2.resolutionMs, 30 * MINUTE, 'not inflated by the first cycle or the time in between');
  });

  it('gives business figures over the same spans: overnight and weekend hours do not count', () => {
    const cal = nineToFive();
    // Opened Thursday 16:00 local, first reply Friday 10:00, resolved Monday 10:00.
    const start = Date.UTC(2026, 0, 15, 15);
    const reply = Date.UTC(2026, 0, 16, 9);
    const resolved = Date.UTC(2026, 0, 19, 9);
    const m = cycleMetrics(start, [{ type: 'conversation.opened', at: start }, { type: 'conversation.message_out', at: reply, data: { human: true } }, { type: 'conversation.resolved', at: resolved }], cal)!;
    assert.equal(m.firstResponseMs, 18 * HOUR);
    assert.equal(m.firstResponseBusinessMs, 2 * HOUR);
    assert.equal(m.resolutionMs, 4 * 24 * HOUR - 6 * HOUR);
    assert.equal(m.resolutionBusinessMs, 10 * HOUR, 'Thursday 1 h, Friday 8 h, Monday 1 h');
    assert.equal(m.botBusinessMs, 0);
  });
});
