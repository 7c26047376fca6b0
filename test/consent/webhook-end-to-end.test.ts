import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describeStorage } from '../harness/storage.js';
import { fixture, insertOutbound, insertSender, postCloud, processAll, webhookContext, withMessageId } from '../webhooks/helpers.js';
import { CONFIRMATION_TEXTS } from '../../src/consent/confirmation-texts.js';

// The whole path: a signed Cloud API webhook, ingestion, the domain event, the consent handlers.
describeStorage('opt-out through real webhooks', (fx) => {
  it('PARAR from the 8-digit wa_id of a Brazilian contact stored with the 9th digit withdraws its marketing and queues one confirmation', async () => {
    const ctx = webhookContext(fx);
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    const senderId = await insertSender(fx.db, ctx.keyring, { workspaceId });
    const contact = (await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: '+5511987654321', name: 'Ana' } })).json();
    await app.inject({ method: 'POST', url: `/v1/contacts/${contact.id}/consent`, headers: { authorization }, payload: { purpose: 'marketing', channel: 'whatsapp', status: 'granted', effectiveAt: new Date(Date.now() - 86_400_000).toISOString() } });

    const payload = JSON.parse(withMessageId(fixture('cloud-text-message.json'), `wamid.parar.${randomBytes(4).toString('hex')}`));
    const value = payload.entry[0].changes[0].value;
    value.contacts[0].wa_id = '551187654321';
    value.messages[0].from = '551187654321';
    value.messages[0].timestamp = String(Math.floor(Date.now() / 1000));
    value.messages[0].text.body = 'Parar';
    const body = JSON.stringify(payload);
    assert.equal((await postCloud(app, body)).statusCode, 200);
    await processAll(ctx);
    // The provider redelivers the same webhook.
    assert.equal((await postCloud(app, body)).statusCode, 200);
    await processAll(ctx);

    const list = (await app.inject({ url: '/v1/contacts', headers: { authorization } })).json().data;
    assert.deepEqual(list.map((c: { id: string }) => c.id), [contact.id], 'the 8-digit wa_id found the contact: still one person');
    const current = (await app.inject({ url: `/v1/contacts/${contact.id}/consent`, headers: { authorization } })).json().consent;
    const marketing = current.filter((c: { purpose: string }) => c.purpose === 'marketing');
    assert.deepEqual(marketing.map((c: { channel: string; status: string }) => `${c.channel}:${c.status}`).sort(), ['email:withdrawn', 'sms:withdrawn', 'whatsapp:withdrawn']);
    const confirmations = await fx.db.selectFrom('messages').selectAll().where('contact_id', '=', contact.id).where('direction', '=', 'outbound').execute();
    assert.equal(confirmations.length, 1);
    assert.equal(confirmations[0].status, 'queued');
    assert.equal(confirmations[0].sender_id, senderId);
    const content = JSON.parse(await ctx.keyring.decrypt(workspaceId, confirmations[0].content!));
    assert.equal(content.payload.body, CONFIRMATION_TEXTS.pt.optOut);
  });

  it('a failed status with error 131050 records the marketing withdrawal in the ledger', async () => {
    const ctx = webhookContext(fx);
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    // Its own number: webhooks are routed to a workspace by the phone number id they name.
    const phoneNumberId = '106540352240001';
    const senderId = await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId });
    const contact = (await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: '+14155550199' } })).json();
    const wamid = `wamid.optout.${randomBytes(4).toString('hex')}`;
    await insertOutbound(fx.db, { workspaceId, senderId, contactId: contact.id, providerMessageId: wamid });
    const payload = JSON.parse(withMessageId(fixture('cloud-status-failed.json'), wamid));
    payload.entry[0].changes[0].value.metadata.phone_number_id = phoneNumberId;
    payload.entry[0].changes[0].value.statuses[0].errors = [{ code: 131050, title: 'This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.' }];
    assert.equal((await postCloud(app, JSON.stringify(payload))).statusCode, 200);
    await processAll(ctx);
    const history = (await app.inject({ url: `/v1/contacts/${contact.id}/consent/history`, headers: { authorization } })).json().records;
    assert.deepEqual(history.map((r: { purpose: string; channel: string; status: string; source: string }) => `${r.purpose}/${r.channel}/${r.status}/${r.source}`).sort(), ['marketing/email/withdrawn/whatsapp', 'marketing/sms/withdrawn/whatsapp', 'marketing/whatsapp/withdrawn/whatsapp']);
    assert.equal(history[0].proof.signal, '131050');
  });
});
