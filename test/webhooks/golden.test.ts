import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeStorage, type StorageFixture } from '../harness/storage.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import type { ParleyApp } from '../../src/http/types.js';
import type { DomainEvent } from '../../src/domain-events/events.js';
import { findContactByWaId } from '../../src/contacts/contact-queries.js';
import { listMessageEvents } from '../../src/messages/message-events.js';
import { hubSignature } from '../../src/webhooks/signature.js';
import { ULTRAMSG_SECRET_HEADER } from '../../src/channels/ultramsg/webhook/routes.js';
import {
  captureDomainEvents,
  fixture,
  FIXTURE_WAMID,
  FIXTURES,
  insertOutbound,
  insertSender,
  postCloud,
  processAll,
  webhookContext,
  withMessageId,
  pidHash,
} from './helpers.js';

/** Every webhook fixture (the `api/` folder holds HTTP responses of the sending API, not webhooks). */
function webhookFixtures(dir = FIXTURES, prefix = ''): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'api' ? [] : webhookFixtures(full, `${prefix}${name}/`);
    return name.endsWith('.json') ? [`${prefix}${name}`] : [];
  });
}

interface Env {
  fx: StorageFixture;
  ctx: ParleyContext;
  app: ParleyApp;
  workspaceId: string;
  senderId: string;
  ultraSenderId: string;
  events: DomainEvent[];
}

const ULTRA_SECRET = 'ultramsg-webhook-secret-1';

async function postAndProcess(env: Env, body: string) {
  const res = await postCloud(env.app, body);
  assert.equal(res.statusCode, 200, res.body);
  await processAll(env.ctx);
}

async function inboundMessage(env: Env, providerMessageId: string) {
  const row = await env.fx.db.selectFrom('messages').selectAll().where('provider_id_hash', '=', pidHash(env.fx.db, providerMessageId)).executeTakeFirstOrThrow();
  assert.equal(row.direction, 'inbound');
  assert.equal(row.status, 'received');
  assert.equal(row.sender_id, env.senderId);
  return { row, content: JSON.parse(await env.ctx.keyring.decrypt(env.workspaceId, row.content!)) as Record<string, any> };
}

/** Posts an inbound fixture under a fresh message id and returns the stored message. */
async function ingestInbound(env: Env, name: string) {
  return ingestText(env, fixture(name));
}

async function ingestText(env: Env, text: string) {
  const id = `wamid.test.${randomBytes(6).toString('hex')}`;
  await postAndProcess(env, withMessageId(text, id));
  return { id, ...(await inboundMessage(env, id)) };
}

const inboundEvent = (env: Env, messageId: string) => env.events.find((e) => e.type === 'message.inbound' && e.messageId === messageId) as Extract<DomainEvent, { type: 'message.inbound' }> | undefined;

async function assertContactAndWindow(env: Env, row: { contact_id: string | null; status_at: number }, waId = '16505551234') {
  const contact = await findContactByWaId(env.fx.db, env.ctx.keyring, env.workspaceId, waId);
  assert.ok(contact, 'a contact was found or created by wa_id');
  assert.equal(row.contact_id, contact.id, 'the message is linked to the contact');
  const window = await env.fx.db.selectFrom('service_windows').selectAll().where('sender_id', '=', env.senderId).where('contact_id', '=', contact.id).executeTakeFirst();
  assert.ok(window && window.last_inbound_at >= row.status_at, 'the 24-hour window is open from the message');
}

type Check = (env: Env, name: string) => Promise<void>;

