import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validateContent } from './content-rules.js';
import type { SendMessageBody } from './content-schema.js';

const fieldOf = (body: unknown) => {
  try {
    validateContent(body as SendMessageBody);
    return undefined;
  } catch (error) {
    return (error as { field?: string }).field;
  }
};

const buttons = (n: number, title = (i: number) => `Option ${i}`) => ({
  type: 'interactive',
  interactive: { type: 'button', body: { text: 'Pick one' }, action: { buttons: Array.from({ length: n }, (_, i) => ({ type: 'reply', reply: { id: `b${i}`, title: title(i) } })) } },
});

const list = (rows: number[]) => ({
  type: 'interactive',
  interactive: {
    type: 'list',
    body: { text: 'Choose' },
    action: { button: 'Options', sections: rows.map((n, s) => ({ title: `S${s}`, rows: Array.from({ length: n }, (_, r) => ({ id: `r${s}-${r}`, title: `Row ${r}` })) })) },
  },
});

describe('content rules', () => {
  it('a message needs the payload object of its type and no other', () => {
    assert.equal(fieldOf({ type: 'text' }), '/text');
    assert.equal(fieldOf({ type: 'text', text: { body: 'hi' }, image: { link: 'https://x/y.png' } }), '/image');
    assert.equal(fieldOf({ type: 'text', text: { body: 'hi' } }), undefined);
  });

  it('media takes exactly one of id or link; audio and stickers take no caption; only documents take a filename', () => {
    assert.equal(fieldOf({ type: 'image', image: {} }), '/image');
    assert.equal(fieldOf({ type: 'image', image: { id: '1', link: 'https://x/y.png' } }), '/image');
    assert.equal(fieldOf({ type: 'image', image: { id: '1', caption: 'ok' } }), undefined);
    assert.equal(fieldOf({ type: 'audio', audio: { id: '1', caption: 'no' } }), '/audio/caption');
    assert.equal(fieldOf({ type: 'image', image: { id: '1', filename: 'a.png' } }), '/image/filename');
    assert.equal(fieldOf({ type: 'document', document: { link: 'https://x/a.pdf', filename: 'a.pdf' } }), undefined);
  });

  it('reply buttons: at most 3, titles up to 20 characters, unique ids and titles', () => {
    assert.equal(fieldOf(buttons(3)), undefined);
    assert.equal(fieldOf(buttons(4)), '/interactive/action/buttons');
    assert.equal(fieldOf(buttons(1, () => 'x'.repeat(21))), '/interactive/action/buttons/0/reply/title');
    assert.equal(fieldOf(buttons(2, () => 'same')), '/interactive/action/buttons/1/reply/title');
  });

  it('lists: at most 10 rows in total and 10 sections; row titles up to 24 characters', () => {
    assert.equal(fieldOf(list([5, 5])), undefined);
    assert.equal(fieldOf(list([6, 5])), '/interactive/action/sections');
    const long = list([1]) as any;
    long.interactive.action.sections[0].rows[0].title = 'y'.repeat(25);
    assert.equal(fieldOf(long), '/interactive/action/sections/0/rows/0/title');
  });

  it('interactive messages need a body, at most 1024 characters for buttons', () => {
    const b = buttons(1) as any;
    b.interactive.body.text = 'z'.repeat(1025);
    assert.equal(fieldOf(b), '/interactive/body/text');
    delete b.interactive.body;
    assert.equal(fieldOf(b), '/interactive/body');
  });
});
