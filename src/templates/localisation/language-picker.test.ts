import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pickLanguage } from './language-picker.js';

describe('language picker', () => {
  it('picks the exact language of the contact first', () => {
    const pick = pickLanguage({ contactLanguage: 'pt_BR', available: ['en_US', 'pt', 'pt_BR'], fallbackLanguage: 'en_US' });
    assert.equal(pick.language, 'pt_BR');
    assert.equal(pick.rule, 'exact');
  });

  it('matches a hyphenated contact language to Meta’s underscore code', () => {
    assert.equal(pickLanguage({ contactLanguage: 'pt-br', available: ['pt_BR'], fallbackLanguage: null }).rule, 'exact');
  });

  it('falls back to the base language (pt_BR → pt) before the workspace fallback', () => {
    const pick = pickLanguage({ contactLanguage: 'pt_BR', available: ['en_US', 'pt'], fallbackLanguage: 'en_US' });
    assert.deepEqual([pick.language, pick.rule], ['pt', 'base']);
    assert.match(pick.why, /base language pt/);
  });

  it('uses the workspace fallback when neither the language nor its base is available', () => {
    const pick = pickLanguage({ contactLanguage: 'de_DE', available: ['en_US', 'pt_BR'], fallbackLanguage: 'en_US' });
    assert.deepEqual([pick.language, pick.rule], ['en_US', 'fallback']);
  });

  it('uses the fallback for a contact without a language', () => {
    assert.equal(pickLanguage({ contactLanguage: null, available: ['en_US', 'es'], fallbackLanguage: 'es' }).language, 'es');
  });

  it('uses the only translation when nothing else matches', () => {
    const pick = pickLanguage({ contactLanguage: 'de', available: ['en_US'], fallbackLanguage: null });
    assert.deepEqual([pick.language, pick.rule], ['en_US', 'only']);
  });

  it('picks nothing, and says why, when several translations exist and none matches', () => {
    const pick = pickLanguage({ contactLanguage: 'de', available: ['en_US', 'es'], fallbackLanguage: 'fr' });
    assert.deepEqual([pick.language, pick.rule], [null, 'none']);
    assert.match(pick.why, /fallback fr is not available/);
  });
});
