import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalPhone, equivalentPhones } from './phone-equivalence.js';
import { normalizeCanonicalPhone, normalizePhone } from './phone.js';

describe('phone equivalence rules', () => {
  it('a Brazilian mobile with and without the 9th digit has one canonical form, with the 9', () => {
    assert.equal(canonicalPhone('+5511987654321'), '+5511987654321');
    assert.equal(canonicalPhone('+551187654321'), '+5511987654321');
    assert.deepEqual(equivalentPhones('+5511987654321'), ['+5511987654321', '+551187654321']);
    assert.deepEqual(equivalentPhones('+551187654321'), ['+551187654321', '+5511987654321']);
  });

  it('a Brazilian landline (first digit 2–5) is not given a 9', () => {
    assert.equal(canonicalPhone('+551132654321'), '+551132654321');
    assert.deepEqual(equivalentPhones('+551132654321'), ['+551132654321']);
  });

  it('Mexico: the old 1 after +52 is dropped, and both forms are candidates', () => {
    assert.equal(canonicalPhone('+5215512345678'), '+525512345678');
    assert.equal(canonicalPhone('+525512345678'), '+525512345678');
    assert.deepEqual(equivalentPhones('+525512345678'), ['+525512345678', '+5215512345678']);
  });

  it('Argentina: the mobile 9 after +54 is the canonical form', () => {
    assert.equal(canonicalPhone('+541123456789'), '+5491123456789');
    assert.deepEqual(equivalentPhones('+5491123456789'), ['+5491123456789', '+541123456789']);
  });

  it('numbers no rule covers are their own only form', () => {
    assert.equal(canonicalPhone('+14155552671'), '+14155552671');
    assert.deepEqual(equivalentPhones('+14155552671'), ['+14155552671']);
    assert.deepEqual(equivalentPhones('+447700900123'), ['+447700900123']);
  });

  it('normalization accepts a Mexican wa_id with the old 1 and national numbers with a country', () => {
    assert.deepEqual(normalizePhone('5215512345678'), { e164: '+525512345678', country: 'MX' });
    assert.equal(normalizePhone('(11) 98765-4321', 'BR')?.e164, '+5511987654321');
    assert.equal(normalizePhone('not a number'), undefined);
    assert.equal(normalizeCanonicalPhone('551187654321')?.e164, '+5511987654321');
    assert.equal(normalizeCanonicalPhone('+54 11 2345-6789')?.e164, '+5491123456789');
  });
});
