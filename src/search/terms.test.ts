import { test } from 'node:test';
import assert from 'node:assert/strict';
import { namePrefixTerms, queryTerms, textTerms } from './terms.js';
import { messageWords } from './message-words.js';

test('terms lose accents and case, and split on punctuation (Portuguese, Spanish, French)', () => {
  assert.deepEqual(textTerms('Olá! Preciso de AJUDA com a fatura, São Paulo.'), ['ola', 'preciso', 'de', 'ajuda', 'com', 'fatura', 'sao', 'paulo']);
  assert.deepEqual(textTerms('¿Dónde está mi pedido? Señor Muñoz'), ['donde', 'esta', 'mi', 'pedido', 'senor', 'munoz']);
  assert.deepEqual(textTerms("L'été à Noël: garçon, cœur"), ['ete', 'noel', 'garcon', 'cœur']);
});

test('compatibility forms are folded, one-letter terms dropped, digits kept, repeats once', () => {
  assert.deepEqual(textTerms('ﬁle Ｆｕｌｌ a 42 x-ray 42'), ['file', 'full', '42', 'ray']);
  assert.deepEqual(textTerms('—  ... !'), []);
  assert.deepEqual(textTerms('naïve NAÏVE naive'), ['naive']);
});

test('letters of other scripts are terms too', () => {
  assert.deepEqual(textTerms('Привет, мир'), ['привет', 'мир']);
});

test('a name indexes each word and its prefixes of two characters or more', () => {
  assert.deepEqual(namePrefixTerms('Ana Bé'), ['an', 'ana', 'be']);
  assert.ok(namePrefixTerms('Anabel Martínez').includes('mart'));
  assert.ok(!namePrefixTerms('Anabel').includes('a'));
});

test('a query keeps at most eight terms', () => {
  assert.equal(queryTerms('aa bb cc dd ee ff gg hh ii jj').length, 8);
});

test('the words of a message are its text, captions and titles, not its ids, links or the recipient', () => {
  assert.equal(messageWords({ text: 'Hello there' }), 'Hello there');
  assert.equal(messageWords({ media: { id: 'm1' }, caption: 'the invoice' }), 'the invoice');
  assert.equal(messageWords({ reply: { kind: 'button', id: 'b1', title: 'Talk to a person' } }), 'Talk to a person');
  assert.equal(messageWords({ type: 'text', payload: { body: 'Your order shipped' }, to: '+15550001111' }), 'Your order shipped');
  const interactive = messageWords({
    type: 'interactive',
    to: '+15550001111',
    payload: { type: 'button', body: { text: 'Pick one' }, action: { buttons: [{ type: 'reply', reply: { id: 'x', title: 'Billing' } }] } },
  });
  assert.equal(interactive, 'Pick one\nBilling');
  assert.equal(messageWords({ type: 'image', payload: { link: 'https://example.com/a.png' }, to: '+15550001111' }), '');
  assert.equal(messageWords(null), '');
});
