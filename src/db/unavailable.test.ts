import { it } from 'node:test';
import assert from 'node:assert/strict';
import { failureBackoff, isDatabaseUnavailable } from './unavailable.js';
import { toParleyError } from '../http/error-handler.js';

it('recognises a restart, a failover and a refused connection as "database unavailable", and nothing else', () => {
  const pg = (code: string, message = 'x') => Object.assign(new Error(message), { code });
  for (const e of [pg('57P01', 'terminating connection due to administrator command'), pg('57P03', 'the database system is starting up'), pg('08006'), pg('ECONNREFUSED'), pg('ECONNRESET'), new Error('Connection terminated unexpectedly'), new Error('timeout exceeded when trying to connect'), pg('SQLITE_BUSY'), new AggregateError([pg('ECONNREFUSED')], ''), new Error('wrapped', { cause: pg('57P01') })]) {
    assert.equal(isDatabaseUnavailable(e), true, String(e));
  }
  for (const e of [pg('23505', 'duplicate key'), pg('42P01', 'relation does not exist'), new Error('boom'), pg('SQLITE_CONSTRAINT_UNIQUE'), undefined, 'ECONNREFUSED']) {
    assert.equal(isDatabaseUnavailable(e), false, String(e));
  }
});

it('answers those 503 DATABASE_UNAVAILABLE, other unexpected errors 500', () => {
  const unavailable = toParleyError(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }));
  assert.deepEqual([unavailable.status, unavailable.code], [503, 'DATABASE_UNAVAILABLE']);
  assert.equal(toParleyError(new Error('boom')).status, 500);
});

it('backs off doubling up to the cap, with jitter between half and all of it', () => {
  assert.equal(failureBackoff(0), 0);
  assert.equal(failureBackoff(1, 250, 5000, () => 0), 125);
  assert.equal(failureBackoff(3, 250, 5000, () => 0.999999), 1000);
  assert.equal(failureBackoff(30, 250, 5000, () => 0), 2500);
});
