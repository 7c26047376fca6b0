import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { insertSender } from '../contacts/fixtures.js';
import { findOrCreateContactByPhone } from '../../src/contacts/contact-queries.js';
import { emitDomainEvent } from '../../src/domain-events/bus.js';
import type { DomainEvent } from '../../src/domain-events/events.js';
import { DOMAIN_EVENT_HANDLERS } from '../../src/main/modules.js';
import { createOptOutHandlers } from '../../src/consent/opt-out-handlers.js';
import { CONFIRMATION_TEXTS } from '../../src/consent/confirmation-texts.js';
import type { ConfirmationRequest } from '../../src/consent/send-confirmation.js';
import { newId } from '../../src/shared/ids.js';

describeStorage('opt-out and opt-in from WhatsApp', (fx) => {
  async function setUp(phone: string, overrides: Record<string, unknown> = {}) {
    const ctx = fx.context(overrides);
    const app = await fx.app(ctx);
    const ws = await fx.workspace();
    const senderId = await insertSender(fx.db, ctx.keyring, ws.workspaceId);
    const { id: contactId } = await findOrCreateContactByPhone(ctx.db, ctx.keyring, ws.workspaceId, phone);
    // The customer wrote to this number: webhook ingestion opens the 24-hour window before it emits.
    await fx.db.insertInto('service_windows').values({ sender_id: senderId, contact_id: contactId, last_inbound_at: Date.now() }).execute();
    const inbound = (text?: string, buttonPayload?: string): Extract<DomainEvent, { type: 'message.inbound' }> => ({
      type: 'message.inbound', workspaceId: ws.workspaceId, senderId, contactId, messageId: newId('msg'), messageType: buttonPayload ? 'button' : 'text', text, buttonPayload, receivedAt: Date.now(),
    });
    const history = async () => (await app.inject({ url: `/v1/contacts/${contactId}/consent/history`, headers: { authorization: ws.authorization } })).json().records;
    const outbox = async () => {
      const rows = await fx.db.selectFrom('messages').selectAll().where('contact_id', '=', contactId).where('direction', '=', 'outbound').execute();
      return Promise.all(rows.map(async (r) => ({ ...r, body: JSON.parse(await ctx.keyring.decrypt(ws.workspaceId, r.content!)).payload.body as string })));
    };
    return { ctx, app, ws, senderId, contactId, inbound, history, outbox };
  }

  it('PARAR from a Brazilian number withdraws marketing on every channel and queues one confirmation in Portuguese; a redelivery changes nothing', async () => {
    const t = await setUp('+5511987654321');
    const event = t.inbound('Parar!');
    assert.deepEqual(await emitDomainEvent(t.ctx, DOMAIN_EVENT_HANDLERS, event), []);
    const records = await t.history();
    assert.deepEqual(records.map((r: { channel: string }) => r.channel).sort(), ['email', 'sms', 'whatsapp']);
    for (const r of records) {
      assert.equal(r.purpose, 'marketing');
      assert.equal(r.status, 'withdrawn');
      assert.equal(r.source, 'whatsapp');
      assert.equal(r.proof.messageId, event.messageId);
      assert.deepEqual(r.actor, { type: 'customer', id: t.contactId });
    }
    const queued = await t.outbox();
    assert.equal(queued.length, 1);
    assert.equal(queued[0].status, 'queued', 'accepted by the outbound module: the gates passed, the dispatcher will send it');
    assert.equal(queued[0].lane, 'conversation');
    assert.equal(queued[0].type, 'text');
    assert.equal(queued[0].sender_id, t.senderId);
    assert.equal(queued[0].idempotency_key, `consent-confirmation:${event.messageId}`);
    assert.equal(queued[0].body, CONFIRMATION_TEXTS.pt.optOut);

    // The webhook module redelivers the same inbound message: no second record, no second confirmation.
    await emitDomainEvent(t.ctx, DOMAIN_EVENT_HANDLERS, event);
    assert.equal((await t.history()).length, 3);
    assert.equal((await t.outbox()).length, 1);
    const current = (await t.app.inject({ url: `/v1/contacts/${t.contactId}/consent`, headers: { authorization: t.ws.authorization } })).json();
    const marketingWa = current.consent.find((c: { purpose: string; channel: string }) => c.purpose === 'marketing' && c.channel === 'whatsapp');
    assert.equal(marketingWa.status, 'withdrawn');
    assert.equal(marketingWa.allowed, false);
  });

  it('START opts back in, confirmed in the contact\'s own language, with a preference-centre link when the public URL is known', async () => {
    const t = await setUp('+14155550142', { publicUrl: 'https://parley.example.com' });
    await t.app.inject({ method: 'PATCH', url: `/v1/contacts/${t.contactId}`, headers: { authorization: t.ws.authorization }, payload: { language: 'de-DE' } });
    await emitDomainEvent(t.ctx, DOMAIN_EVENT_HANDLERS, t.inbound('STOP'));
    await emitDomainEvent(t.ctx, DOMAIN_EVENT_HANDLERS, t.inbound(' start '));
    const current = (await t.app.inject({ url: `/v1/contacts/${t.contactId}/consent`, headers: { authorization: t.ws.authorization } })).json();
    assert.equal(current.consent.find((c: { purpose: string; channel: string }) => c.purpose === 'marketing' && c.channel === 'sms').status, 'granted');
    const bodies = (await t.outbox()).map((m) => m.body).sort();
    assert.equal(bodies.length, 2);
    assert.ok(bodies.some((b) => b.startsWith(CONFIRMATION_TEXTS.de.optOut)));
    assert.ok(bodies.some((b) => b.startsWith(CONFIRMATION_TEXTS.de.optIn)));
    for (const body of bodies) assert.match(body, /https:\/\/parley\.example\.com\/preferences\/v1\.[0-9A-Z]{26}\./);
  });

  it('a quick-reply payload on the workspace list opts out; ordinary messages and unknown payloads do nothing', async () => {
    const t = await setUp('+6281234567890');
    await emitDomainEvent(t.ctx, DOMAIN_EVENT_HANDLERS, t.inbound('stop by tomorrow?'));
    await emitDomainEvent(t.ctx, DOMAIN_EVENT_HANDLERS, t.inbound('Promo kemarin', 'BUY_NOW'));
    assert.equal((await t.history()).length, 0);
    assert.equal((await t.outbox()).length, 0);
    await t.app.inject({ method: 'PATCH', url: '/v1/consent/policy', headers: { authorization: t.ws.authorization }, payload: { optOutPayloads: ['NO_PROMOS'] } });
    await emitDomainEvent(t.ctx, DOMAIN_EVENT_HANDLERS, t.inbound('Tidak, terima kasih', 'no_promos'));
    const records = await t.history();
    assert.equal(records.length, 3);
    assert.equal(records[0].proof.keyword, 'no_promos');
    assert.match(records[0].wording, /Button with payload "no_promos"/);
    const [confirmation] = await t.outbox();
    assert.equal(confirmation.body, CONFIRMATION_TEXTS.id.optOut, 'an Indonesian number is confirmed in Indonesian');
  });

  it('follows the workspace settings: channels, purposes, and no confirmation when switched off', async () => {
    const t = await setUp('+393331234567');
    await t.app.inject({ method: 'PATCH', url: '/v1/consent/policy', headers: { authorization: t.ws.authorization }, payload: { optOutChannels: ['whatsapp'], optOutPurposes: ['marketing', 'utility'], confirmations: false } });
    await emitDomainEvent(t.ctx, DOMAIN_EVENT_HANDLERS, t.inbound('disiscrivimi'));
    const records = await t.history();
    assert.deepEqual(records.map((r: { purpose: string; channel: string }) => `${r.purpose}/${r.channel}`).sort(), ['marketing/whatsapp', 'utility/whatsapp']);
    assert.equal((await t.outbox()).length, 0);
  });

  it("WhatsApp's marketing-stop signal withdraws marketing without a confirmation, once", async () => {
    const t = await setUp('+5215512345678');
    const signal: DomainEvent = { type: 'contact.marketing_stopped', workspaceId: t.ws.workspaceId, contactId: t.contactId, source: '131050', at: Date.now() };
    await emitDomainEvent(t.ctx, DOMAIN_EVENT_HANDLERS, signal);
    await emitDomainEvent(t.ctx, DOMAIN_EVENT_HANDLERS, signal);
    await emitDomainEvent(t.ctx, DOMAIN_EVENT_HANDLERS, { ...signal, source: 'user_preferences', at: Date.now() + 1 });
    const records = await t.history();
    assert.equal(records.length, 3, 'one per channel; repeats of an opt-out already in force add nothing');
    for (const r of records) {
      assert.equal(r.status, 'withdrawn');
      assert.equal(r.purpose, 'marketing');
      assert.equal(r.proof.signal, '131050');
    }
    assert.equal((await t.outbox()).length, 0);
  });

  it('a confirmation the policy gates refuse is kept as refused with the reason; the opt-out stands', async () => {
    const t = await setUp('+5511987657777');
    await fx.db.updateTable('service_windows').set({ last_inbound_at: Date.now() - 3 * 86_400_000 }).where('contact_id', '=', t.contactId).execute();
    await emitDomainEvent(t.ctx, DOMAIN_EVENT_HANDLERS, t.inbound('SAIR'));
    assert.equal((await t.history()).length, 3);
    const [confirmation] = await t.outbox();
    assert.equal(confirmation.status, 'refused');
    assert.equal(confirmation.error_code, 'window_closed');
  });

  it('hands the confirmation to whatever SendConfirmation it is built with', async () => {
    const t = await setUp('+34612345678');
    const sent: ConfirmationRequest[] = [];
    const handlers = createOptOutHandlers(async (_ctx, input) => void sent.push(input));
    const event = t.inbound('BAJA');
    await handlers.inbound(t.ctx, event as never);
    assert.equal(sent.length, 1);
    assert.deepEqual({ ...sent[0], text: undefined }, { workspaceId: t.ws.workspaceId, contactId: t.contactId, senderId: t.senderId, text: undefined, language: 'es', reason: 'opt_out', dedupKey: `consent-confirmation:${event.messageId}` });
    assert.equal(sent[0].text, CONFIRMATION_TEXTS.es.optOut);
  });
});
