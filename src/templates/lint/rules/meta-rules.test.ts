import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TemplateBody, TemplateComponent } from '../../../template-text/template-shape.js';
import { lintTemplate } from '../run-lint.js';

const template = (category: TemplateBody['category'], components: TemplateComponent[]): TemplateBody => ({ name: 'sample', language: 'en_US', category, components });
const body = (text: string, example?: string[]): TemplateComponent => ({ type: 'BODY', text, ...(example ? { example: { body_text: [example] } } : {}) });
const findings = (t: TemplateBody, ruleId: string) => lintTemplate(t).filter((f) => f.ruleId === ruleId);

describe('rules Meta applies that lint used to miss', () => {
  it('copy-code-in-utility: a copy-code button in a UTILITY template is a warning with a hint; in MARKETING it is not reported', () => {
    const buttons: TemplateComponent = { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: '25OFF' }] };
    const [f] = findings(template('UTILITY', [body('Your booking is confirmed, keep this reference.'), buttons]), 'copy-code-in-utility');
    assert.equal(f.severity, 'warning');
    assert.equal(f.path, '/components/1/buttons/0/type');
    assert.match(f.fix, /MARKETING/);
    assert.deepEqual(findings(template('MARKETING', [body('Use the code below, reply STOP to opt out.'), buttons]), 'copy-code-in-utility'), []);
  });

  it('footer-text-format: a new line in the footer is an error, emoji a warning', () => {
    const footer = (text: string) => template('UTILITY', [body('Your order has shipped.'), { type: 'FOOTER', text }]);
    const [newline] = findings(footer('Lucky Shrub\r\nGarden centre'), 'footer-text-format');
    assert.equal(newline.severity, 'error');
    assert.equal(newline.path, '/components/1/text');
    const [emoji] = findings(footer('Lucky Shrub 🌱'), 'footer-text-format');
    assert.equal(emoji.severity, 'warning');
    assert.deepEqual(findings(footer('Lucky Shrub: the luckiest shop in town!'), 'footer-text-format'), []);
  });

  it('copy-code-example: up to 15 characters passes, 16 to 20 is a warning, over 20 or missing is an error', () => {
    const code = (example?: string) =>
      findings(template('MARKETING', [body('Use the code below, reply STOP to opt out.'), { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', ...(example === undefined ? {} : { example }) }] }]), 'copy-code-example');
    assert.deepEqual(code('FALL2023SAVE25X'), []);
    assert.equal(code('FALL2023SAVE25XY')[0].severity, 'warning');
    assert.equal(code('FALL2023SAVE25XYZ1234')[0].severity, 'error');
    assert.equal(code(undefined)[0].severity, 'error');
    assert.equal(code('FALL2023SAVE25XY')[0].path, '/components/1/buttons/0/example');
  });

  it('example-value-format: example values with a new line, a tab or more than 4 spaces are errors, wherever they sit', () => {
    const positional = template('UTILITY', [
      { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['A\t1'] } },
      body('Hi {{1}}, your order {{2}} has shipped.', ['Asha', 'A1     B2']),
    ]);
    const found = findings(positional, 'example-value-format');
    assert.deepEqual(found.map((f) => [f.path, f.severity]), [['/components/0/example/header_text/0', 'error'], ['/components/1/example/body_text/0/1', 'error']]);
    assert.match(found[0].message, /a tab/);
    assert.match(found[1].message, /more than 4 spaces/);
    const named: TemplateBody = {
      ...template('UTILITY', [{ type: 'BODY', text: 'Hi {{first_name}}, your order has shipped.', example: { body_text_named_params: [{ param_name: 'first_name', example: 'Asha\nRao' }] } }]),
      parameter_format: 'NAMED',
    };
    const [f] = findings(named, 'example-value-format');
    assert.equal(f.path, '/components/0/example/body_text_named_params/0/example');
    assert.match(f.message, /a line break/);
    assert.deepEqual(findings(template('UTILITY', [body('Hi {{1}}, your order has shipped.', ['Asha    Rao'])]), 'example-value-format'), [], '4 spaces are allowed');
  });
});

describe('Meta’s spelling of a template', () => {
  it('reads lower-case enum values ("type": "body", "category": "utility") as Meta does: no structure errors', () => {
    const lower = {
      name: 'reservation_update',
      language: 'en_US',
      category: 'utility',
      parameter_format: 'named',
      components: [
        { type: 'header', format: 'text', text: 'Reservation update' },
        { type: 'body', text: 'Hi {{first_name}}, your table is booked for tonight.', example: { body_text_named_params: [{ param_name: 'first_name', example: 'Asha' }] } },
        { type: 'buttons', buttons: [{ type: 'quick_reply', text: 'Cancel reservation' }] },
      ],
    } as unknown as TemplateBody;
    assert.deepEqual(lintTemplate(lower), []);
  });

  it('still applies the category rules to a lower-case category', () => {
    const promo = { name: 'x', language: 'en_US', category: 'utility', components: [{ type: 'body', text: 'Your order shipped. Buy now and get 20% off!' }] } as unknown as TemplateBody;
    assert.ok(lintTemplate(promo).some((f) => f.ruleId === 'promotional-in-utility'));
  });

  it('warns on parts Meta accepts that Parley does not model, and still refuses types Meta does not know', () => {
    const structure = (components: unknown[]) => lintTemplate({ name: 'x', language: 'en_US', category: 'MARKETING', components } as unknown as TemplateBody).filter((f) => f.ruleId === 'component-structure');
    const text = { type: 'BODY', text: 'New arrivals are in, reply STOP to opt out.' };
    assert.deepEqual(structure([text, { type: 'BUTTONS', buttons: [{ type: 'catalog', text: 'View catalog' }] }]).map((f) => [f.severity, f.path]), [['warning', '/components/1/buttons/0/type']]);
    assert.deepEqual(structure([{ type: 'HEADER', format: 'GIF', example: { header_handle: ['4::aW...'] } }, text]).map((f) => [f.severity, f.path]), [['warning', '/components/0/format']]);
    assert.deepEqual(structure([{ type: 'LIMITED_TIME_OFFER', limited_time_offer: { text: 'Expiring offer!', has_expiration: true } }, text]).map((f) => [f.severity, f.path]), [['warning', '/components/0/type']]);
    assert.deepEqual(structure([text, { type: 'BUTTONS', buttons: [{ type: 'TELEPORT', text: 'Go' }] }]).map((f) => f.severity), ['error']);
  });

  it('accepts the Android app of a one-tap button in "supported_apps", Meta’s current form', () => {
    const auth = (button: Record<string, unknown>) =>
      ({ name: 'auth_code', language: 'en_US', category: 'AUTHENTICATION', components: [{ type: 'BODY', add_security_recommendation: true }, { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'ONE_TAP', text: 'Copy code', ...button }] }] }) as unknown as TemplateBody;
    const shape = (t: TemplateBody) => lintTemplate(t).filter((f) => f.ruleId === 'authentication-shape');
    assert.deepEqual(shape(auth({ supported_apps: [{ package_name: 'com.example.luckyshrub', signature_hash: 'K8a/AINcGX7' }] })), []);
    assert.deepEqual(shape(auth({ package_name: 'com.example.luckyshrub', signature_hash: 'K8a/AINcGX7' })), []);
    assert.equal(shape(auth({ supported_apps: [] })).length, 1);
    assert.equal(shape(auth({})).length, 1);
  });
});
