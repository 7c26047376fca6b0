import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collect, matchChoice, parseDate, parseNumber, type CollectContext } from './collect-validators.js';

const ctx: CollectContext = { country: 'BR', today: '2026-12-07' };
const text = (t: string) => ({ kind: 'text' as const, text: t });

describe('collect validators', () => {
  it('numbers as people write them', () => {
    assert.deepEqual(['42', '3,5', '3.5', '1.000', '1,000', '1.234,56', '1,234.56', '1.234.567', '-7', ' 12 '].map(parseNumber), [42, 3.5, 3.5, 1000, 1000, 1234.56, 1234.56, 1234567, -7, 12]);
    assert.deepEqual(['abc', '1.2.3', '1,23,4', '12.', '', '1.234.56'].map(parseNumber), [null, null, null, null, null, null]);
  });

  it('number bounds and whole numbers', () => {
    assert.deepEqual(collect({ kind: 'number', min: 1, max: 10, integer: true }, text('7'), ctx), { ok: true, value: 7 });
    assert.equal(collect({ kind: 'number', min: 1, max: 10 }, text('11'), ctx).ok, false);
    assert.equal(collect({ kind: 'number', integer: true }, text('2,5'), ctx).ok, false);
  });

  it('dates: ISO or day first; impossible dates and (with future) past ones refused', () => {
    assert.deepEqual(['2026-03-14', '14/03/2026', '14.3.26', '31/02/2026', 'tomorrow'].map(parseDate), ['2026-03-14', '2026-03-14', '2026-03-14', null, null]);
    assert.equal(collect({ kind: 'date', future: true }, text('01/12/2026'), ctx).ok, false);
    assert.deepEqual(collect({ kind: 'date', future: true }, text('24/12/2026'), ctx), { ok: true, value: '2026-12-24' });
  });

  it('choices tolerate case, accents and a typo', () => {
    assert.equal(matchChoice('MANHÃ', ['manhã', 'tarde']), 'manhã');
    assert.equal(matchChoice('manha', ['manhã', 'tarde']), 'manhã');
    assert.equal(matchChoice('tadre', ['manhã', 'tarde']), 'tarde');
    assert.equal(matchChoice('noite', ['manhã', 'tarde']), null);
  });

  it('email, phone (the customer\'s country when no code is given) and regex', () => {
    assert.deepEqual(collect({ kind: 'email' }, text(' Ana@Example.COM '), ctx), { ok: true, value: 'ana@example.com' });
    assert.equal(collect({ kind: 'email' }, text('ana at example'), ctx).ok, false);
    assert.deepEqual(collect({ kind: 'phone' }, text('(11) 98765-4321'), ctx), { ok: true, value: '+5511987654321' });
    assert.deepEqual(collect({ kind: 'phone' }, text('+1 415 555 2671'), ctx), { ok: true, value: '+14155552671' });
    assert.equal(collect({ kind: 'phone' }, text('12345'), ctx).ok, false);
    assert.equal(collect({ kind: 'regex', pattern: '^\\d{6}$' }, text('123456'), ctx).ok, true);
    assert.equal(collect({ kind: 'regex', pattern: '^\\d{6}$' }, text('12345'), ctx).ok, false);
  });

  it('a regex runs on at most 1,000 characters: a longer answer is refused without running it', () => {
    assert.equal(collect({ kind: 'regex', pattern: '^x+$' }, text('x'.repeat(1000)), ctx).ok, true);
    assert.deepEqual(collect({ kind: 'regex', pattern: '^x+$' }, text('x'.repeat(1001)), ctx), { ok: false, reason: 'longer than 1000 characters' });
  });

  it('location and image need that kind of message', () => {
    assert.deepEqual(collect({ kind: 'location' }, { kind: 'location', latitude: -23.5, longitude: -46.6, name: 'Home' }, ctx), { ok: true, value: { latitude: -23.5, longitude: -46.6, name: 'Home' } });
    assert.equal(collect({ kind: 'location' }, text('Rua A, 10'), ctx).ok, false);
    assert.deepEqual(collect({ kind: 'image' }, { kind: 'media', mediaType: 'image', messageId: 'msg_1' }, ctx), { ok: true, value: { messageId: 'msg_1' } });
    assert.equal(collect({ kind: 'image' }, { kind: 'media', mediaType: 'audio', messageId: 'msg_2' }, ctx).ok, false);
    assert.equal(collect({ kind: 'number' }, { kind: 'other', type: 'sticker' }, ctx).ok, false);
  });
});
