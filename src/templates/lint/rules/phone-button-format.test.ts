import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TemplateBody } from '../../../template-text/template-shape.js';
import { lintTemplate } from '../run-lint.js';

const withPhone = (phone_number: string): TemplateBody => ({
  name: 'order_confirmation',
  language: 'en_US',
  category: 'UTILITY',
  components: [
    { type: 'BODY', text: 'Thank you for your order. Call us with any question about it.' },
    { type: 'BUTTONS', buttons: [{ type: 'PHONE_NUMBER', text: 'Call', phone_number }] },
  ],
});
const phoneFindings = (phone: string) => lintTemplate(withPhone(phone)).filter((f) => f.ruleId === 'phone-button-format');

describe('phone-button-format', () => {
  it('accepts an assigned number written without + (country code first), as Meta writes it', () => {
    assert.deepEqual(phoneFindings('16467043595'), []);
    assert.deepEqual(phoneFindings('4915123456789'), []);
  });

  it('accepts a number with + and separators, including Meta\'s fictional +1 555 number', () => {
    assert.deepEqual(phoneFindings('+15550051310'), []);
    assert.deepEqual(phoneFindings('+1 (555) 005-1310'), []);
  });

  it('does not refuse Meta\'s own "15550051310": it is at most a warning, because +1 555 is no assigned range', () => {
    const findings = phoneFindings('15550051310');
    assert.equal(findings.length, 1);
    assert.equal(findings[0].severity, 'warning');
    assert.equal(findings[0].path, '/components/1/buttons/0/phone_number');
    assert.match(findings[0].fix, /"\+15550051310"/);
  });

  it('warns when digits without + may be a national number missing its country code', () => {
    const [f] = phoneFindings('2025550123');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /\+20/, 'says how Meta would dial it');
  });

  it('refuses what no country could dial: too short, a national 0, letters', () => {
    for (const phone of ['555-0783', '07911 123456', 'CALL-US-NOW', '+12345678901234567']) {
      const findings = phoneFindings(phone);
      assert.equal(findings.length, 1, phone);
      assert.equal(findings[0].severity, 'error', phone);
      assert.ok(findings[0].fix.length > 10);
    }
  });

  it('warns that Meta drops a 0 written right after the country code', () => {
    const [f] = phoneFindings('+55 0 955 585 95436');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /dropped/);
  });
});
