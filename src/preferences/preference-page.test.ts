import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deriveConsent } from '../consent/derive-consent.js';
import { CHANNELS, PURPOSES } from '../consent/types.js';
import { changedChoices, displayedChoices } from './preference-choices.js';
import { renderErrorPage, renderPreferencePage } from './preference-page.js';
import { PAGE_TEXTS, pageLanguage } from './page-texts.js';

const implicit = { utility: 'implicit', authentication: 'implicit' } as const;

describe('preference centre page', () => {
  it('labels every checkbox, groups them per purpose, and escapes the business name', () => {
    const html = renderPreferencePage({ lang: 'en', businessName: 'Tom & <Jerry>', who: '•••• 1234', choices: displayedChoices(deriveConsent([]), implicit), action: 'tok' });
    assert.equal((html.match(/<fieldset>/g) ?? []).length, PURPOSES.length);
    assert.equal((html.match(/type="checkbox"/g) ?? []).length, PURPOSES.length * CHANNELS.length);
    for (const purpose of PURPOSES) for (const channel of CHANNELS) assert.match(html, new RegExp(`<label for="c-${purpose}-${channel}"><input type="checkbox" id="c-${purpose}-${channel}"`));
    assert.match(html, /Tom &amp; &lt;Jerry&gt;/);
    assert.ok(!html.includes('<Jerry>'));
    assert.match(html, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
    assert.ok(!/<script/i.test(html));
  });

  it('is right-to-left in Arabic, and every language has every text', () => {
    assert.match(renderErrorPage('ar', 'expired'), /<html lang="ar" dir="rtl">/);
    const keys = Object.keys(PAGE_TEXTS.en).sort();
    for (const [lang, texts] of Object.entries(PAGE_TEXTS)) {
      assert.deepEqual(Object.keys(texts).sort(), keys, lang);
      assert.deepEqual(Object.keys(texts.purposes).sort(), [...PURPOSES].sort(), lang);
      assert.ok(texts.intro.includes('{business}') && texts.who.includes('{who}'), lang);
    }
  });

  it('picks the contact language, then the browser, then English', () => {
    assert.equal(pageLanguage('pt-BR', 'en-US'), 'pt');
    assert.equal(pageLanguage(null, 'ja-JP,fr;q=0.8'), 'fr');
    assert.equal(pageLanguage('ja', undefined), 'en');
  });

  it('shows ticked what the gate allows, and turns only the differences into changes', () => {
    const shown = displayedChoices(deriveConsent([]), implicit);
    assert.equal(shown.marketing.whatsapp, false);
    assert.equal(shown.utility.email, true);
    assert.equal(shown.service.sms, true);
    const submitted: Record<string, string> = {};
    for (const purpose of PURPOSES) for (const channel of CHANNELS) if (shown[purpose][channel]) submitted[`${purpose}.${channel}`] = 'on';
    assert.deepEqual(changedChoices(shown, submitted), []);
    submitted['marketing.sms'] = 'on';
    delete submitted['authentication.email'];
    assert.deepEqual(changedChoices(shown, submitted), [{ purpose: 'marketing', channel: 'sms', granted: true }, { purpose: 'authentication', channel: 'email', granted: false }]);
  });
});
