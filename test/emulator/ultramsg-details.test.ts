import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { HttpPools } from '../../src/channels/http-pools.js';
import { UltraMsgAdapter } from '../../src/channels/ultramsg/client/ultramsg-adapter.js';
import { downloadUltraMsgMedia } from '../../src/channels/ultramsg/webhook/media-client.js';
import { normalizeUltraMsgDelivery } from '../../src/channels/ultramsg/webhook/normalize.js';
import type { Sender } from '../../src/senders/sender-queries.js';
import type { InboundItem } from '../../src/channels/webhook-items.js';
import { startTestEmulator, waitFor, type TestEmulator } from './harness.js';

/** A base64 string of exactly `length` characters, with the `+` and `/` that form-encoding triples. */
const base64Of = (length: number) => randomBytes(Math.ceil((length * 3) / 4) + 3).toString('base64').replace(/=/g, '+').slice(0, length);

describe('emulator: UltraMsg limits and details', () => {
  let t: TestEmulator;
  let base: string;
  let token: string;
  const pools = new HttpPools(4);
  const posts = (path: string) => t.receiver.posts.filter((p) => p.path === path);
  const events = () => posts('/ultramsg').map((p) => p.body);
  const form = (path: string, params: Record<string, string>) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const json = (path: string, body: Record<string, unknown>) =>
    fetch(`${base}${path}?token=${token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const created = (id: number) => waitFor(() => events().find((e) => e.event_type === 'message_create' && e.id === String(id)), `message_create of ${id}`);

  before(async () => {
    t = await startTestEmulator();
    base = `${t.emu.info.url}/${t.emu.info.ultramsgInstanceIds[0]}`;
    token = t.emu.info.ultramsgToken;
  });
  after(async () => {
    await pools.close();
    await t.close();
  });

  it('base64 media of 10,000,000 characters is accepted form-encoded and as JSON; 10,000,001 is refused in UltraMsg’s error shape', { timeout: 60_000 }, async () => {
    const media = base64Of(10_000_000);
    const viaForm = await form('/messages/document', { token, to: '+14155552671', filename: 'big.pdf', document: media });
    assert.equal(viaForm.status, 200);
    assert.equal(viaForm.body.sent, 'true', JSON.stringify(viaForm.body).slice(0, 300));
    const viaJson = await json('/messages/image', { to: '+14155552671', image: media, caption: 'big' });
    assert.equal(viaJson.body.sent, 'true', JSON.stringify(viaJson.body).slice(0, 300));
    const tooLong = await form('/messages/image', { token, to: '+14155552671', image: `${media}A` });
    assert.equal(tooLong.status, 200, 'UltraMsg reports parameter problems in a 200 body');
    assert.deepEqual(tooLong.body, { error: [{ image: 'Max Base64 length is 10,000,000 characters' }] });
    // The instance keeps a link to the file, not the 10M characters: the webhook carries a downloadable URL.
    const event = await created(viaJson.body.id);
    assert.match(event.data.media, /^http:\/\/127\.0\.0\.1:\d+\/_ultramsg-files\//);
    const file = await downloadUltraMsgMedia({ url: event.data.media, maxBytes: 10_000_000, timeoutMs: 10_000 });
    assert.equal(file.bytes.toString('base64').slice(0, 64), media.slice(0, 64));
  });

  it('base64 given as a data: URI keeps its MIME type in the stored file', async () => {
    const png = randomBytes(300);
    const sent = await json('/messages/image', { to: '+14155552671', image: `data:image/png;base64,${png.toString('base64')}` });
    const event = await created(sent.body.id);
    const file = await downloadUltraMsgMedia({ url: event.data.media, maxBytes: 1000, timeoutMs: 5000 });
    assert.deepEqual([file.bytes, file.mimeType], [png, 'image/png']);
  });

  it('msgId and mentions on a send come back in message_create as quotedMsg and mentionedIds', async () => {
    const first = await form('/messages/chat', { token, to: '+14155550301', body: 'Your order shipped' });
    const firstEvent = await created(first.body.id);
    assert.deepEqual([firstEvent.data.quotedMsg, firstEvent.data.mentionedIds], [{}, []], 'none given: the empty shapes of the fixtures');
    const reply = await form('/messages/chat', { token, to: '+14155550301', body: 'Tracking: @14155550302', msgId: firstEvent.data.id, mentions: '14155550302,+1 415 555 0303' });
    assert.equal(reply.body.sent, 'true', JSON.stringify(reply.body));
    const replyEvent = await created(reply.body.id);
    assert.deepEqual(replyEvent.data.quotedMsg, { id: firstEvent.data.id, from: firstEvent.data.from, to: '14155550301@c.us', body: 'Your order shipped', type: 'chat', fromMe: true, time: firstEvent.data.time });
    assert.deepEqual(replyEvent.data.mentionedIds, ['14155550302@c.us', '14155550303@c.us']);
    await waitFor(() => events().find((e) => e.event_type === 'message_ack' && e.id === String(reply.body.id)), 'an ack of the reply');
    const ack = events().find((e) => e.event_type === 'message_ack' && e.id === String(reply.body.id));
    assert.equal(ack.data.quotedMsg.id, firstEvent.data.id, 'acks carry the same message data');
    // UltraMsg's numeric id works as msgId too; an unknown one sends without a quote; bad mentions are refused.
    const byNumber = await form('/messages/chat', { token, to: '+14155550301', body: 'again', msgId: String(first.body.id) });
    assert.equal((await created(byNumber.body.id)).data.quotedMsg.id, firstEvent.data.id);
    const unknown = await form('/messages/chat', { token, to: '+14155550301', body: 'x', msgId: 'false_1@c.us_NOPE' });
    assert.deepEqual((await created(unknown.body.id)).data.quotedMsg, {});
    const badMentions = await form('/messages/chat', { token, to: '+14155550301', body: 'x', mentions: '14155550302,not-a-number' });
    assert.deepEqual(badMentions.body, { error: [{ mentions: 'must be phone numbers separated by commas' }] });
  });

  it("Parley's UltraMsg adapter sends a reply (replyTo) as msgId: the customer's message is quoted; a customer's reply quotes ours and may mention the instance (isMentioned)", async () => {
    const inbound = await t.control('POST', '/ultramsg/instance1150/inbound', { from: '14155550401', body: 'Where is my order?' });
    const sender = { id: 'snd_1', workspaceId: 'ws', name: 's', provider: 'ultramsg', baseUrl: t.emu.info.url, settings: { instanceId: t.emu.info.ultramsgInstanceIds[0] }, wabaId: null, displayPhone: null, mps: 1, messagingLimit: null, portfolioId: 'p', status: 'active', quality: null, createdAt: 0, updatedAt: 0 } as unknown as Sender;
    const sent = await new UltraMsgAdapter(pools).send(sender, { token }, { messageId: 'msg_REPLY', to: '+14155550401', type: 'text', payload: { body: 'On its way' }, lane: 'conversation', replyToProviderId: inbound.body.id });
    assert.ok(sent.ok, JSON.stringify(sent));
    const event = await created(Number(sent.providerMessageId));
    assert.deepEqual([event.data.quotedMsg.id, event.data.quotedMsg.fromMe, event.data.quotedMsg.body], [inbound.body.id, false, 'Where is my order?']);
    const answer = await t.control('POST', '/ultramsg/instance1150/inbound', { from: '14155550401', body: 'Thanks!', quotedMsgId: event.data.id });
    assert.equal(answer.body.event.data.quotedMsg.id, event.data.id);
    const mentioning = await t.control('POST', '/ultramsg/instance1150/inbound', { from: '14155550401', body: '@10172127170 @14155550402 see', mentions: ['10172127170', '+1 415 555 0402'] });
    assert.deepEqual([mentioning.body.event.data.mentionedIds, mentioning.body.event.data.isMentioned], [['10172127170@c.us', '14155550402@c.us'], true]);
    assert.equal((await t.control('POST', '/ultramsg/instance1150/inbound', { from: '14155550401', body: 'x', mentions: 'nobody' })).status, 400);
    const [item] = normalizeUltraMsgDelivery(answer.body.event, 'snd_1', 0) as InboundItem[];
    assert.equal(item.contextProviderMessageId, event.data.id, "Parley's normalizer reads the reply-to from quotedMsg.id");
  });

  it('referenceId: "" on the events of a send made without one (as both recorded payloads show), the string when given; Parley reads null, "" and absent alike', async () => {
    const without = await form('/messages/chat', { token, to: '+14155550501', body: 'no ref' });
    const withRef = await form('/messages/chat', { token, to: '+14155550501', body: 'ref', referenceId: 'msg_REF' });
    assert.equal((await created(without.body.id)).referenceId, '');
    assert.equal((await created(withRef.body.id)).referenceId, 'msg_REF');
    const inbound = await t.control('POST', '/ultramsg/instance1150/inbound', { from: '14155550502', body: 'hi' });
    assert.equal(inbound.body.event.referenceId, '');
    const ack = (envelope: Record<string, unknown>) => normalizeUltraMsgDelivery({ event_type: 'message_ack', instanceId: '1150', data: { id: 'true_1@c.us_Y', ack: 'device' }, ...envelope }, 'snd', 0)[0];
    for (const envelope of [{ id: null, referenceId: null }, { id: '', referenceId: '' }, {}]) {
      const item = ack(envelope) as { kind: string; parleyMessageId?: string; providerMessageId?: string };
      assert.deepEqual([item.kind, item.parleyMessageId, item.providerMessageId], ['status', undefined, 'true_1@c.us_Y'], JSON.stringify(envelope));
    }
    assert.equal((ack({ id: 58431, referenceId: 'msg_1' }) as { parleyMessageId?: string }).parleyMessageId, 'msg_1');
  });

  it("UltraMsg webhooks do not carry Meta's user agent; Cloud API webhooks still do", async () => {
    await form('/messages/chat', { token, to: '+14155550601', body: 'agent' });
    await t.control('POST', '/customers/16505551234/messages', { type: 'text', text: { body: 'hello' } });
    await waitFor(() => posts('/cloud').length && posts('/ultramsg').length, 'webhooks on both surfaces');
    for (const post of posts('/ultramsg')) assert.equal(post.headers['user-agent'], 'parley-emulator/ultramsg-webhook');
    for (const post of posts('/cloud')) assert.equal(post.headers['user-agent'], 'facebookexternalua');
  });

  it('webhook_message_download_media: on, a received file’s URL is in data.media and downloads; off, media is ""', async () => {
    const settings = (await fetch(`${base}/instance/settings?token=${token}`).then((r) => r.json())) as any;
    assert.equal(settings.webhook_message_download_media, 'on');
    const photo = randomBytes(2048);
    const on = await t.control('POST', '/ultramsg/instance1150/inbound', { from: '14155550701', type: 'image', body: 'look', mediaBase64: photo.toString('base64') });
    const url = on.body.event.data.media;
    assert.match(url, /\/_ultramsg-files\/.+\.jpeg$/);
    const file = await downloadUltraMsgMedia({ url, maxBytes: 10_000, timeoutMs: 5000 });
    assert.deepEqual([file.bytes, file.mimeType], [photo, 'image/jpeg']);
    const [item] = normalizeUltraMsgDelivery(on.body.event, 'snd', 0) as InboundItem[];
    assert.equal(item.media?.url, url);

    const off = await form('/instance/settings', { token, webhook_message_download_media: 'false' });
    assert.equal(off.body.webhook_message_download_media, 'off');
    const without = await t.control('POST', '/ultramsg/instance1150/inbound', { from: '14155550701', type: 'image', body: 'again', mediaBase64: photo.toString('base64') });
    assert.equal(without.body.event.data.media, '');
    assert.equal((normalizeUltraMsgDelivery(without.body.event, 'snd', 0)[0] as InboundItem).media, undefined);
    const back = await form('/instance/settings', { token, webhook_message_download_media: 'true' });
    assert.equal(back.body.webhook_message_download_media, 'on');
    // Only UltraMsg files are public: an unknown name is UltraMsg-style 404.
    assert.equal((await fetch(`${t.emu.info.url}/_ultramsg-files/nope.jpeg`)).status, 404);
  });
});
