import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { editDistance, languageOrder, matchIntent, typoBudget, type IntentDefinition } from './intent-match.js';

const INTENTS: IntentDefinition[] = [
  {
    name: 'order_status',
    phrases: { en: ['where is my order', 'order status', 'track order'], pt: ['onde está meu pedido', 'status do pedido', 'rastrear pedido'], es: ['dónde está mi pedido', 'estado del pedido', 'rastrear pedido'] },
    patterns: { en: ['\\border\\s+#?\\d{4,}\\b'] },
  },
  { name: 'returns', phrases: { en: ['return', 'refund'], pt: ['devolução', 'reembolso', 'trocar'], es: ['devolución', 'reembolso'] } },
  { name: 'human', phrases: { en: ['agent', 'talk to a person'], pt: ['atendente', 'falar com uma pessoa'], es: ['agente', 'hablar con una persona'] } },
];
const match = (text: string, language: string | null = 'en') => matchIntent(text, INTENTS, { language, defaultLanguage: 'en', synonyms: { en: [['agent', 'human', 'representative']], pt: [['atendente', 'humano', 'pessoa']] } });

describe('intent matching', () => {
  it('counts edits with transpositions as one, and stops past the limit', () => {
    assert.equal(editDistance('order', 'order', 1), 0);
    assert.equal(editDistance('order', 'oredr', 1), 1);
    assert.equal(editDistance('pedido', 'pedio', 1), 1);
    assert.equal(editDistance('status', 'xxxxxx', 2), 3);
    assert.deepEqual(['hi', 'help', 'refunds', 'representative'].map(typoBudget), [0, 1, 1, 2]);
  });

  it('English: case, punctuation and a typo per word are tolerated; words may be apart', () => {
    assert.equal(match('WHERE is my ORDER??')?.intent, 'order_status');
    assert.equal(match('hi, where is my oredr')?.intent, 'order_status');
    assert.equal(match('can i get a refnd please')?.intent, 'returns');
    assert.equal(match('what is the weather')?.intent, undefined);
  });

  it('Portuguese and Spanish: accents are optional and typos tolerated', () => {
    assert.deepEqual([match('onde esta meu pedido', 'pt')?.intent, match('onde esta meu pedido', 'pt')?.language], ['order_status', 'pt']);
    assert.equal(match('quero fazer uma devolucao', 'pt_BR')?.intent, 'returns');
    assert.equal(match('Dónde está mi pedidoo', 'es')?.intent, 'order_status');
    assert.equal(match('quiero una devolucion', 'es_MX')?.intent, 'returns');
  });

  it('synonyms stand for the phrase word, with their own typo budget', () => {
    assert.equal(match('I want a human')?.intent, 'human');
    assert.equal(match('get me a representativ')?.intent, 'human');
    assert.equal(match('quero um humano', 'pt')?.intent, 'human');
  });

  it('patterns match the normalized text', () => {
    const m = match('Order #123456 please');
    assert.equal(m?.intent, 'order_status');
    assert.equal(m?.by, '\\border\\s+#?\\d{4,}\\b');
  });

  it('patterns see only the first 1,000 characters of a long message', () => {
    const intents: IntentDefinition[] = [{ name: 'tail', phrases: {}, patterns: { en: ['zzz$'] } }];
    assert.equal(matchIntent(`${'a '.repeat(400)}zzz`, intents, { language: 'en', defaultLanguage: 'en' })?.intent, 'tail');
    assert.equal(matchIntent(`${'a '.repeat(600)}zzz`, intents, { language: 'en', defaultLanguage: 'en' }), null);
  });

  it('the customer\'s language first, then the default, then any other', () => {
    assert.deepEqual(languageOrder('pt_BR', 'en', ['en', 'pt', 'es']), ['pt', 'en', 'es']);
    assert.deepEqual(languageOrder(null, 'es', ['en', 'pt', 'es']), ['es', 'en', 'pt']);
    // A Portuguese message from a customer whose language is unknown still matches.
    assert.equal(match('falar com uma pessoa', null)?.intent, 'human');
  });

  it('more matched words beat fewer; fewer typos beat more', () => {
    const intents: IntentDefinition[] = [
      { name: 'short', phrases: { en: ['order'] } },
      { name: 'long', phrases: { en: ['cancel my order'] } },
    ];
    assert.equal(matchIntent('please cancel my order', intents, { language: 'en', defaultLanguage: 'en' })?.intent, 'long');
    const exact: IntentDefinition[] = [
      { name: 'typo', phrases: { en: ['ordex'] } },
      { name: 'exact', phrases: { en: ['order'] } },
    ];
    assert.equal(matchIntent('order', exact, { language: 'en', defaultLanguage: 'en' })?.intent, 'exact');
  });

  it('short words must be exact: "hi" is not "ho"', () => {
    const intents: IntentDefinition[] = [{ name: 'greet', phrases: { en: ['hi'] } }];
    assert.equal(matchIntent('ho', intents, { language: 'en', defaultLanguage: 'en' }), null);
    assert.equal(matchIntent('Hi!', intents, { language: 'en', defaultLanguage: 'en' })?.intent, 'greet');
  });
});
