// The console's pure text helpers: WhatsApp's formatting and placeholders (the message preview) and the diff
// (template versions).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fillPlaceholders, parseWhatsApp, placeholdersOf } from '../../console/src/components/whatsapp-format.js';
import { diffRows, diffWords } from '../../console/src/components/text-diff.js';

describe('WhatsApp formatting in the preview', () => {
  it('reads bold, italic, strikethrough and monospace, nested, as WhatsApp does', () => {
    assert.deepEqual(parseWhatsApp('Hi *Asha*, _your_ order ~was~ is ```A 1``` now'), [
      'Hi ', { style: 'bold', children: ['Asha'] }, ', ', { style: 'italic', children: ['your'] }, ' order ',
      { style: 'strike', children: ['was'] }, ' is ', { style: 'mono', children: ['A 1'] }, ' now',
    ]);
    assert.deepEqual(parseWhatsApp('*big _and_ bold*'), [{ style: 'bold', children: ['big ', { style: 'italic', children: ['and'] }, ' bold'] }]);
  });

  it('leaves markers that WhatsApp leaves: inside words, next to spaces, across lines, unclosed', () => {
    for (const text of ['snake_case_name', '2 * 3 * 4', 'a *b\nc* d', 'just *one', 'file_name_v2']) assert.deepEqual(parseWhatsApp(text), [text], text);
  });

  it('fills placeholders from values, then examples, and shows the placeholder where both are missing or empty', () => {
    assert.deepEqual(placeholdersOf('Hi {{1}}, {{2}} and {{1}} again, {{ first_name }}'), ['1', '2', 'first_name']);
    assert.equal(fillPlaceholders('Hi {{1}}, order {{2}}, {{3}}', { 1: 'Asha', 3: '' }, { 2: 'A123' }), 'Hi Asha, order A123, {{3}}');
  });
});

describe('the diff of template versions', () => {
  it('pairs a changed line with its word changes, and keeps lines only added or removed', () => {
    const rows = diffRows(['Category: UTILITY', 'Body: has shipped.', 'Footer: Shop'], ['Category: UTILITY', 'Body: has shipped today.', 'Button 1: Track']);
    assert.deepEqual(rows.map((r) => r.op), ['same', 'changed', 'changed']);
    const changed = rows[1]!;
    assert.ok(changed.op === 'changed');
    assert.deepEqual(changed.words, [{ op: 'same', text: 'Body: has shipped' }, { op: 'added', text: ' today' }, { op: 'same', text: '.' }]);
    assert.deepEqual(diffRows(['a'], ['a', 'b']), [{ op: 'same', text: 'a' }, { op: 'added', text: 'b' }]);
    assert.deepEqual(diffRows(['a', 'b'], ['b']), [{ op: 'removed', text: 'a' }, { op: 'same', text: 'b' }]);
    assert.deepEqual(diffWords('same', 'same'), [{ op: 'same', text: 'same' }]);
  });
});
