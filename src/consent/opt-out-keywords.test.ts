import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KEYWORD_LISTS, detectOptKeyword, normalizeKeyword, payloadMatches } from './opt-out-keywords.js';

describe('opt-out keyword detection', () => {
  it('has lists in at least English, Spanish, Portuguese, French, German, Italian, Arabic, Hindi and Indonesian', () => {
    const languages = KEYWORD_LISTS.map((l) => l.language);
    for (const l of ['en', 'es', 'pt', 'fr', 'de', 'it', 'ar', 'hi', 'id']) assert.ok(languages.includes(l), l);
    for (const list of KEYWORD_LISTS) {
      assert.ok(list.optOut.length > 0, `${list.language} has opt-out words`);
      assert.ok(list.optIn.length > 0, `${list.language} has opt-in words`);
    }
  });

  it('every word of every list is detected as its kind, with its language', () => {
    for (const list of KEYWORD_LISTS) {
      for (const word of list.optOut) {
        const match = detectOptKeyword(word);
        assert.equal(match?.kind, 'opt_out', `${list.language} ${word}`);
        assert.ok(match.languages.includes(list.language));
      }
      for (const word of list.optIn) assert.equal(detectOptKeyword(word)?.kind, 'opt_in', `${list.language} ${word}`);
    }
  });

  it('ignores case, accents, surrounding spaces and punctuation at the ends', () => {
    for (const text of ['stop', 'Stop!', '  STOP.  ', '¡Baja!', 'arret', 'Arrêt', 'ARRET', 'parar', 'Sair', 'abmelden', 'Opt-out', 'opt out', '"unsubscribe"', 'STOP 🛑', 'descadastrar-me', 'nao quero mais', 'إلغاء الاشتراك', 'الغاء الاشتراك', 'बंद करो', 'berhenti']) {
      assert.equal(detectOptKeyword(text)?.kind, 'opt_out', text);
    }
    for (const text of ['Start', 'START!', 'alta', 'Inscrever', 'anmelden', "m'abonner", 'ابدأ', 'ابدا', 'शुरू', 'mulai']) {
      assert.equal(detectOptKeyword(text)?.kind, 'opt_in', text);
    }
  });

  it('common messages that contain a keyword but are not one do not trigger', () => {
    for (const text of ['stop by tomorrow?', "don't stop", 'parar aqui?', 'please stop sending the red one', 'Can I cancel my order?', 'start of the week works',
      'bajar el precio', 'Sair de casa agora', 'cancel', 'yes', 'voltar', 'stopwatch', 'restart', 'STOP STOP', '', '   ', '!!!', 'बंद?']) {
      assert.equal(detectOptKeyword(text), undefined, JSON.stringify(text));
    }
    assert.equal(detectOptKeyword(undefined), undefined);
    assert.equal(detectOptKeyword('stop '.repeat(30)), undefined);
  });

  it('a word shared by several languages names all of them', () => {
    assert.deepEqual(detectOptKeyword('PARAR')?.languages.sort(), ['es', 'pt']);
    assert.ok(detectOptKeyword('STOP')!.languages.includes('fr'));
  });

  it('normalizes hyphens and apostrophes inside as spaces', () => {
    assert.equal(normalizeKeyword(" M'Abonner! "), 'm abonner');
    assert.equal(normalizeKeyword('OPT_OUT'), 'opt out');
  });

  it('matches configured button payloads case-insensitively and exactly', () => {
    const configured = ['STOP', 'UNSUBSCRIBE', 'OPT_OUT'];
    assert.equal(payloadMatches('opt_out', configured), true);
    assert.equal(payloadMatches(' Stop ', configured), true);
    assert.equal(payloadMatches('STOP_PROMOS', configured), false);
    assert.equal(payloadMatches(undefined, configured), false);
  });
});
