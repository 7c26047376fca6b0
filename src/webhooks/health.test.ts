import { it } from 'node:test';
import assert from 'node:assert/strict';
import { silenceAlarm } from './health.js';
import { MINUTE } from '../shared/time.js';

const policy = { silenceMinutes: 10, lookbackMinutes: 60 };
const now = 1_000 * MINUTE;

it('raises the silence alarm when sends wait and no status webhook came for the silence', () => {
  assert.match(silenceAlarm(now, now - 15 * MINUTE, now - 12 * MINUTE, policy) ?? '', /no status webhook has arrived for 15 minutes/);
  assert.match(silenceAlarm(now, null, now - 11 * MINUTE, policy) ?? '', /for ever/);
});

it('stays quiet while status webhooks flow or nothing waits for one', () => {
  assert.equal(silenceAlarm(now, now - 2 * MINUTE, now - 30 * MINUTE, policy), null);
  assert.equal(silenceAlarm(now, now - 50 * MINUTE, null, policy), null);
});
