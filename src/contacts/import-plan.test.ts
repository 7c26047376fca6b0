import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planColumns, prepareRow, type ImportPlan } from './import-plan.js';

const plan = (header: string[]): ImportPlan => {
  const result = planColumns(header);
  if (!result.ok) throw new Error(result.message);
  return result.plan;
};

describe('CSV import plan', () => {
  it('maps known columns and aliases, consent columns, explicit and implicit attributes', () => {
    const p = plan(['Mobile', 'Full Name', 'E-mail', 'TZ', 'consent.marketing.sms', 'attr.plan', 'Loyalty Tier']);
    assert.deepEqual(p.columns.map((c) => c.target), [
      { kind: 'field', field: 'phone' }, { kind: 'field', field: 'name' }, { kind: 'field', field: 'email' }, { kind: 'field', field: 'timeZone' },
      { kind: 'consent', purpose: 'marketing', channel: 'sms' }, { kind: 'attribute', key: 'plan' }, { kind: 'attribute', key: 'Loyalty_Tier' },
    ]);
    assert.deepEqual(p.attributeColumns, ['Loyalty Tier']);
  });

  it('refuses headers without an identifier column, with duplicates, or with a malformed consent column', () => {
    assert.equal(planColumns(['name']).ok, false);
    assert.match((planColumns(['phone', 'tel']) as { message: string }).message, /Two columns map to phone/);
    assert.match((planColumns(['phone', 'consent_marketing_fax']) as { message: string }).message, /consent\.<purpose>\.<channel>/);
  });

  it('reads a row into a contact and consents, and names the column of a problem', () => {
    const p = plan(['phone', 'country', 'tags', 'consent.marketing.whatsapp', 'consent_at']);
    const now = Date.parse('2025-06-01T00:00:00Z');
    const good = prepareRow(['11 98765-4321', 'BR', 'a|b;c,a', 'Yes', '2025-05-01'], p, undefined, now);
    assert.ok(good.ok === true);
    assert.equal(good.row.contact.phone, '+5511987654321');
    assert.deepEqual(good.row.contact.tags, ['a', 'b', 'c']);
    assert.deepEqual(good.row.consents, [{ purpose: 'marketing', channel: 'whatsapp', status: 'granted' }]);
    assert.equal(good.row.consentAt, Date.parse('2025-05-01'));
    assert.deepEqual(prepareRow(['', '', '', '', ''], p, undefined, now), { ok: 'blank' });
    const future = prepareRow(['+14155550100', '', '', 'no', '2030-01-01'], p, undefined, now);
    assert.deepEqual(future.ok === false && future.column, 'consent_at');
    const badCountry = prepareRow(['98765', 'Brazil', '', '', ''], p, undefined, now);
    assert.deepEqual(badCountry.ok === false && [badCountry.column, badCountry.message], ['country', '"Brazil" is not a two-letter country code (ISO 3166-1, e.g. BR, US).']);
  });
});
