import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { GraphApiError, WhatsAppClient } from '@kapso/whatsapp-cloud-api';
import { describeStorage } from '../harness/storage.js';
import { pipeline } from './helpers.js';
import { waitFor } from './fake-provider.js';

describeStorage('Cloud-API-compatible gateway', (fx) => {
  it('an independent Cloud API SDK pointed at Parley sends text, template, media, interactive and location messages', async (t) => {
    const p = await pipeline(fx, t);
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = p.app.server.address() as AddressInfo;
    const client = new WhatsAppClient({ accessToken: p.authorization.slice('Bearer '.length), baseUrl: `http://127.0.0.1:${port}/graph`, graphVersion: 'v23.0' });
    const phoneNumberId = p.sender.phoneNumberId!;
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
    await expectCode(client.messages.sendText({ phoneNumberId: p.sender.phoneNumberId!, to: '+15550002002', body: 'no window' }), 131047);
    const stranger = new WhatsAppClient({ accessToken: 'prl_abcdefgh_' + 'x'.repeat(43), baseUrl, graphVersion: 'v23.0' });
    await expectCode(stranger.messages.sendText({ phoneNumberId: p.sender.phoneNumberId!, to: '+15550002002', body: 'x' }), 190);
    await expectCode(client.messages.sendText({ phoneNumberId: '000000', to: '+15550002002', body: 'x' }), 100);
    const raw = await p.app.inject({ method: 'POST', url: `/graph/v23.0/${p.sender.phoneNumberId}/messages`, headers: { authorization: p.authorization }, payload: { messaging_product: 'whatsapp', to: '+15550002002', type: 'text', text: { body: 'x'.repeat(5000) } } });
    assert.equal(raw.statusCode, 400);
    assert.equal(raw.json().error.code, 100);
    assert.match(raw.json().error.message, /^\(#100\)/);
    assert.ok(raw.json().error.fbtrace_id);
  });
});
