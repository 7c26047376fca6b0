import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { WhatsAppAPI } from 'whatsapp-api-js';
import { ROOT } from '../harness/cli.js';
import { startTestEmulator, template, waitFor, type ReceivedPost, type TestEmulator } from './harness.js';

const FIXTURES = path.join(ROOT, 'test/fixtures/whatsapp');

/** The type skeleton of a JSON value: same keys and nesting, leaves replaced by their JSON type. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape((value as Record<string, unknown>)[k])]));
  return typeof value;
}

function fixture(name: string): any {
  return JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));
}

function fixtureFiles(dir = FIXTURES, prefix = ''): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(path.join(dir, f)).isDirectory() ? fixtureFiles(path.join(dir, f), `${prefix}${f}/`) : f.endsWith('.json') ? [`${prefix}${f}`] : []));
}

/** The POST that carries the matching item, reduced to that one change and that one item (posts may batch several). */
function isolate(posts: ReceivedPost[], match: (item: any, change: any) => boolean): any {
  for (const post of posts) {
    for (const entry of post.body.entry ?? []) {
      for (const change of entry.changes) {
        const value = change.value;
        for (const key of ['messages', 'statuses', 'errors'] as const) {
          const item = value[key]?.find((i: any) => match(i, change));
          if (item) return { ...post.body, entry: [{ ...entry, changes: [{ ...change, value: { ...value, [key]: [item] } }] }] };
        }
        if (!value.messages && !value.statuses && !value.errors && match(value, change)) return { ...post.body, entry: [{ ...entry, changes: [change] }] };
      }
    }
  }
  return undefined;
}

