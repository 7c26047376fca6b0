import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareRecords, deriveConsent } from './derive-consent.js';
import { CHANNELS, PURPOSES, type ConsentRecord } from './types.js';

const arbRecord = (i: number) =>
  fc.record({
    purpose: fc.constantFrom(...PURPOSES),
    channel: fc.constantFrom(...CHANNELS),
    status: fc.constantFrom('granted' as const, 'withdrawn' as const),
    effectiveAt: fc.integer({ min: 0, max: 50 }),
    recordedAt: fc.integer({ min: 0, max: 50 }),
  }).map((r): ConsentRecord => ({ ...r, id: `cr_${String(i).padStart(4, '0')}`, contactId: 'ct_1', source: 'api', wording: null, actor: { type: 'system', id: 'test' } }));

const arbLedger = fc.integer({ min: 0, max: 40 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => arbRecord(i))));

describe('consent derived from the ledger', () => {
  it('after any sequence of grants and withdrawals, each purpose × channel is the status of its last event', () => {
    // An independent model: events happen one after another (strictly increasing effective times),
    // are recorded in any order, and the state of each pair is the last event's status.
    fc.assert(
      fc.property(
        fc.array(fc.record({ purpose: fc.constantFrom(...PURPOSES), channel: fc.constantFrom(...CHANNELS), status: fc.constantFrom('granted' as const, 'withdrawn' as const) }), { maxLength: 60 }),
        fc.func(fc.integer()),
        (events, recordingOrder) => {
          const records: ConsentRecord[] = events.map((e, i) => ({ ...e, id: `cr_${i}`, contactId: 'ct', source: 'api', wording: null, actor: { type: 'system', id: 't' }, effectiveAt: 1000 + i * 10, recordedAt: recordingOrder(i) }));
          const expected = new Map<string, string>();
          for (const e of events) expected.set(`${e.purpose}/${e.channel}`, e.status);
          const shuffled = [...records].sort((a, b) => recordingOrder(Number(a.id.slice(3))) - recordingOrder(Number(b.id.slice(3))));
          const current = deriveConsent(shuffled);
          for (const purpose of PURPOSES) {
            for (const channel of CHANNELS) assert.equal(current[purpose][channel]?.status ?? 'none', expected.get(`${purpose}/${channel}`) ?? 'none', `${purpose}/${channel}`);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order the records are read in', () => {
    fc.assert(
      fc.property(arbLedger.chain((ledger) => fc.tuple(fc.constant(ledger), fc.shuffledSubarray(ledger, { minLength: ledger.length, maxLength: ledger.length }))), ([ledger, shuffled]) => {
        assert.deepEqual(deriveConsent(shuffled), deriveConsent(ledger));
      }),
      { numRuns: 300 },
    );
  });

  it('a record later than every other decides its pair and leaves the other pairs alone', () => {
    fc.assert(
      fc.property(arbLedger, arbRecord(9999), (ledger, last) => {
        const latest = { ...last, effectiveAt: 1000 };
        const before = deriveConsent(ledger);
        const after = deriveConsent([...ledger, latest]);
        assert.equal(after[latest.purpose][latest.channel]?.status, latest.status);
        assert.equal(after[latest.purpose][latest.channel]?.recordId, latest.id);
        for (const purpose of PURPOSES) {
          for (const channel of CHANNELS) if (purpose !== latest.purpose || channel !== latest.channel) assert.deepEqual(after[purpose][channel], before[purpose][channel]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('records dated after the moment asked about are not yet in force', () => {
    fc.assert(
      fc.property(arbLedger, fc.integer({ min: 0, max: 50 }), (ledger, asOf) => {
        assert.deepEqual(deriveConsent(ledger, asOf), deriveConsent(ledger.filter((r) => r.effectiveAt <= asOf)));
      }),
      { numRuns: 300 },
    );
  });

  it('ties: the later recorded wins, then a withdrawal beats a grant', () => {
    const base = { contactId: 'ct', purpose: 'marketing' as const, channel: 'whatsapp' as const, source: 'api' as const, wording: null, actor: { type: 'system' as const, id: 't' } };
    const grantLate = { ...base, id: 'cr_a', status: 'granted' as const, effectiveAt: 10, recordedAt: 20 };
    const withdrawEarly = { ...base, id: 'cr_b', status: 'withdrawn' as const, effectiveAt: 10, recordedAt: 15 };
    assert.equal(deriveConsent([grantLate, withdrawEarly]).marketing.whatsapp?.status, 'granted');
    const grantSame = { ...grantLate, id: 'cr_z', recordedAt: 15 };
    assert.equal(deriveConsent([grantSame, withdrawEarly]).marketing.whatsapp?.status, 'withdrawn');
    assert.equal(deriveConsent([withdrawEarly, grantSame]).marketing.whatsapp?.status, 'withdrawn');
    assert.ok(compareRecords(withdrawEarly, grantSame) > 0);
  });

  it('an empty ledger gives nothing in force anywhere', () => {
    const current = deriveConsent([]);
    for (const purpose of PURPOSES) for (const channel of CHANNELS) assert.equal(current[purpose][channel], null);
  });
});
