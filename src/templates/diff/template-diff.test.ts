import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffVersions, type DiffableVersion } from './template-diff.js';
import { diffLines } from './line-diff.js';

const v1: DiffableVersion = {
  category: 'UTILITY',
  parameter_format: 'POSITIONAL',
  allow_category_change: false,
  message_send_ttl_seconds: null,
  components: [
    { type: 'BODY', text: 'Hi {{1}},\nyour order shipped.\nThanks!', example: { body_text: [['Asha']] } },
    { type: 'FOOTER', text: 'Lucky Shrub' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'OK' }] },
  ],
};

describe('version diff', () => {
  it('shows changed text as a line diff, and added and removed fields by readable path', () => {
    const v2: DiffableVersion = {
      ...v1,
      category: 'MARKETING',
      components: [
        { type: 'BODY', text: 'Hi {{1}},\nyour order {{2}} shipped.\nThanks!', example: { body_text: [['Asha', 'A1']] } },
        { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'OK' }, { type: 'QUICK_REPLY', text: 'Stop' }] },
      ],
    };
    const diff = diffVersions(v1, v2);
    const byPath = new Map(diff.changes.map((c) => [c.path, c]));
    assert.equal(byPath.get('category')?.kind, 'changed');
    assert.deepEqual(byPath.get('BODY.text')?.lines, [
      { op: ' ', line: 'Hi {{1}},' },
      { op: '-', line: 'your order shipped.' },
      { op: '+', line: 'your order {{2}} shipped.' },
      { op: ' ', line: 'Thanks!' },
    ]);
    assert.equal(byPath.get('BODY.example.body_text[0][1]')?.kind, 'added');
    assert.equal(byPath.get('FOOTER.text')?.kind, 'removed');
    assert.equal(byPath.get('BUTTONS.buttons[1].text')?.after, 'Stop');
    assert.match(diff.text, /~ category: "UTILITY" → "MARKETING"/);
    assert.match(diff.text, /~ BODY.text\n {2}  Hi \{\{1\}\},\n {2}- your order shipped.\n {2}\+ your order \{\{2\}\} shipped./);
    assert.match(diff.text, /- FOOTER.text: "Lucky Shrub"/);
  });

  it('reports no changes for an identical version, and everything as added for the first', () => {
    assert.deepEqual(diffVersions(v1, structuredClone(v1)).changes, []);
    assert.equal(diffVersions(v1, v1).text, '(no changes)');
    assert.ok(diffVersions(null, v1).changes.every((c) => c.kind === 'added'));
  });

  it('line diff keeps common lines and orders removals before additions', () => {
    assert.deepEqual(diffLines('a\nb\nc', 'a\nc\nd'), [
      { op: ' ', line: 'a' },
      { op: '-', line: 'b' },
      { op: ' ', line: 'c' },
      { op: '+', line: 'd' },
    ]);
  });
});
