import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ParleyError } from '../errors/parley-error.js';
import { renderCloudTemplate } from './cloud-template.js';
import { renderUltraMsgMessage } from './ultramsg-message.js';
import type { RenderableTemplate } from './params.js';

const orderUpdate: RenderableTemplate = {
  name: 'order_update',
  language: 'en_US',
  category: 'UTILITY',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['A123'] } },
    { type: 'BODY', text: 'Hi {{1}}, your order of {{2}} ships on {{3}}. Thank you!', example: { body_text: [['Asha', '$10', 'Monday']] } },
    { type: 'FOOTER', text: 'Lucky Shrub' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Change' },
        { type: 'URL', text: 'Track', url: 'https://example.com/track/{{1}}', example: ['https://example.com/track/A123'] },
        { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+15550783881' },
      ],
    },
  ],
};

const params = {
  header: 'A123',
  body: ['Asha', { currency: { fallback_value: '$100.99', code: 'USD', amount_1000: 100990 } }, { date_time: { fallback_value: 'February 25, 1977' } }],
  buttons: { '0': 'CHANGE_A123', '1': 'A123' },
};

describe('template rendering', () => {
  it('renders the exact Cloud API template object with header, body (text, currency, date_time) and button parameters', () => {
    assert.deepStrictEqual(renderCloudTemplate(orderUpdate, params), {
      name: 'order_update',
      language: { code: 'en_US' },
      components: [
        { type: 'header', parameters: [{ type: 'text', text: 'A123' }] },
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Asha' },
            { type: 'currency', currency: { fallback_value: '$100.99', code: 'USD', amount_1000: 100990 } },
            { type: 'date_time', date_time: { fallback_value: 'February 25, 1977' } },
          ],
        },
        { type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'CHANGE_A123' }] },
        { type: 'button', sub_type: 'url', index: '1', parameters: [{ type: 'text', text: 'A123' }] },
      ],
    });
  });

  it('renders the exact UltraMsg chat body: header, filled body, footer and button lines', () => {
    assert.deepStrictEqual(renderUltraMsgMessage(orderUpdate, params), {
      endpoint: 'messages/chat',
      body: 'Order A123\n\nHi Asha, your order of $100.99 ships on February 25, 1977. Thank you!\n\nLucky Shrub\n\nTrack: https://example.com/track/A123\nCall us: +15550783881',
    });
  });

  it('renders named parameters with parameter_name', () => {
    const named: RenderableTemplate = {
      name: 'welcome',
      language: 'pt_BR',
      category: 'MARKETING',
      parameter_format: 'NAMED',
      components: [{ type: 'BODY', text: 'Olá {{customer_name}}, use {{code}} hoje.' }],
    };
    assert.deepStrictEqual(renderCloudTemplate(named, { body: { code: 'X1', customer_name: 'Ana' } }), {
      name: 'welcome',
      language: { code: 'pt_BR' },
      components: [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'customer_name', text: 'Ana' }, { type: 'text', parameter_name: 'code', text: 'X1' }] }],
    });
    assert.deepStrictEqual(renderUltraMsgMessage(named, { body: { code: 'X1', customer_name: 'Ana' } }), { endpoint: 'messages/chat', body: 'Olá Ana, use X1 hoje.' });
  });

  it('renders a media header and a copy-code button; UltraMsg gets the image with the text as caption', () => {
    const promo: RenderableTemplate = {
      name: 'promo',
      language: 'en',
      category: 'MARKETING',
      components: [
        { type: 'HEADER', format: 'IMAGE', example: { header_handle: ['4::x'] } },
        { type: 'BODY', text: 'Get {{1}} off today.' },
        { type: 'FOOTER', text: 'Reply STOP to opt out' },
        { type: 'BUTTONS', buttons: [{ type: 'COPY_CODE', example: 'SAVE25' }] },
      ],
    };
    const p = { header: { image: { link: 'https://cdn.example.com/p.png' } }, body: ['25%'], buttons: { '0': 'SAVE25' } };
    assert.deepStrictEqual(renderCloudTemplate(promo, p).components, [
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/p.png' } }] },
      { type: 'body', parameters: [{ type: 'text', text: '25%' }] },
      { type: 'button', sub_type: 'copy_code', index: '0', parameters: [{ type: 'coupon_code', coupon_code: 'SAVE25' }] },
    ]);
    assert.deepStrictEqual(renderUltraMsgMessage(promo, p), { endpoint: 'messages/image', image: 'https://cdn.example.com/p.png', caption: 'Get 25% off today.\n\nReply STOP to opt out\n\nSAVE25' });
    assert.throws(() => renderUltraMsgMessage(promo, { ...p, header: { image: { id: '1479537139650973' } } }), (e: ParleyError) => e.code === 'TEMPLATE_RENDER_UNSUPPORTED');
  });

  it('renders an authentication template with the code in the body and the OTP button (Meta’s send shape)', () => {
    const auth: RenderableTemplate = {
      name: 'auth_code',
      language: 'en_US',
      category: 'AUTHENTICATION',
      components: [
        { type: 'BODY', add_security_recommendation: true },
        { type: 'FOOTER', code_expiration_minutes: 5 },
        { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE', text: 'Copy code' }] },
      ],
    };
    assert.deepStrictEqual(renderCloudTemplate(auth, { body: ['123456'] }), {
      name: 'auth_code',
      language: { code: 'en_US' },
      components: [
        { type: 'body', parameters: [{ type: 'text', text: '123456' }] },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '123456' }] },
      ],
    });
    assert.deepStrictEqual(renderUltraMsgMessage(auth, { body: ['123456'] }), {
      endpoint: 'messages/chat',
      body: '123456 is your verification code. For your security, do not share this code.\n\nThis code expires in 5 minutes.',
    });
  });

  it('renders a location header and a template without parameters', () => {
    const store: RenderableTemplate = { name: 'store', language: 'en', category: 'UTILITY', components: [{ type: 'HEADER', format: 'LOCATION' }, { type: 'BODY', text: 'Your parcel waits at this store.' }] };
    const location = { latitude: '37.44', longitude: '-122.16', name: 'Philz Coffee', address: '101 Forest Ave' };
    assert.deepStrictEqual(renderCloudTemplate(store, { header: { location } }).components, [{ type: 'header', parameters: [{ type: 'location', location }] }]);
    assert.equal((renderUltraMsgMessage(store, { header: { location } }) as { body: string }).body, 'Philz Coffee\n101 Forest Ave\n\nYour parcel waits at this store.');
    const plain: RenderableTemplate = { name: 'hello', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello there.' }] };
    assert.deepStrictEqual(renderCloudTemplate(plain), { name: 'hello', language: { code: 'en' } });
  });

  it('refuses a wrong parameter count before sending (the 132000 equivalent), naming what is expected', () => {
    const check = (p: object, field: string) =>
      assert.throws(() => renderCloudTemplate(orderUpdate, p), (e: ParleyError) => {
        assert.equal(e.code, 'TEMPLATE_PARAMETERS_MISMATCH');
        assert.equal(e.status, 400);
        assert.equal(e.field, field);
        assert.deepEqual((e.details as { expected: { body: string[] } }).expected.body, ['1', '2', '3']);
        return true;
      });
    check({ ...params, body: ['Asha', 'x'] }, '/body');
    check({ ...params, header: undefined }, '/header');
    check({ ...params, buttons: { '1': 'A1', '2': 'x' } }, '/buttons/2');
    check({ ...params, buttons: {} }, '/buttons/1');
  });

  it('refuses values the provider refuses: new lines, empty text, a long code, an over-long filled body', () => {
    const invalid = (fn: () => unknown) => assert.throws(fn, (e: ParleyError) => e.code === 'TEMPLATE_PARAMETER_INVALID' && e.status === 400);
    invalid(() => renderCloudTemplate(orderUpdate, { ...params, body: ['Asha\nRao', 'x', 'y'] }));
    invalid(() => renderCloudTemplate(orderUpdate, { ...params, body: ['  ', 'x', 'y'] }));
    invalid(() => renderCloudTemplate(orderUpdate, { ...params, body: ['a'.repeat(1000), 'x', 'y'] }));
    const auth: RenderableTemplate = { name: 'a', language: 'en', category: 'AUTHENTICATION', components: [{ type: 'BODY' }, { type: 'BUTTONS', buttons: [{ type: 'OTP', otp_type: 'COPY_CODE' }] }] };
    invalid(() => renderCloudTemplate(auth, { body: ['1234567890123456'] }));
  });
});
