import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getCountries } from 'libphonenumber-js/max';
import { COUNTRY_TIME_ZONE } from './country-time-zones.js';
import { guessTimeZone, isTimeZone } from './time-zone-guess.js';

describe('time zone guessed from the phone number', () => {
  it('every country libphonenumber knows has a zone the runtime accepts', () => {
    for (const country of getCountries()) {
      const zone = COUNTRY_TIME_ZONE[country];
      assert.ok(zone, `${country} has no zone`);
      assert.ok(isTimeZone(zone), `${country}: ${zone} is not a known zone`);
    }
  });

  it('uses the area code where the country spans several zones', () => {
    assert.equal(guessTimeZone('+5511987654321'), 'America/Sao_Paulo');
    assert.equal(guessTimeZone('+5592987654321'), 'America/Manaus');
    assert.equal(guessTimeZone('+14155552671'), 'America/Los_Angeles');
    assert.equal(guessTimeZone('+13125550100'), 'America/Chicago');
    assert.equal(guessTimeZone('+12125550100'), 'America/New_York');
    assert.equal(guessTimeZone('+16045550100'), 'America/Vancouver');
    assert.equal(guessTimeZone('+526641234567'), 'America/Tijuana');
  });

  it('falls back to the country zone, and knows nothing of an unknown country', () => {
    assert.equal(guessTimeZone('+447700900123'), 'Europe/London');
    assert.equal(guessTimeZone('+919876543210'), 'Asia/Kolkata');
    assert.equal(guessTimeZone('+6281234567890'), 'Asia/Jakarta');
    assert.equal(guessTimeZone('+999123'), undefined);
  });

  it('tells real zone names from made-up ones', () => {
    assert.equal(isTimeZone('Europe/Paris'), true);
    assert.equal(isTimeZone('Mars/Olympus_Mons'), false);
  });
});
