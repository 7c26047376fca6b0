import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { GraphApiError, WhatsAppClient } from '@kapso/whatsapp-cloud-api';
import { WhatsAppBusinessSDK, WhatsAppBusinessSDKError } from '@microfox/whatsapp-business';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { RESYNC_ON_MISS_INTERVAL } from '../../src/templates/index.js';
import { STATUS_RANK } from '../../src/messages/status.js';
import { describeStorage } from '../harness/storage.js';
import { pipeline } from './helpers.js';
import { waitFor } from './fake-provider.js';
import { senderNumberId } from '../../src/channels/sender-identity.js';
import { providerIdHash, sealProviderId } from '../../src/messages/provider-ids.js';

describeStorage('Cloud-API-compatible gateway', (fx) => {
  it('an independent Cloud API SDK pointed at Parley sends text, template, media, interactive and location messages', async (t) => {
    const p = await pipeline(fx, t);
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = p.app.server.address() as AddressInfo;
    const client = new WhatsAppClient({ accessToken: p.authorization.slice('Bearer '.length), baseUrl: `http://127.0.0.1:${port}/graph`, graphVersion: 'v23.0' });
    const phoneNumberId = senderNumberId(p.sender)!;
    const to = '+15550002001';
    await p.openWindow(to);

    const text = await client.messages.sendText({ phoneNumberId, to, body: 'Your order shipped' });
    assert.equal(text.messagingProduct ?? (text as any).messaging_product, 'whatsapp');
    const textId = text.messages[0].id;
    assert.match(textId, /^msg_/);
    const template = await client.messages.sendTemplate({ phoneNumberId, to, template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'A1' }] }] } as any });
    const image = await client.messages.sendImage({ phoneNumberId, to, image: { link: 'https://example.com/photo.jpg', caption: 'Photo' } });
    const buttons = await client.messages.sendInteractiveButtons({ phoneNumberId, to, bodyText: 'Confirm?', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] });
    const location = await client.messages.sendLocation({ phoneNumberId, to, location: { latitude: 37.44, longitude: -122.16, name: 'Philz Coffee' } });

    await p.start();
    const ids = [textId, template.messages[0].id, image.messages[0].id, buttons.messages[0].id, location.messages[0].id];
    await waitFor(() => ids.every((id) => p.provider.idsSent().includes(id)), 10_000, 'all five sent');
    const byId = new Map(p.provider.calls.map((c) => [c.request.messageId, c.request]));
    assert.deepEqual(ids.map((id) => byId.get(id)!.type), ['text', 'template', 'image', 'interactive', 'location']);
    assert.equal((byId.get(ids[3])!.payload as any).action.buttons.length, 2);
  });

  it("answers in Meta's error envelope: 131047 outside the window, 190 for a bad key, 100 for an unknown number", async (t) => {
    const p = await pipeline(fx, t);
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = p.app.server.address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}/graph`;
    const client = new WhatsAppClient({ accessToken: p.authorization.slice('Bearer '.length), baseUrl, graphVersion: 'v23.0' });
    const expectCode = async (promise: Promise<unknown>, code: number) => {
      await assert.rejects(promise, (error: unknown) => {
        assert.ok(error instanceof GraphApiError, String(error));
        assert.equal(error.code, code);
        return true;
      });
    };
    await expectCode(client.messages.sendText({ phoneNumberId: senderNumberId(p.sender)!, to: '+15550002002', body: 'no window' }), 131047);
    const stranger = new WhatsAppClient({ accessToken: 'prl_abcdefgh_' + 'x'.repeat(43), baseUrl, graphVersion: 'v23.0' });
    await expectCode(stranger.messages.sendText({ phoneNumberId: senderNumberId(p.sender)!, to: '+15550002002', body: 'x' }), 190);
    await expectCode(client.messages.sendText({ phoneNumberId: '000000', to: '+15550002002', body: 'x' }), 100);
    const raw = await p.app.inject({ method: 'POST', url: `/graph/v23.0/${senderNumberId(p.sender)}/messages`, headers: { authorization: p.authorization }, payload: { messaging_product: 'whatsapp', to: '+15550002002', type: 'text', text: { body: 'x'.repeat(5000) } } });
    assert.equal(raw.statusCode, 400);
    assert.equal(raw.json().error.code, 100);
    assert.match(raw.json().error.message, /^\(#100\)/);
    assert.ok(raw.json().error.fbtrace_id);
  });

  describeGatewayAgainstEmulator(fx);
});

/** The gateway with a sender whose provider is the emulator: read receipts and the template catalogue reach it. */
function describeGatewayAgainstEmulator(fx: Parameters<Parameters<typeof describeStorage>[1]>[0]) {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ seed: 3, config: { customers: [], behaviour: { templateReview: { delayMs: 10 } } } });
  });
  after(() => emulator.close());

  // Each test registers the emulator's number in a workspace of its own: the previous test's sender gives
  // the number up first (one number, one sender: migration 0009).
  const freeEmulatorNumber = async () => {
    await fx.db.updateTable('senders').set({ number_key: null, status: 'disabled' }).execute();
    return emulatorSender();
  };
  const emulatorSender = () => ({ baseUrl: emulator.info.url, phoneNumberId: emulator.info.phoneNumberIds[0], wabaId: emulator.info.wabaId, credentials: { accessToken: emulator.info.accessToken } });
  const listen = async (p: Awaited<ReturnType<typeof pipeline>>) => {
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    return `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}/graph`;
  };
  const customerWrites = async (from: string, body: string) => {
    const res = await fetch(`${emulator.info.url}/_emulator/customers/${from}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'text', text: { body } }) });
    return ((await res.json()) as { id: string }).id;
  };

  it('mark-as-read (with and without typing_indicator) answers {"success":true} through kapso, and the provider has the message read', async (t) => {
    const p = await pipeline(fx, t, { sender: await freeEmulatorNumber() });
    const kapso = new WhatsAppClient({ accessToken: p.authorization.slice('Bearer '.length), baseUrl: await listen(p), graphVersion: 'v23.0' });
    const phoneNumberId = senderNumberId(p.sender)!;
    const first = await customerWrites('15550003001', 'first');
    const second = await customerWrites('15550003001', 'second');
    assert.deepEqual(await kapso.messages.markRead({ phoneNumberId, messageId: first }), { success: true });
    assert.equal(emulator.core.state.inbound.get(first)!.read, true);
    assert.equal(emulator.core.state.inbound.get(second)!.read, false);
    assert.deepEqual(await kapso.messages.markRead({ phoneNumberId, messageId: second, typingIndicator: { type: 'text' } }), { success: true });
    assert.equal(emulator.core.state.inbound.get(second)!.read, true);
    const markBody = emulator.core.state.received.toArray().filter((r) => (r.body as any)?.message_id === second).at(-1)!.body as any;
    assert.deepEqual(markBody.typing_indicator, { type: 'text' }, 'the typing indicator reaches the provider');
    await assert.rejects(kapso.messages.markRead({ phoneNumberId, messageId: 'wamid.unknown' }), (error: unknown) => error instanceof GraphApiError && error.code === 131009);
    await assert.rejects(kapso.messages.markRead({ phoneNumberId, messageId: first, typingIndicator: { type: 'audio' } as never }), (error: unknown) => error instanceof GraphApiError && error.code === 100);
    const missing = await p.app.inject({ method: 'POST', url: `/graph/v23.0/${phoneNumberId}/messages`, headers: { authorization: p.authorization }, payload: { messaging_product: 'whatsapp', status: 'read' } });
    assert.equal(missing.json().error.code, 131008);
    assert.equal(await p.status((await p.send({ to: '+15550003001', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } })).json().id), 'queued', 'sends still work beside read receipts');
  });

  it("mark-as-read takes Parley's id of an inbound message too; another sender's message is 131009", async (t) => {
    const p = await pipeline(fx, t, { sender: await freeEmulatorNumber() });
    const wamid = await customerWrites('15550003002', 'hello');
    const id = `msg_inbound${Math.random().toString(36).slice(2, 10)}`;
    const now = Date.now();
    await p.ctx.db.insertInto('messages').values({ id, workspace_id: p.workspaceId, direction: 'inbound', sender_id: p.sender.id, contact_id: null, lane: null, lane_priority: 9, type: 'text', content: null, template_name: null, template_language: null, intent: null, status: 'received', status_rank: STATUS_RANK.received, status_at: now, provider_id_sealed: await sealProviderId(p.ctx.keyring, p.workspaceId, wamid), provider_id_hash: providerIdHash(p.ctx.keyring, wamid), idempotency_key: null, request_hash: null, send_at: now, valid_until: null, next_attempt_at: now, claimed_by: null, claimed_at: null, error_code: null, error_message: null, metadata: '{}', reply_to: null, created_at: now, updated_at: now }).execute();
    const read = await p.app.inject({ method: 'POST', url: `/graph/v23.0/${senderNumberId(p.sender)}/messages`, headers: { authorization: p.authorization }, payload: { messaging_product: 'whatsapp', status: 'read', message_id: id } });
    assert.deepEqual(read.json(), { success: true });
    assert.equal(emulator.core.state.inbound.get(wamid)!.read, true);
    const other = await p.app.inject({ method: 'POST', url: `/graph/v23.0/${senderNumberId(p.sender)}/messages`, headers: { authorization: p.authorization }, payload: { messaging_product: 'whatsapp', status: 'read', message_id: 'msg_notours' } });
    assert.equal(other.statusCode, 400);
    assert.equal(other.json().error.code, 131009);
  });

  it('microfox posts without a Graph version (/graph/{phone_number_id}/messages): sends, read receipts and the typing indicator work; unknown paths answer Meta\'s 2500 envelope', async (t) => {
    const p = await pipeline(fx, t, { sender: await freeEmulatorNumber() });
    const sdk = new WhatsAppBusinessSDK({ accessToken: p.authorization.slice('Bearer '.length), phoneNumberId: senderNumberId(p.sender)!, businessAccountId: emulator.info.wabaId, version: 'v23.0', baseUrl: await listen(p) });
    await p.openWindow('+15550003003');
    const text = await sdk.sendTextMessage('15550003003', 'Hello without a version');
    const textId = (text.data as any).messages[0].id;
    assert.match(textId, /^msg_/);
    assert.equal(await p.status(textId), 'queued');
    const template = await sdk.sendTemplateMessage('15550003003', 'order_update', 'en_US', [{ type: 'body', parameters: [{ type: 'text', text: 'Asha' }, { type: 'text', text: '#1' }, { type: 'text', text: 'shipped' }] }] as any);
    assert.match((template.data as any).messages[0].id, /^msg_/);
    const wamid = await customerWrites('15550003003', 'read me');
    assert.deepEqual((await sdk.markMessageAsRead(wamid)).data, { success: true });
    assert.deepEqual((await sdk.sendTypingIndicator({ messageId: wamid })).data, { success: true });
    assert.equal(emulator.core.state.inbound.get(wamid)!.read, true);
    await assert.rejects(sdk.sendTemplateMessage('15550003003', 'no_such_template', 'en_US'), (error: unknown) => error instanceof WhatsAppBusinessSDKError && error.code === 132001);
    await assert.rejects(sdk.getBusinessProfile(), (error: any) => {
      assert.ok(error instanceof WhatsAppBusinessSDKError, String(error));
      assert.equal(error.code, 2500);
      const body = error.originalError.data.error;
      assert.deepEqual(Object.keys(body).sort(), ['code', 'fbtrace_id', 'message', 'type']);
      assert.equal(body.message, `Unknown path components: /${senderNumberId(p.sender)}/whatsapp_business_profile`);
      return true;
    });
    for (const url of ['/graph/v23.0/x/y/z', '/graph', '/graph/v23.0']) {
      const res = await p.app.inject({ method: 'POST', url, headers: { authorization: p.authorization }, payload: {} });
      assert.equal(res.statusCode, 400, url);
      assert.equal(res.json().error.code, 2500, url);
      assert.equal(res.json().error.error_data, undefined);
    }
    const noNumber = await p.app.inject({ method: 'POST', url: '/graph/v23.0/messages', headers: { authorization: p.authorization }, payload: { messaging_product: 'whatsapp', to: '15550003003', type: 'text', text: { body: 'x' } } });
    assert.equal(noNumber.json().error.code, 100, 'a version where the phone number id belongs names no object');
    const v1 = await p.app.inject({ method: 'GET', url: '/v1/nothing', headers: { authorization: p.authorization } });
    assert.equal(v1.json().error.code, 'ROUTE_NOT_FOUND', "Parley's own paths keep Parley's envelope");
  });

  it('an unknown template is refused at once with 132001 after one re-sync of the catalogue; re-syncs on a miss are bounded', async (t) => {
    const p = await pipeline(fx, t, { sender: await freeEmulatorNumber() });
    let now = Date.now();
    (p.ctx as { clock: { now(): number } }).clock = { now: () => now };
    const baseUrl = await listen(p);
    const kapso = new WhatsAppClient({ accessToken: p.authorization.slice('Bearer '.length), baseUrl, graphVersion: 'v23.0' });
    const phoneNumberId = senderNumberId(p.sender)!;
    const expect132001 = (name: string, code = 'en_US') =>
      assert.rejects(kapso.messages.sendTemplate({ phoneNumberId, to: '15550003004', template: { name, language: { code } } }), (error: unknown) => error instanceof GraphApiError && error.code === 132001 && error.httpStatus === 400);
    await expect132001('no_such_template');
    const imported = await p.ctx.db.selectFrom('templates').select(['name', 'language']).where('workspace_id', '=', p.workspaceId).execute();
    assert.ok(imported.some((r) => r.name === 'order_update' && r.language === 'en_US'), 'the miss re-read the account\'s templates');
    await expect132001('hello_world', 'fr');
    const accepted = await kapso.messages.sendTemplate({ phoneNumberId, to: '15550003004', template: { name: 'hello_world', language: { code: 'en_US' } } });
    assert.match(accepted.messages[0].id, /^msg_/);

    // A template created at the provider after the last re-sync: within the interval the catalogue stands.
    const admin = new WhatsAppClient({ accessToken: emulator.info.accessToken, baseUrl: emulator.info.url, graphVersion: 'v23.0' });
    const name = `late_${Math.random().toString(36).slice(2, 8)}`;
    await admin.templates.create({ businessAccountId: emulator.info.wabaId, name, language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Your parcel left today.' }] } as any);
    await expect132001(name);
    // The emulator reviews a new template after a short delay, as Meta does: wait for its approval.
    for (let i = 0; i < 100; i++) {
      const listed = await fetch(`${emulator.info.url}/v23.0/${emulator.info.wabaId}/message_templates?name=${name}`, { headers: { authorization: `Bearer ${emulator.info.accessToken}` } }).then((r) => r.json() as Promise<{ data?: Array<{ name: string; status: string }> }>);
      if (listed.data?.some((tpl) => tpl.name === name && tpl.status === 'APPROVED')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    now += RESYNC_ON_MISS_INTERVAL;
    const late = await kapso.messages.sendTemplate({ phoneNumberId, to: '15550003004', template: { name, language: { code: 'en_US' } } });
    assert.match(late.messages[0].id, /^msg_/, 'after the interval a miss re-syncs again and finds it');
  });

  it('a provider that cannot be reached: the template send goes on (the provider decides), a read receipt is 503 in Meta\'s envelope', async (t) => {
    const p = await pipeline(fx, t);
    const send = await p.app.inject({ method: 'POST', url: `/graph/${senderNumberId(p.sender)}/messages`, headers: { authorization: p.authorization }, payload: { messaging_product: 'whatsapp', to: '15550003005', type: 'template', template: { name: 'not_synced_anywhere', language: { code: 'en_US' } } } });
    assert.equal(send.statusCode, 200, send.body);
    const read = await p.app.inject({ method: 'POST', url: `/graph/${senderNumberId(p.sender)}/messages`, headers: { authorization: p.authorization }, payload: { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.x' } });
    assert.equal(read.statusCode, 503);
    assert.equal(read.json().error.code, 1);
  });
}
