import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describeStorage } from '../harness/storage.js';
import { pipeline } from './helpers.js';
import { waitFor } from './fake-provider.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { WebhookProcessor } from '../../src/webhooks/processor.js';
import { onWindowClosed, windowResendKey, WINDOW_CLOSED_STAGE } from '../../src/outbound/window-closed.js';
import { SERVICE_WINDOW } from '../../src/conversations/service-window.js';
import { liveTemplate } from '../templates/harness/seed.js';
import { api } from '../templates/harness/api.js';
import { APP_SECRET } from '../webhooks/helpers.js';
import { openProviderId } from '../../src/messages/provider-ids.js';

// Meta answers a free-form message outside the 24-hour window with 200 and a wamid, then reports 131047 in a
// `failed` status webhook. Here Parley believes the window open (its record says the customer wrote an hour
// ago) while the emulator, like Meta, has no message from the customer: the whole pipeline runs, from the
// send through the provider's webhook back into Parley.
describeStorage('131047 reported by webhook, through the pipeline', (fx) => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({
      appSecret: APP_SECRET,
      seed: 5,
      config: {
        numbers: ['106540352242931', '106540352242932', '106540352242933'].map((phoneNumberId) => ({ phoneNumberId, limits: { throughputMps: 1000, dailyUniqueRecipients: null } })),
        customers: [],
        behaviour: { statusLatencyMs: { sent: [5, 20], delivered: [5, 20], read: [5, 20] }, batchWindowMs: 5, deliveredRate: 1, readRate: 0 },
      },
    });
  });
  after(() => emulator.close());

  // Webhooks find their sender by phone_number_id, so each test sends from its own emulator number.
  const setUp = async (t: { after(fn: () => unknown): void }, number: 0 | 1 | 2) => {
    const p = await pipeline(fx, t, {
      realAdapters: true,
      config: { whatsappAppSecrets: APP_SECRET },
      sender: { baseUrl: emulator.info.url, phoneNumberId: emulator.info.phoneNumberIds[number], wabaId: emulator.info.wabaId, credentials: { accessToken: emulator.info.accessToken }, mps: 200 },
    });
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    emulator.setWebhookUrls({ cloud: `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}/webhooks/whatsapp/cloud` });
    const processor = new WebhookProcessor(p.ctx);
    processor.start();
    t.after(() => processor.stop());
    await liveTemplate(p.ctx, p.workspaceId, {
      wabaId: emulator.info.wabaId,
      name: 'order_update',
      language: 'en_US',
      components: [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is now {{3}}. Thank you for shopping with us.', example: { body_text: [['Asha', '#1023', 'on its way']] } }],
    });
    const client = api(p.app, p.authorization);
    await client.ok('POST', '/v1/intents', { name: 'order_status', text: 'Hi {{customer}}, order {{order_id}} is {{state}}.', template: { name: 'order_update', body: ['customer', 'order_id', 'state'] } }, 201);
    return p;
  };
  const row = (p: Awaited<ReturnType<typeof setUp>>, id: string) => p.ctx.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const windowDecisions = async (p: Awaited<ReturnType<typeof setUp>>, id: string) =>
    (await p.ctx.db.selectFrom('message_events').select('detail').where('message_id', '=', id).where('kind', '=', 'decision').execute()).map((e) => JSON.parse(e.detail)).filter((d) => d.stage === WINDOW_CLOSED_STAGE);

  it('an intent sent as text fails with the window reason, the window is treated as closed, and the intent goes again through its template, once', async (t) => {
    const p = await setUp(t, 1);
    const to = '+15550004001';
    const openedAt = Date.now() - 60 * 60 * 1000;
    const contactId = await p.openWindow(to, openedAt);
    const params = { customer: 'Asha', order_id: 'A-17', state: 'packed' };
    const accepted = await p.send({ to, intent: { name: 'order_status', params } });
    assert.equal(accepted.statusCode, 202, accepted.body);
    assert.equal(accepted.json().type, 'text', "Parley's record says the window is open");
    const id = accepted.json().id;
    await p.start();

    await waitFor(async () => (await row(p, id)).status === 'failed', 20_000, 'the failed status from the webhook');
    const failed = await row(p, id);
    assert.equal(failed.error_code, '131047');
    assert.match(failed.error_message!, /More than 24 hours since the customer last wrote/);
    const failedWamid = await openProviderId(p.ctx.keyring, p.workspaceId, failed.provider_id_sealed);
    assert.ok(failedWamid?.startsWith('wamid.'), 'the provider had accepted it');
    const sentText = emulator.core.state.messages.get(failedWamid!)!;
    assert.equal(sentText.type, 'text');

    await waitFor(async () => (await windowDecisions(p, id)).length === 1, 10_000, 'the window decision');
    const window = await p.ctx.db.selectFrom('service_windows').select('last_inbound_at').where('sender_id', '=', p.sender.id).where('contact_id', '=', contactId).executeTakeFirstOrThrow();
    assert.ok(window.last_inbound_at < Date.now() - SERVICE_WINDOW, 'the window is closed in Parley too');
    const text = await p.send({ to, type: 'text', text: { body: 'free-form again' } });
    assert.equal(text.statusCode, 422);
    assert.equal(text.json().error.details.code, 'window_closed');

    const resend = await p.ctx.db.selectFrom('messages').selectAll().where('workspace_id', '=', p.workspaceId).where('idempotency_key', '=', windowResendKey(id)).executeTakeFirstOrThrow();
    assert.deepEqual([resend.type, resend.template_name, resend.template_language, resend.intent, resend.contact_id], ['template', 'order_update', 'en_US', 'order_status', contactId]);
    assert.equal(JSON.parse(resend.metadata).windowResendOf, id);
    const [decision] = await windowDecisions(p, id);
    assert.equal(decision.code, '131047');
    assert.equal(decision.windowClosed, true);
    assert.deepEqual(decision.resend, { messageId: resend.id, status: 'queued', type: 'template', template: { name: 'order_update', language: 'en_US' } });
    assert.match(decision.why, /goes again through its template/);

    await waitFor(async () => (await row(p, resend.id)).status === 'delivered', 20_000, 'the template delivered');
    const delivered = emulator.core.state.messages.get((await openProviderId(p.ctx.keyring, p.workspaceId, (await row(p, resend.id)).provider_id_sealed))!)!;
    assert.equal(delivered.templateName, 'order_update');
    assert.deepEqual((delivered.request.template as any).components[0].parameters.map((x: { text: string }) => x.text), ['Asha', 'A-17', 'packed']);

    // The webhook is at least once: the handler running again changes nothing.
    await onWindowClosed(p.ctx, { type: 'message.window_closed', workspaceId: p.workspaceId, messageId: id, senderId: p.sender.id, contactId, code: '131047', at: Date.now() });
    const resends = await p.ctx.db.selectFrom('messages').select('id').where('workspace_id', '=', p.workspaceId).where('intent', '=', 'order_status').execute();
    assert.equal(resends.length, 2, 'the text and its one template re-send');
    assert.equal((await windowDecisions(p, id)).length, 1);
  });

  it('a plain free-form text fails by webhook with the window reason and is not re-sent; a customer message after the failure opens the window again', async (t) => {
    const p = await setUp(t, 0);
    const to = '+15550004002';
    const contactId = await p.openWindow(to, Date.now() - 60 * 60 * 1000);
    const id = (await p.send({ to, type: 'text', text: { body: 'are you there?' } })).json().id;
    await p.start();
    await waitFor(async () => (await windowDecisions(p, id)).length === 1, 20_000, 'the window decision');
    const failed = await row(p, id);
    assert.deepEqual([failed.status, failed.error_code], ['failed', '131047']);
    const [decision] = await windowDecisions(p, id);
    assert.equal(decision.resend, null);
    assert.match(decision.why, /not an intent send/);
    assert.equal((await p.ctx.db.selectFrom('messages').select('id').where('idempotency_key', '=', windowResendKey(id)).execute()).length, 0);

    await fetch(`${emulator.info.url}/_emulator/customers/${to.slice(1)}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phoneNumberId: emulator.info.phoneNumberIds[0], type: 'text', text: { body: 'yes, here' } }) });
    await waitFor(async () => {
      const w = await p.ctx.db.selectFrom('service_windows').select('last_inbound_at').where('sender_id', '=', p.sender.id).where('contact_id', '=', contactId).executeTakeFirst();
      return !!w && w.last_inbound_at > Date.now() - SERVICE_WINDOW;
    }, 20_000, 'the window open again');
    const again = await p.send({ to, type: 'text', text: { body: 'great' } });
    assert.equal(again.statusCode, 202, again.body);
    await waitFor(async () => (await row(p, again.json().id)).status === 'delivered', 20_000, 'delivered inside the window');
  });

  it('the same when the provider refuses the text at once with 131047 (emulator windowErrors "sync"): failed, window closed, the intent re-sent through its template', async (t) => {
    const behaviour = (windowErrors: string) => fetch(`${emulator.info.url}/_emulator/behaviour`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ windowErrors }) });
    await behaviour('sync');
    t.after(() => behaviour('webhook'));
    const p = await setUp(t, 2);
    const to = '+15550004003';
    const contactId = await p.openWindow(to, Date.now() - 60 * 60 * 1000);
    const id = (await p.send({ to, intent: { name: 'order_status', params: { customer: 'Ravi', order_id: 'B-2', state: 'ready' } } })).json().id;
    await p.start();
    await waitFor(async () => (await windowDecisions(p, id)).length === 1, 20_000, 'the window decision');
    const failed = await row(p, id);
    assert.deepEqual([failed.status, failed.error_code, failed.provider_id_sealed], ['failed', '131047', null], 'refused by the provider, never accepted');
    const [decision] = await windowDecisions(p, id);
    assert.equal(decision.source, 'send');
    const window = await p.ctx.db.selectFrom('service_windows').select('last_inbound_at').where('sender_id', '=', p.sender.id).where('contact_id', '=', contactId).executeTakeFirstOrThrow();
    assert.ok(window.last_inbound_at < Date.now() - SERVICE_WINDOW);
    const resend = await row(p, decision.resend.messageId);
    assert.deepEqual([resend.type, resend.template_name, resend.idempotency_key], ['template', 'order_update', windowResendKey(id)]);
    await waitFor(async () => (await row(p, resend.id)).status === 'delivered', 20_000, 'the template delivered');
  });
});