const CHECKS: Record<string, Check> = {
  'cloud-text-message.json': async (env, name) => {
    const { row, content } = await ingestInbound(env, name);
    assert.equal(row.type, 'text');
    assert.deepEqual(content, { text: "Hi, I'd like to check on my order." });
    assert.equal(row.status_at, 1739321024_000);
    await assertContactAndWindow(env, row);
    const contact = await env.fx.db.selectFrom('contacts').select(['name', 'phone']).where('id', '=', row.contact_id!).executeTakeFirstOrThrow();
    assert.equal(await env.ctx.keyring.decrypt(env.workspaceId, contact.name!), 'Sheena Nelson');
    assert.equal(await env.ctx.keyring.decrypt(env.workspaceId, contact.phone!), '+16505551234');
    assert.equal(inboundEvent(env, row.id)?.text, "Hi, I'd like to check on my order.");
  },
  'cloud-image-message.json': async (env, name) => {
    const { row, content } = await ingestInbound(env, name);
    assert.equal(row.type, 'image');
    assert.equal(content.media.providerMediaId, '2754859441498128');
    assert.equal(content.media.mimeType, 'image/jpeg');
    assert.equal(content.caption, 'This is a caption');
    const media = await env.fx.db.selectFrom('media').selectAll().where('message_id', '=', row.id).executeTakeFirstOrThrow();
    assert.equal(media.provider_media_id, '2754859441498128');
    assert.equal(media.state, 'pending', 'the download is queued for the media worker');
    await assertContactAndWindow(env, row);
  },
  'cloud-location-message.json': async (env, name) => {
    const { row, content } = await ingestInbound(env, name);
    assert.equal(row.type, 'location');
    assert.deepEqual(content.location, { latitude: 37.44221496582, longitude: -122.16153582049394, name: 'Philz Coffee', address: '101 Forest Ave, Palo Alto, CA 94301' });
    await assertContactAndWindow(env, row);
  },
  'cloud-interactive-button-reply.json': async (env, name) => {
    const { row, content } = await ingestInbound(env, name);
    assert.equal(row.type, 'interactive');
    assert.deepEqual(content.reply, { kind: 'button', id: 'cancel-button', title: 'Cancel' });
    assert.equal(content.context.replyTo, 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=');
    const event = inboundEvent(env, row.id)!;
    assert.equal(event.buttonPayload, 'cancel-button');
    assert.equal(event.text, 'Cancel');
  },
  'cloud-interactive-list-reply.json': async (env, name) => {
    const { row, content } = await ingestInbound(env, name);
    assert.deepEqual(content.reply, { kind: 'list', id: 'priority_express', title: 'Priority Mail Express', description: 'Next Day to 2 Days' });
    assert.equal(inboundEvent(env, row.id)?.buttonPayload, 'priority_express');
  },
  'cloud-button-quick-reply.json': async (env, name) => {
    const { row, content } = await ingestInbound(env, name);
    assert.equal(row.type, 'button');
    assert.deepEqual(content.button, { payload: 'Unsubscribe', text: 'Unsubscribe' });
    assert.equal(inboundEvent(env, row.id)?.buttonPayload, 'Unsubscribe');
    await assertContactAndWindow(env, row);
  },
  'cloud-reaction-message.json': async (env, name) => {
    const { row, content } = await ingestInbound(env, name);
    assert.equal(row.type, 'reaction');
    assert.deepEqual(content.reaction, { targetProviderMessageId: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=', emoji: '👍', removed: false });
    // Removing the reaction: Meta sends the same payload without `emoji`.
    const removal = JSON.parse(fixture(name));
    delete removal.entry[0].changes[0].value.messages[0].reaction.emoji;
    const removed = await ingestText(env, JSON.stringify(removal));
    assert.deepEqual(removed.content.reaction, { targetProviderMessageId: 'wamid.HBgLMTQxMjU1NTA4MjkVAgASGBQzQUNCNjk5RDUwNUZGMUZEM0VBRAA=', emoji: null, removed: true });
  },
  'cloud-order-message.json': async (env, name) => {
    const { row, content } = await ingestInbound(env, name);
    assert.equal(row.type, 'order');
    assert.deepEqual(content.order, { catalogId: '194836987003835', text: 'Love these!', items: [{ productRetailerId: 'di9ozbzfi4', quantity: 2, itemPrice: 7.99, currency: 'USD' }] });
  },
  'cloud-unsupported-message.json': async (env, name) => {
    const { row, content } = await ingestInbound(env, name);
    assert.equal(row.type, 'unsupported');
    assert.deepEqual(content.unsupported, { type: 'poll_update' });
    assert.equal(content.errors[0].code, '131051');
    assert.equal(content.errors[0].details, 'Message type is currently not supported.');
  },
  'cloud-system-user-changed-number.json': async (env, name) => {
    const before = await findContactByWaId(env.fx.db, env.ctx.keyring, env.workspaceId, '16505551234');
    assert.ok(before, 'earlier fixtures created the contact');
    const { row, content } = await ingestInbound(env, name);
    assert.equal(row.type, 'system');
    assert.equal(content.system.type, 'user_changed_number');
    assert.equal(content.system.newWaId, '12195555358');
    const relinked = await findContactByWaId(env.fx.db, env.ctx.keyring, env.workspaceId, '12195555358');
    assert.equal(relinked?.id, before.id, 'the contact now answers to its new wa_id');
    assert.equal(await findContactByWaId(env.fx.db, env.ctx.keyring, env.workspaceId, '16505551234'), undefined);
  },
  'cloud-status-sent.json': async (env, name) => {
    const messageId = await insertOutbound(env.fx.db, { workspaceId: env.workspaceId, senderId: env.senderId, providerMessageId: FIXTURE_WAMID, status: 'accepted' });
    await postAndProcess(env, fixture(name));
    const message = await env.fx.db.selectFrom('messages').select(['status', 'status_at']).where('id', '=', messageId).executeTakeFirstOrThrow();
    assert.equal(message.status, 'sent');
    assert.equal(message.status_at, 1739321024_000);
    const events = await listMessageEvents(env.fx.db, messageId);
    assert.deepEqual(events.find((e) => e.kind === 'pricing')?.detail, { billable: true, pricing_model: 'PMP', category: 'utility', type: 'regular', providerStatus: 'sent' });
    assert.equal(events.filter((e) => e.kind === 'status' && e.status === 'sent').length, 1);
    assert.ok(env.events.some((e) => e.type === 'message.status' && e.messageId === messageId && e.status === 'sent'));
  },
  'cloud-status-delivered.json': async (env, name) => {
    await postAndProcess(env, fixture(name));
    const message = await env.fx.db.selectFrom('messages').select(['id', 'status']).where('provider_id_hash', '=', pidHash(env.fx.db, FIXTURE_WAMID)).executeTakeFirstOrThrow();
    assert.equal(message.status, 'delivered');
    const events = await listMessageEvents(env.fx.db, message.id);
    assert.equal(events.filter((e) => e.kind === 'pricing').length, 1, 'pricing repeated on delivered is stored once');
  },
  'cloud-status-read.json': async (env, name) => {
    await postAndProcess(env, fixture(name));
    await postAndProcess(env, fixture('cloud-status-delivered.json'));
    const message = await env.fx.db.selectFrom('messages').select(['id', 'status']).where('provider_id_hash', '=', pidHash(env.fx.db, FIXTURE_WAMID)).executeTakeFirstOrThrow();
    assert.equal(message.status, 'read', 'a redelivered delivered does not move read back');
  },
  'cloud-status-failed.json': async (env, name) => {
    // Against the read message: kept as an event, the status stays read.
    await postAndProcess(env, fixture(name));
    const read = await env.fx.db.selectFrom('messages').select(['id', 'status']).where('provider_id_hash', '=', pidHash(env.fx.db, FIXTURE_WAMID)).executeTakeFirstOrThrow();
    assert.equal(read.status, 'read');
    const kept = (await listMessageEvents(env.fx.db, read.id)).find((e) => e.status === 'failed');
    assert.equal((kept?.detail.errors as Array<{ code: string }>)[0].code, '131049');
    // Against a message only accepted: it fails, with the error code and title.
    const other = `wamid.failed.${randomBytes(4).toString('hex')}`;
    const messageId = await insertOutbound(env.fx.db, { workspaceId: env.workspaceId, senderId: env.senderId, providerMessageId: other, status: 'accepted' });
    await postAndProcess(env, withMessageId(fixture(name), other));
    const failed = await env.fx.db.selectFrom('messages').select(['status', 'error_code', 'error_message']).where('id', '=', messageId).executeTakeFirstOrThrow();
    assert.deepEqual(failed, { status: 'failed', error_code: '131049', error_message: 'This message was not delivered to maintain healthy ecosystem engagement.' });
    const detail = (await listMessageEvents(env.fx.db, messageId)).find((e) => e.kind === 'status')!.detail;
    assert.deepEqual((detail.errors as unknown[])[0], {
      code: '131049',
      title: 'This message was not delivered to maintain healthy ecosystem engagement.',
      message: 'This message was not delivered to maintain healthy ecosystem engagement.',
      details: 'In order to maintain a healthy ecosystem engagement, the message failed to be delivered.',
      href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
    });
  },
  'cloud-value-errors-130429.json': async (env, name) => {
    await postAndProcess(env, fixture(name));
    const error = await env.fx.db.selectFrom('provider_errors').selectAll().where('code', '=', '130429').executeTakeFirstOrThrow();
    assert.equal(error.sender_id, env.senderId);
    assert.equal(error.title, 'Rate limit hit');
    assert.match(error.detail, /too many messages sent from this phone number/);
  },
  'cloud-template-status-approved.json': async (env, name) => {
    await postAndProcess(env, fixture(name));
    const row = await env.fx.db.selectFrom('template_updates').selectAll().where('name', '=', 'order_confirmation').executeTakeFirstOrThrow();
    assert.deepEqual([row.kind, row.event, row.template_id, row.language, row.reason, row.category, row.waba_id], ['status', 'APPROVED', '1689556908129832', 'en-US', 'NONE', 'UTILITY', '102290129340398']);
    assert.ok(env.events.some((e) => e.type === 'template.status' && e.name === 'order_confirmation' && e.event === 'APPROVED'));
  },
  'cloud-template-status-rejected.json': async (env, name) => {
    await postAndProcess(env, fixture(name));
    const row = await env.fx.db.selectFrom('template_updates').selectAll().where('name', '=', 'abandoned_cart').executeTakeFirstOrThrow();
    assert.equal(row.event, 'REJECTED');
    assert.equal(row.reason, 'INVALID_FORMAT');
    assert.equal(JSON.parse(row.detail).rejectionInfo.recommendation, 'Add text before the first and after the last variable.');
    const event = env.events.find((e) => e.type === 'template.status' && e.name === 'abandoned_cart');
    assert.equal(event?.type === 'template.status' && event.reason, 'INVALID_FORMAT');
  },
  'cloud-template-quality-update.json': async (env, name) => {
    await postAndProcess(env, fixture(name));
    const row = await env.fx.db.selectFrom('template_updates').selectAll().where('name', '=', 'welcome_template').executeTakeFirstOrThrow();
    assert.deepEqual([row.kind, row.previous, row.event, row.template_id], ['quality', 'GREEN', 'YELLOW', '806312974732579']);
    assert.ok(env.events.some((e) => e.type === 'template.quality' && e.newScore === 'YELLOW' && e.previousScore === 'GREEN'));
  },
  'extra/cloud-phone-number-quality-update.json': async (env, name) => {
    await postAndProcess(env, fixture(name));
    const row = await env.fx.db.selectFrom('phone_number_updates').selectAll().executeTakeFirstOrThrow();
    assert.deepEqual([row.sender_id, row.event, row.current_limit], [env.senderId, 'THROUGHPUT_UPGRADE', 'TIER_UNLIMITED']);
    assert.ok(env.events.some((e) => e.type === 'phone_number.quality' && e.senderId === env.senderId && e.currentLimit === 'TIER_UNLIMITED'));
  },
  'extra/cloud-text-message-dashboard-test.json': async (env, name) => {
    // Meta's dashboard "Test" names a number no sender has: answered 200, kept with its error.
    const res = await postCloud(env.app, fixture(name));
    assert.equal(res.statusCode, 200);
    await processAll(env.ctx);
    const logged = await env.fx.db.selectFrom('webhook_log').select(['seq', 'state', 'error']).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    assert.equal(logged.state, 'failed');
    assert.match(logged.error!, /no sender with phone_number_id 123456123/);
    assert.equal(await env.fx.db.selectFrom('messages').select('id').where('provider_id_hash', '=', pidHash(env.fx.db, 'ABGGFlA5Fpa')).executeTakeFirst(), undefined);
    // Once the number is configured, a replay stores the message.
    await insertSender(env.fx.db, env.ctx.keyring, { workspaceId: env.workspaceId, phoneNumberId: '123456123' });
    await env.fx.db.updateTable('webhook_log').set({ state: 'pending', next_attempt_at: 0 }).where('seq', '=', logged.seq).execute();
    await processAll(env.ctx);
    const message = await env.fx.db.selectFrom('messages').select(['type', 'status_at']).where('provider_id_hash', '=', pidHash(env.fx.db, 'ABGGFlA5Fpa')).executeTakeFirstOrThrow();
    assert.deepEqual(message, { type: 'text', status_at: 1504902988_000 });
  },
  'ultramsg-message-received.json': async (env, name) => {
    const res = await env.app.inject({ method: 'POST', url: `/webhooks/whatsapp/ultramsg?secret=${ULTRA_SECRET}`, headers: { 'content-type': 'application/json' }, payload: fixture(name) });
    assert.equal(res.statusCode, 200, res.body);
    await processAll(env.ctx);
    const row = await env.fx.db.selectFrom('messages').selectAll().where('provider_id_hash', '=', pidHash(env.fx.db, 'false_10172127174@c.us_3EB02E5EB89CE03FB034')).executeTakeFirstOrThrow();
    assert.deepEqual([row.direction, row.status, row.type, row.sender_id, row.status_at], ['inbound', 'received', 'text', env.ultraSenderId, 1650002663_000]);
    assert.deepEqual(JSON.parse(await env.ctx.keyring.decrypt(env.workspaceId, row.content!)), { text: 'Hi' });
    const contact = await findContactByWaId(env.fx.db, env.ctx.keyring, env.workspaceId, '10172127174');
    assert.equal(row.contact_id, contact?.id);
    const window = await env.fx.db.selectFrom('service_windows').selectAll().where('sender_id', '=', env.ultraSenderId).executeTakeFirst();
    assert.equal(window?.last_inbound_at, 1650002663_000);
  },
  'ultramsg-message-ack.json': async (env, name) => {
    const messageId = await insertOutbound(env.fx.db, { workspaceId: env.workspaceId, senderId: env.ultraSenderId, providerMessageId: 'true_10172127174@c.us_3EB0C767D26A1D1A2B3C', status: 'accepted' });
    const res = await env.app.inject({ method: 'POST', url: '/webhooks/whatsapp/ultramsg', headers: { 'content-type': 'application/json', [ULTRAMSG_SECRET_HEADER]: ULTRA_SECRET }, payload: fixture(name) });
    assert.equal(res.statusCode, 200, res.body);
    await processAll(env.ctx);
    const message = await env.fx.db.selectFrom('messages').select('status').where('id', '=', messageId).executeTakeFirstOrThrow();
    assert.equal(message.status, 'delivered', 'ack "device" is delivered');
  },
};

// Statuses build on each other (sent → delivered → read → failed), and the system message relinks
// the contact the earlier inbound fixtures created, so the order matters.
const ORDER = [
  'cloud-text-message.json',
  'cloud-image-message.json',
  'cloud-location-message.json',
  'cloud-interactive-button-reply.json',
  'cloud-interactive-list-reply.json',
  'cloud-button-quick-reply.json',
  'cloud-reaction-message.json',
  'cloud-order-message.json',
  'cloud-unsupported-message.json',
  'cloud-system-user-changed-number.json',
  'cloud-status-sent.json',
  'cloud-status-delivered.json',
  'cloud-status-read.json',
  'cloud-status-failed.json',
  'cloud-value-errors-130429.json',
  'cloud-template-status-approved.json',
  'cloud-template-status-rejected.json',
  'cloud-template-quality-update.json',
  'extra/cloud-phone-number-quality-update.json',
  'extra/cloud-text-message-dashboard-test.json',
  'ultramsg-message-received.json',
  'ultramsg-message-ack.json',
];

it('every webhook fixture has a golden check', () => {
  assert.deepEqual([...webhookFixtures()].sort(), Object.keys(CHECKS).sort());
  assert.deepEqual([...ORDER].sort(), Object.keys(CHECKS).sort());
});

describeStorage('golden: every recorded payload lands in the right records', (fx) => {
  const env = { fx } as Env;
  let capture: ReturnType<typeof captureDomainEvents>;
  before(async () => {
    env.ctx = webhookContext(fx);
    env.app = await fx.app(env.ctx);
    env.workspaceId = (await fx.workspace()).workspaceId;
    env.senderId = await insertSender(fx.db, env.ctx.keyring, { workspaceId: env.workspaceId, displayPhone: '+1 555-078-3881' });
    env.ultraSenderId = await insertSender(fx.db, env.ctx.keyring, { workspaceId: env.workspaceId, provider: 'ultramsg', instanceId: 'instance1150', webhookSecret: ULTRA_SECRET });
    capture = captureDomainEvents(['message.inbound', 'message.status', 'template.status', 'template.quality', 'phone_number.quality', 'contact.marketing_stopped']);
    env.events = capture.events;
  });
  after(() => capture.stop());

  for (const name of ORDER) {
    it(`${name} is signed, posted, processed and stored`, async () => {
      await CHECKS[name](env, name);
      // Nothing left unprocessed, and only the dashboard test (unknown number) is kept as failed.
      const states = await fx.db.selectFrom('webhook_log').select(['state', 'error']).where('state', '!=', 'done').execute();
      assert.deepEqual(states, [], 'every delivery is done');
    });
  }

  it('a fixture signed with a wrong secret is refused and not stored', async () => {
    const before = await fx.db.selectFrom('webhook_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const body = fixture('cloud-text-message.json');
    const res = await postCloud(env.app, body, { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature('wrong', Buffer.from(body)) });
    assert.equal(res.statusCode, 401);
    const after = await fx.db.selectFrom('webhook_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(after.n), Number(before.n));
  });
});
