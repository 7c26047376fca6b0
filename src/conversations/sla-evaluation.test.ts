import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOUR, MINUTE } from '../shared/time.js';
import { parseBusinessHours } from './business-hours.js';
import { cycleTimeline, type CycleEvent } from './cycle-timeline.js';
import { evaluateSla, type SlaTargets } from './sla-evaluation.js';

const T0 = Date.UTC(2026, 0, 15, 8); // Thursday 09:00 in Berlin
const at = (minutes: number) => T0 + minutes * MINUTE;
const ev = (type: string, minutes: number, data?: Record<string, unknown>): CycleEvent => ({ type: `conversation.${type}`, at: at(minutes), ...(data ? { data } : {}) });
const human = (minutes: number) => ev('message_out', minutes, { human: true });
const policy = (p: Partial<SlaTargets>): SlaTargets => ({ firstResponseMs: null, nextResponseMs: null, resolutionMs: null, businessHours: false, nearBreachRatio: 0.8, ...p });
const statusAt = (p: SlaTargets, events: CycleEvent[], minutes: number, calendar = null as Parameters<typeof evaluateSla>[1]) => evaluateSla(p, calendar, cycleTimeline(T0, events, at(minutes)), at(minutes));

describe('SLA clocks', () => {
  it('first response runs, is near breach past the ratio, breached at the target, met when a person replies in time', () => {
    const p = policy({ firstResponseMs: 10 * MINUTE });
    const open = [ev('opened', 0), ev('message_in', 0)];
    assert.deepEqual(statusAt(p, open, 5)[0], { kind: 'first_response', status: 'running', targetMs: 10 * MINUTE, elapsedMs: 5 * MINUTE, dueAt: at(10), nearAt: at(8) });
    assert.equal(statusAt(p, open, 8)[0]!.status, 'near_breach');
    assert.equal(statusAt(p, open, 10)[0]!.status, 'breached');
    assert.equal(statusAt(p, [...open, human(9)], 30)[0]!.status, 'met');
    const late = statusAt(p, [...open, human(12)], 30)[0]!;
    assert.equal(late.status, 'breached', 'a reply after the due time does not undo the breach');
    assert.equal(late.dueAt, at(10));
  });

  it('pauses while snoozed: the due time moves by the snooze, and a paused clock has no due time', () => {
    const p = policy({ resolutionMs: 60 * MINUTE });
    const events = [ev('opened', 0), ev('assigned', 1), ev('snoozed', 20), ev('woke', 80)];
    const paused = statusAt(p, events.slice(0, 3), 70)[0]!;
    assert.equal(paused.status, 'paused');
    assert.equal(paused.elapsedMs, 20 * MINUTE);
    assert.equal(paused.dueAt, null);
    const resumed = statusAt(p, events, 90)[0]!;
    assert.equal(resumed.status, 'running');
    assert.equal(resumed.dueAt, at(120), 'sixty minutes of clock: 0–20 and 80–120');
    assert.equal(resumed.nearAt, at(108));
  });

  it('pauses while the bot owns the conversation', () => {
    const p = policy({ firstResponseMs: 10 * MINUTE });
    const events = [ev('opened', 0), ev('bot_took', 0), ev('handed_off', 45)];
    assert.equal(statusAt(p, events.slice(0, 2), 40)[0]!.status, 'paused');
    const after = statusAt(p, events, 50)[0]!;
    assert.equal(after.status, 'running');
    assert.equal(after.dueAt, at(55));
  });

  it('a near breach still shows while paused; a met target stays met', () => {
    const p = policy({ firstResponseMs: 10 * MINUTE, resolutionMs: 100 * MINUTE });
    const s = statusAt(p, [ev('opened', 0), ev('snoozed', 9)], 60);
    assert.equal(s[0]!.status, 'near_breach');
    assert.equal(s[1]!.status, 'paused');
  });

  it('next response times each customer message after a reply; the first lapse is what the target reports', () => {
    const p = policy({ nextResponseMs: 15 * MINUTE });
    const base = [ev('opened', 0), ev('assigned', 1), human(2)];
    assert.equal(statusAt(p, base, 10)[0]!.status, 'inactive', 'nothing waits after the first reply');
    assert.equal(statusAt(p, [...base, ev('message_in', 10), ev('message_in', 12)], 20)[0]!.dueAt, at(25), 'timed from the first unanswered message');
    assert.equal(statusAt(p, [...base, ev('message_in', 10), human(20)], 40)[0]!.status, 'met');
    const lapsed = statusAt(p, [...base, ev('message_in', 10), human(40), ev('message_in', 41)], 42)[0]!;
    assert.equal(lapsed.status, 'breached');
    assert.equal(lapsed.dueAt, at(25));
    assert.equal(statusAt(policy({ nextResponseMs: 15 * MINUTE }), [ev('opened', 0), ev('message_in', 1)], 30)[0]!.status, 'inactive', 'before the first reply only the first-response target runs');
  });

  it('in business hours the clock stops overnight, and the due time is the next morning', () => {
    const day: Array<{ start: string; end: string }> = [{ start: '09:00', end: '17:00' }];
    const parsed = parseBusinessHours({ timeZone: 'Europe/Berlin', week: { mon: day, tue: day, wed: day, thu: day, fri: day }, holidays: [] });
    assert.ok(parsed.ok);
    const p = policy({ firstResponseMs: 2 * HOUR, businessHours: true });
    const start = at(7 * 60); // 16:00 local
    const events = [{ type: 'conversation.opened', at: start }];
    const evening = evaluateSla(p, parsed.calendar, cycleTimeline(start, events, start + 3 * HOUR), start + 3 * HOUR)[0]!;
    assert.equal(evening.elapsedMs, HOUR);
    assert.equal(evening.status, 'running');
    assert.equal(evening.dueAt, Date.UTC(2026, 0, 16, 9), 'Friday 10:00 local');
    assert.equal(evaluateSla(p, null, cycleTimeline(start, events, start + HOUR), start + HOUR)[0]!.status, 'inactive', 'no calendar: a business-hours policy is not timed');
  });
});
