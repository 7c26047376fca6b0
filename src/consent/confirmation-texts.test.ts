import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CONFIRMATION_KEYWORDS, CONFIRMATION_TEXTS, confirmationLanguage, confirmationText } from './confirmation-texts.js';
import { KEYWORD_LISTS, detectOptKeyword } from './opt-out-keywords.js';

describe('opt-out confirmations', () => {
  it('exist for every keyword language, and name a keyword that undoes them', () => {
    for (const { language } of KEYWORD_LISTS) {
      const texts = CONFIRMATION_TEXTS[language];
      assert.ok(texts, `${language} has confirmation texts`);
      const words = CONFIRMATION_KEYWORDS[language];
      assert.equal(detectOptKeyword(words.optOut)?.kind, 'opt_in', `${language}: the opt-out confirmation names an opt-in word`);
      assert.equal(detectOptKeyword(words.optIn)?.kind, 'opt_out', `${language}: the opt-in confirmation names an opt-out word`);
      assert.ok(texts.optOut.includes(words.optOut), `${language} opt-out text mentions ${words.optOut}`);
      assert.ok(texts.optIn.includes(words.optIn), `${language} opt-in text mentions ${words.optIn}`);
      assert.ok(texts.manage.includes('{url}'));
    }
  });

  it('choose the contact language first, then the keyword, then the country, then English', () => {
    assert.equal(confirmationLanguage({ contactLanguage: 'pt-BR', keywordLanguages: ['en'] }), 'pt');
    assert.equal(confirmationLanguage({ contactLanguage: 'ja', keywordLanguages: ['de'] }), 'de');
    assert.equal(confirmationLanguage({ keywordLanguages: ['es', 'pt'], country: 'BR' }), 'pt');
    assert.equal(confirmationLanguage({ keywordLanguages: ['es', 'pt'], country: 'MX' }), 'es');
    assert.equal(confirmationLanguage({ keywordLanguages: ['en', 'fr', 'de', 'it', 'id'], country: 'FR' }), 'fr');
    assert.equal(confirmationLanguage({ keywordLanguages: ['en', 'fr', 'de', 'it', 'id'], country: 'US' }), 'en');
    assert.equal(confirmationLanguage({ country: 'IT' }), 'it');
    assert.equal(confirmationLanguage({}), 'en');
  });

  it('add the preference-centre link when there is one', () => {
    assert.equal(confirmationText('opt_out', 'es'), CONFIRMATION_TEXTS.es.optOut);
    assert.match(confirmationText('opt_in', 'xx', 'https://p.example/preferences/t'), /subscribed again[\s\S]*https:\/\/p\.example\/preferences\/t$/);
  });
});
