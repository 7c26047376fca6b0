import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TemplateBody, TemplateComponent } from '../../../template-text/template-shape.js';
import { LINT_RULES } from './index.js';
import { lintTemplate, checkSubmission } from '../run-lint.js';
import { DEFAULT_LINT_OPTIONS } from '../types.js';

// A clean template of each category: every rule passes on these, so each failing example below is the
// clean template with one deliberate fault.
const utility = (components?: TemplateComponent[], extra: Partial<TemplateBody> = {}): TemplateBody => ({
  name: 'order_update',
  language: 'en_US',
  category: 'UTILITY',
  components: components ?? [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['A123'] } },
    { type: 'BODY', text: 'Hi {{1}}, your order {{2}} has shipped and arrives on {{3}}. Thank you!', example: { body_text: [['Asha', 'A123', 'Monday']] } },
    { type: 'FOOTER', text: 'Lucky Shrub' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'URL', text: 'Track', url: 'https://example.com/track/{{1}}', example: ['https://example.com/track/A123'] },
        { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+15550783881' },
      ],
    },
  ],
  ...extra,
});
const marketing = (components?: TemplateComponent[]): TemplateBody => ({
  name: 'summer_sale',
  language: 'en_US',
  category: 'MARKETING',
  components: components ?? [
    { type: 'BODY', text: 'Shop now through {{1}} and use code {{2}} to get 25% off.', example: { body_text: [['the end of August', '25OFF']] } },
    { type: 'FOOTER', text: 'Reply STOP to unsubscribe' },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop promotions' }, { type: 'COPY_CODE', example: '25OFF' }] },
  ],
});
const authentication = (components?: TemplateComponent[]): TemplateBody => ({
  name: 'auth_code',
  language: 'en_US',
  category: 'AUTHENTICATION',
  components: components ?? [
    { type: 'BODY', add_security_recommendation: true },
    { type: 'FOOTER', code_expiration_minutes: 5 },
    { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
  ],
});
const body = (text: string, example?: string[]): TemplateComponent => ({ type: 'BODY', text, ...(example ? { example: { body_text: [example] } } : {}) });

interface Examples {
  pass: TemplateBody;
  fail: TemplateBody;
  severity: 'error' | 'warning';
  path: string;
}

const EXAMPLES: Record<string, Examples> = {
  'name-format': { pass: utility(undefined, { name: 'order_update_2' }), fail: utility(undefined, { name: 'Order-Update' }), severity: 'error', path: '/name' },
  'language-code': { pass: utility(undefined, { language: 'pt_BR' }), fail: utility(undefined, { language: 'english' }), severity: 'error', path: '/language' },
  'component-structure': { pass: utility([body('Your order has shipped.')]), fail: utility([{ type: 'FOOTER', text: 'No body here' }]), severity: 'error', path: '/components' },
  'variable-syntax': {
    pass: utility([body('Hi {{customer_name}}, your order shipped.')], { parameter_format: 'NAMED' }),
    fail: utility([body('Hi {{ 1 }}, your order shipped.', ['Asha'])]),
    severity: 'error',
    path: '/components/0/text',
  },
  'variables-sequential': { pass: utility([body('Hi {{1}}, order {{2}} shipped.', ['Asha', 'A1'])]), fail: utility([body('Hi {{1}}, order {{3}} shipped.', ['Asha', 'A1'])]), severity: 'error', path: '/components/0/text' },
  'variable-examples': { pass: utility([body('Hi {{1}}, order {{2}} shipped.', ['Asha', 'A1'])]), fail: utility([body('Hi {{1}}, order {{2}} shipped.', ['Asha'])]), severity: 'error', path: '/components/0/example/body_text' },
  'media-header-example': {
    pass: utility([{ type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::aW1hZ2U='] } }, body('Your order has shipped.')]),
    fail: utility([{ type: 'HEADER', format: 'IMAGE' }, body('Your order has shipped.')]),
    severity: 'error',
    path: '/components/0/example/header_handle',
  },
  'length-limits': { pass: utility([body('a'.repeat(1024))]), fail: utility([body('a'.repeat(1025))]), severity: 'error', path: '/components/0/text' },
  'count-limits': {
    pass: utility([body('Your order has shipped.'), { type: 'FOOTER', text: 'Lucky Shrub' }]),
    fail: utility([body('Your order has shipped.'), { type: 'FOOTER', text: 'Order {{1}}' }]),
    severity: 'error',
    path: '/components/1/text',
  },
  'variable-at-edge': { pass: utility([body('Hi {{1}}, your order shipped.', ['Asha'])]), fail: utility([body('Your order shipped, {{1}}', ['Asha'])]), severity: 'error', path: '/components/0/text' },
  'adjacent-variables': { pass: utility([body('Hi {{1}} from {{2}} today.', ['Asha', 'Lisbon'])]), fail: utility([body('Hi {{1}} {{2}} today.', ['Asha', 'Rao'])]), severity: 'warning', path: '/components/0/text' },
  'variable-density': { pass: utility([body('Dear {{1}}, thanks.', ['Asha'])]), fail: utility([body('Hi {{1}}, {{2}}, {{3}}!', ['a', 'b', 'c'])]), severity: 'warning', path: '/components/0/text' },
  'promotional-in-utility': { pass: utility([body('Your order has shipped.')]), fail: utility([body('Your order has shipped. Buy now and get 20% off your next one!')]), severity: 'warning', path: '/components/0/text' },
  'marketing-opt-out-hint': {
    pass: marketing(),
    fail: marketing([body('Shop our new collection today.'), { type: 'FOOTER', text: 'Lucky Shrub' }]),
    severity: 'warning',
    path: '/components',
  },
  'link-shortener': { pass: utility([body('Track it at https://example.com/track today.')]), fail: utility([body('Track it at https://bit.ly/3xYz today.')]), severity: 'error', path: '/components/0/text' },
  'button-grouping': {
    pass: marketing([body('New arrivals are in, reply STOP to opt out.'), { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Yes' }, { type: 'QUICK_REPLY', text: 'No' }, { type: 'URL', text: 'Shop', url: 'https://example.com' }] }]),
    fail: marketing([body('New arrivals are in, reply STOP to opt out.'), { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Yes' }, { type: 'URL', text: 'Shop', url: 'https://example.com' }, { type: 'QUICK_REPLY', text: 'No' }] }]),
    severity: 'error',
    path: '/components/1/buttons',
  },
  'authentication-shape': {
    pass: authentication(),
    fail: authentication([{ type: 'BODY', text: 'Your code is {{1}}, enjoy.', example: { body_text: [['123456']] } }, { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] }]),
    severity: 'error',
    path: '/components/0/text',
  },
  'url-button-format': {
    pass: utility([body('Your order has shipped.'), { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://example.com/t/{{1}}', example: ['https://example.com/t/A1'] }] }]),
    fail: utility([body('Your order has shipped.'), { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://example.com/{{1}}/track', example: ['https://example.com/A1/track'] }] }]),
    severity: 'error',
    path: '/components/1/buttons/0/url',
  },
  'phone-button-format': {
    pass: utility([body('Your order has shipped.'), { type: 'BUTTONS', buttons: [{ type: 'PHONE_NUMBER', text: 'Call', phone_number: '+1 555 078 3881' }] }]),
    fail: utility([body('Your order has shipped.'), { type: 'BUTTONS', buttons: [{ type: 'PHONE_NUMBER', text: 'Call', phone_number: '555-0783' }] }]),
    severity: 'error',
    path: '/components/1/buttons/0/phone_number',
  },
  'header-text-format': {
    pass: utility([{ type: 'HEADER', format: 'TEXT', text: 'Your order' }, body('It has shipped.')]),
    fail: utility([{ type: 'HEADER', format: 'TEXT', text: 'Your order\nis here' }, body('It has shipped.')]),
    severity: 'error',
    path: '/components/0/text',
  },
  'example-value-format': {
    pass: utility([body('Hi {{1}}, your order shipped.', ['Asha    Rao'])]),
    fail: utility([body('Hi {{1}}, your order shipped.', ['Asha\nRao'])]),
    severity: 'error',
    path: '/components/0/example/body_text/0/0',
  },
  'copy-code-in-utility': {
    pass: marketing(),
    fail: utility([body('Your booking is confirmed.'), { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'BK1234' }] }]),
    severity: 'warning',
    path: '/components/1/buttons/0/type',
  },
  'copy-code-example': {
    pass: marketing([body('Use the code below for 10% off, reply STOP to opt out.'), { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'A'.repeat(15) }] }]),
    fail: marketing([body('Use the code below for 10% off, reply STOP to opt out.'), { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'A'.repeat(21) }] }]),
    severity: 'error',
    path: '/components/1/buttons/0/example',
  },
  'footer-text-format': {
    pass: utility([body('Your order has shipped.'), { type: 'FOOTER', text: 'Lucky Shrub, since 1999' }]),
    fail: utility([body('Your order has shipped.'), { type: 'FOOTER', text: 'Lucky Shrub\nsince 1999' }]),
    severity: 'error',
    path: '/components/1/text',
  },
  'duplicate-button-text': {
    pass: utility([body('Did it arrive?'), { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Yes' }, { type: 'QUICK_REPLY', text: 'No' }] }]),
    fail: utility([body('Did it arrive?'), { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Yes' }, { type: 'QUICK_REPLY', text: 'yes' }] }]),
    severity: 'warning',
    path: '/components/1/buttons/1/text',
  },
};

describe('template lint rules', () => {
  it('has a passing and a failing example for every rule, and rule ids are unique', () => {
    const ids = LINT_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual([...ids].sort(), Object.keys(EXAMPLES).sort());
  });

  it('finds nothing in a clean utility, marketing and authentication template', () => {
    for (const template of [utility(), marketing(), authentication()]) assert.deepEqual(lintTemplate(template), [], template.name);
  });

  for (const rule of LINT_RULES) {
    describe(rule.id, () => {
      const examples = EXAMPLES[rule.id];
      it('passes the good example', () => {
        assert.deepEqual(rule.check(examples.pass, DEFAULT_LINT_OPTIONS), []);
      });
      it(`reports the bad example as ${examples?.severity} at ${examples?.path} with a fix`, () => {
        const findings = rule.check(examples.fail, DEFAULT_LINT_OPTIONS);
        assert.ok(findings.length > 0, 'the rule must report the fault');
        const f = findings[0];
        assert.equal(f.ruleId, rule.id);
        assert.equal(f.severity, examples.severity);
        assert.equal(f.path, examples.path);
        assert.ok(f.message.length > 10 && f.fix.length > 10, 'message and fix say what and how');
      });
    });
  }

  it('suggests a valid name for a bad one', () => {
    const [f] = LINT_RULES.find((r) => r.id === 'name-format')!.check(utility(undefined, { name: 'Order Update!' }), DEFAULT_LINT_OPTIONS);
    assert.match(f.fix, /"order_update"/);
  });

  it('a malformed body yields structure findings instead of throwing', () => {
    const findings = lintTemplate({ name: 'x', language: 'en', category: 'UTILITY', components: 'nope' } as unknown as TemplateBody);
    assert.ok(findings.some((f) => f.ruleId === 'component-structure' && f.path === '/components'));
  });

  it('errors block submission; warnings block it until acknowledged by rule id', () => {
    const findings = lintTemplate(utility([body('Hi {{1}} {{2}} today, buy now!', ['Asha', 'Rao'])]));
    const none = checkSubmission(findings, []);
    assert.equal(none.ok, false);
    assert.deepEqual(none.errors, []);
    assert.deepEqual(none.unacknowledged.map((f) => f.ruleId).sort(), ['adjacent-variables', 'promotional-in-utility']);
    assert.equal(checkSubmission(findings, ['adjacent-variables']).ok, false);
    assert.equal(checkSubmission(findings, ['adjacent-variables', 'promotional-in-utility']).ok, true);
    const withError = lintTemplate(utility([body('{{1}} shipped', ['A1'])]));
    assert.equal(checkSubmission(withError, ['variable-at-edge']).ok, false, 'an error cannot be acknowledged away');
  });
});