describe('emulator webhooks and responses have the shapes of the recorded payloads', () => {
  let t: TestEmulator;
  const emitted = new Map<string, unknown>();
  const cloudPosts = () => t.receiver.posts.filter((p) => p.path === '/cloud');
  const find = (what: string, match: (item: any, change: any) => boolean) => waitFor(() => isolate(cloudPosts(), match), what);

  before(async () => {
    t = await startTestEmulator({ config: { numbers: [{ phoneNumberId: '106540352242922', displayPhoneNumber: '15550783881', limits: { throughputMps: 80, marketingCapPerUser: 1 } }, { phoneNumberId: '106540352242923', limits: { throughputMps: 1 } }] } });
    const customer = (type: string, body: Record<string, unknown>, from = '16505551234') => t.control('POST', `/customers/${from}/messages`, { type, ...body }).then((r) => r.body.id as string);

    const business = await t.send({ to: '16505551234', ...template('promo_offer', 'en_US', ['Sheena', '10%', 'HELLO']) });
    const contextId = business.body.messages[0].id;
    const inbound: Record<string, string> = {
      'cloud-text-message.json': await customer('text', { text: { body: "Hi, I'd like to check on my order." } }),
      'cloud-image-message.json': await customer('image', { image: { caption: 'This is a caption' } }),
      'cloud-location-message.json': await customer('location', { location: { address: '101 Forest Ave', latitude: 37.44, longitude: -122.16, name: 'Philz Coffee' } }),
      'cloud-interactive-button-reply.json': await customer('interactive', { contextId, interactive: { type: 'button_reply', button_reply: { id: 'cancel-button', title: 'Cancel' } } }),
      'cloud-interactive-list-reply.json': await customer('interactive', { contextId, interactive: { type: 'list_reply', list_reply: { id: 'priority_express', title: 'Priority Mail Express', description: 'Next Day to 2 Days' } } }),
      'cloud-button-quick-reply.json': await customer('button', { contextId, button: { payload: 'Unsubscribe', text: 'Unsubscribe' } }),
      'cloud-reaction-message.json': await customer('reaction', { reaction: { message_id: contextId, emoji: '👍' } }),
      'cloud-order-message.json': await customer('order', { order: { catalog_id: '194836987003835', text: 'Love these!', product_items: [{ product_retailer_id: 'di9ozbzfi4', quantity: 2, item_price: 7.99, currency: 'USD' }] } }),
      'cloud-unsupported-message.json': await customer('unsupported', { unsupported: { type: 'poll_update' } }),
      'cloud-system-user-changed-number.json': await customer('system', { system: { wa_id: '12195555358' } }),
    };
    for (const [file, id] of Object.entries(inbound)) emitted.set(file, await find(file, (m) => m.id === id));
    emitted.set('extra/cloud-text-message-dashboard-test.json', emitted.get('cloud-text-message.json'));

    const utility = await t.send({ to: '16505550001', ...template('order_update', 'en_US', ['Sheena', '#1', 'shipped']) });
    const uid = utility.body.messages[0].id;
    for (const status of ['sent', 'delivered', 'read']) emitted.set(`cloud-status-${status}.json`, await find(status, (s) => s.id === uid && s.status === status));
    // The per-user cap (1 here) applies outside the service window, so to a customer who has not written.
    await t.send({ to: '16505550009', ...template('promo_offer', 'en_US', ['Sheena', '10%', 'FIRST']) });
    const capped = await t.send({ to: '16505550009', ...template('promo_offer', 'en_US', ['Sheena', '10%', 'AGAIN']) });
    emitted.set('cloud-status-failed.json', await find('131049 failed status', (s) => s.id === capped.body.messages[0].id && s.status === 'failed'));

    await t.send({ to: '16505550002', ...template('hello_world') }, '106540352242923');
    const refused = await t.send({ to: '16505550003', ...template('hello_world') }, '106540352242923');
    emitted.set('cloud-value-errors-130429.json', await find('130429 errors webhook', (e) => e.code === 130429));

    const create = (name: string, text: string) =>
      t.graph('POST', `/v21.0/${t.emu.info.wabaId}/message_templates`, { name, language: 'en', category: 'MARKETING', components: [{ type: 'BODY', text, example: { body_text: [['x']] } }] });
    await create('spring_sale', 'Our spring sale starts today with {{1}} off everything.');
    await create('abandoned_cart', '{{1}}');
    emitted.set('cloud-template-status-approved.json', await find('approval', (v, c) => c.field === 'message_template_status_update' && v.message_template_name === 'spring_sale'));
    emitted.set('cloud-template-status-rejected.json', await find('rejection', (v, c) => c.field === 'message_template_status_update' && v.message_template_name === 'abandoned_cart'));
    await t.control('POST', '/templates/status', { name: 'order_update', language: 'en_US', quality: 'YELLOW' });
    emitted.set('cloud-template-quality-update.json', await find('quality update', (_v, c) => c.field === 'message_template_quality_update'));
    await t.control('PUT', '/numbers/106540352242923/limits', { throughputMps: 1000 });
    emitted.set('extra/cloud-phone-number-quality-update.json', await find('throughput upgrade', (_v, c) => c.field === 'phone_number_quality_update'));

    const ultramsgPosts = () => t.receiver.posts.filter((p) => p.path === '/ultramsg').map((p) => p.body);
    await t.control('POST', '/ultramsg/instance1150/inbound', { from: '10172127174', name: 'E.St', body: 'Hi' });
    emitted.set('ultramsg-message-received.json', await waitFor(() => ultramsgPosts().find((b) => b.event_type === 'message_received'), 'message_received'));
    const sent = await fetch(`${t.emu.info.url}/instance1150/messages/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: t.emu.info.ultramsgToken, to: '+10172127174', body: 'Your order has shipped' }) });
    emitted.set('api/ultramsg-send-success-response.json', await sent.json());
    emitted.set('ultramsg-message-ack.json', await waitFor(() => ultramsgPosts().find((b) => b.event_type === 'message_ack' && b.data.ack === 'device'), 'message_ack device'));

    const text = await t.send({ to: '+16505551234', type: 'text', text: { body: 'We are on it.' } });
    assert.equal(text.status, 200);
    emitted.set('api/cloud-send-success-response.json', text.body);
    // Meta says `error_subcode` is no longer sent from v16.0 on; the recorded sample still has it.
    emitted.set('api/cloud-error-response-130429.json', { error: { ...refused.body.error, error_subcode: 2494055 } });
    assert.equal(refused.body.error.code, 130429);
  });
  after(() => t.close());

  it('every fixture file has a counterpart the emulator emitted', () => {
    const missing = fixtureFiles().filter((f) => !emitted.has(f));
    assert.deepEqual(missing, [], 'fixtures with no emulated counterpart');
  });

  for (const file of fixtureFiles()) {
    it(`${file}: same keys, nesting and types as the emulator's`, () => {
      assert.ok(emitted.has(file), `no emulated counterpart for ${file}`);
      assert.deepEqual(shape(emitted.get(file)), shape(fixture(file)));
    });
  }

  it('the emulated status payloads carry the fixture values that are facts, not examples', () => {
    const sent: any = emitted.get('cloud-status-sent.json');
    const status = sent.entry[0].changes[0].value.statuses[0];
    assert.deepEqual(status.pricing, { billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' });
    assert.equal(sent.entry[0].changes[0].value.metadata.display_phone_number, '15550783881');
    const system: any = emitted.get('cloud-system-user-changed-number.json');
    assert.equal(system.entry[0].changes[0].value.contacts, undefined, 'no contacts on system messages');
    assert.equal(system.entry[0].changes[0].value.messages[0].system.type, 'user_changed_number');
  });

  it("whatsapp-api-js's post() verifies the signature of every messages webhook and parses it", async () => {
    const wa = new WhatsAppAPI({ token: 'unused', appSecret: t.emu.info.appSecret, v: 'v24.0' });
    let messages = 0;
    let statuses = 0;
    wa.on.message = () => void messages++;
    wa.on.status = () => void statuses++;
    const posts = cloudPosts().filter((p) => p.body.entry[0].changes[0].field === 'messages' && !p.body.entry[0].changes[0].value.errors);
    assert.ok(posts.length > 5);
    for (const post of posts) await wa.post(post.body, post.raw, post.headers['x-hub-signature-256'] as string);
    // post() reads the first change of each body (a body may batch more), so one handler call per body.
    assert.equal(messages + statuses, posts.length);
    assert.ok(messages > 0 && statuses > 0);
    const tampered = posts[0].raw.replace('whatsapp_business_account', 'whatsapp_business_accounT');
    await assert.rejects(wa.post(JSON.parse(tampered), tampered, posts[0].headers['x-hub-signature-256'] as string), /verify|signature/i);
  });
});
