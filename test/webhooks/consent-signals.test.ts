import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describeStorage } from '../harness/storage.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import type { ParleyApp } from '../../src/http/types.js';
import { findOrCreateContactByPhone } from '../../src/contacts/contact-queries.js';
import { listMessageEvents } from '../../src/messages/message-events.js';
import { captureDomainEvents, FIXTURE_PHONE_NUMBER_ID, fixture, insertOutbound, insertSender, postCloud, processAll, webhookContext, withMessageId } from './helpers.js';

describeStorage('marketing opt-out signals and legacy pricing from status webhooks', (fx) => {
  let ctx: ParleyContext;
  let app: ParleyApp;
  let workspaceId: string;
  let senderId: string;
  let capture: ReturnType<typeof captureDomainEvents>;

  before(async () => {
    ctx = webhookContext(fx);
    app = await fx.app(ctx);
    workspaceId = (await fx.workspace()).workspaceId;
    senderId = await insertSender(fx.db, ctx.keyring, { workspaceId });
    capture = captureDomainEvents(['contact.marketing_stopped', 'message.status']);
  });
  after(() => capture.stop());

  it('a failed status with error 131050 announces contact.marketing_stopped for the message’s contact, once', async () => {
    const contact = await findOrCreateContactByPhone(fx.db, ctx.keyring, workspaceId, '+16505551234');
    const wamid = `wamid.optout.${randomBytes(4).toString('hex')}`;
    const messageId = await insertOutbound(fx.db, { workspaceId, senderId, contactId: contact.id, providerMessageId: wamid });
    const payload = JSON.parse(withMessageId(fixture('cloud-status-failed.json'), wamid));
    payload.entry[0].changes[0].value.statuses[0].errors = [{ code: 131050, title: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.' }];
    await postCloud(app, JSON.stringify(payload));
    await postCloud(app, JSON.stringify(payload));
    await processAll(ctx);
    const stops = capture.events.filter((e) => e.type === 'contact.marketing_stopped' && e.contactId === contact.id);
    assert.deepEqual(stops.map((e) => e.type === 'contact.marketing_stopped' && e.source), ['131050']);
    const status = capture.events.find((e) => e.type === 'message.status' && e.messageId === messageId);
    assert.equal(status?.type === 'message.status' && status.errorCode, '131050');
  });

  it('a user_preferences webhook with a marketing stop announces contact.marketing_stopped', async () => {
    const before = capture.events.length;
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: '102290129340398', changes: [{ field: 'user_preferences', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: FIXTURE_PHONE_NUMBER_ID }, contacts: [{ wa_id: '16505550000', profile: { name: 'Ana' } }], user_preferences: [{ wa_id: '16505550000', detail: 'User requested to stop marketing messages', category: 'marketing_messages', value: 'stop', timestamp: 1731705721 }, { wa_id: '16505550000', category: 'marketing_messages', value: 'resume', timestamp: 1731705800 }] } }] }],
    });
    assert.equal((await postCloud(app, body)).statusCode, 200);
    await processAll(ctx);
    const added = capture.events.slice(before);
    assert.equal(added.length, 1);
    assert.equal(added[0].type === 'contact.marketing_stopped' && added[0].source, 'user_preferences');
    assert.equal(added[0].type === 'contact.marketing_stopped' && added[0].at, 1731705721_000);
    const log = await fx.db.selectFrom('webhook_log').select(['state', 'outcome']).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    assert.equal(log.state, 'done');
    assert.match(log.outcome!, /marketing_messages=resume is not acted on/);
  });

  it('stores conversation-based pricing (CBP) with its conversation for cost analytics', async () => {
    const wamid = `wamid.cbp.${randomBytes(4).toString('hex')}`;
    const messageId = await insertOutbound(fx.db, { workspaceId, senderId, providerMessageId: wamid });
    const payload = JSON.parse(withMessageId(fixture('cloud-status-sent.json'), wamid));
    Object.assign(payload.entry[0].changes[0].value.statuses[0], { conversation: { id: 'conv-1', expiration_timestamp: '1739407424', origin: { type: 'marketing' } }, pricing: { billable: true, pricing_model: 'CBP', category: 'marketing' } });
    await postCloud(app, JSON.stringify(payload));
    await processAll(ctx);
    const pricing = (await listMessageEvents(fx.db, messageId)).find((e) => e.kind === 'pricing')!;
    assert.deepEqual(pricing.detail, { billable: true, pricing_model: 'CBP', category: 'marketing', type: null, providerStatus: 'sent', conversation: { id: 'conv-1', expiration_timestamp: '1739407424', origin: { type: 'marketing' } } });
  });
});
