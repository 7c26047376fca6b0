import { it } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseUltraMsgDelivery, waIdOfChatId } from './normalise.js';
import { parseUltraMsgBody } from './parse-body.js';
import type { InboundItem, StatusItem } from '../../../webhooks/items.js';

const received = (data: Record<string, unknown>) => ({ event_type: 'message_received', instanceId: '1150', id: '', referenceId: '', data: { id: 'false_1@c.us_X', from: '10172127174@c.us', to: '1@c.us', fromMe: false, time: 1650002663, ...data } });

it('reads WhatsApp Web chat ids: contacts have a number, groups and @lid ids do not', () => {
  assert.equal(waIdOfChatId('10172127174@c.us'), '10172127174');
  assert.equal(waIdOfChatId('1203630@g.us'), undefined);
  assert.equal(waIdOfChatId('123456789@lid'), undefined);
});

it('normalises voice notes, media with captions, and group authors', () => {
  const [ptt] = normaliseUltraMsgDelivery(received({ type: 'ptt', media: 'https://files.example/v.ogg', body: '' }), 'snd', 0) as InboundItem[];
  assert.equal(ptt.type, 'audio');
  assert.deepEqual(ptt.content, { media: { url: 'https://files.example/v.ogg', voice: true } });
  const [image] = normaliseUltraMsgDelivery(received({ type: 'image', media: 'https://files.example/i.jpg', body: 'look' }), 'snd', 0) as InboundItem[];
  assert.equal(image.text, 'look');
  assert.equal(image.media?.url, 'https://files.example/i.jpg');
  const [group] = normaliseUltraMsgDelivery(received({ type: 'chat', body: 'hi all', from: '1203630@g.us', author: '5511987654321@c.us' }), 'snd', 0) as InboundItem[];
  assert.equal(group.fromWaId, '5511987654321');
});

it('maps acks, keeps the root id and referenceId for matching, and marks unknown acks invalid', () => {
  const ack = (value: unknown, extra = {}) => normaliseUltraMsgDelivery({ event_type: 'message_ack', instanceId: '1150', id: '58431', referenceId: 'msg_1', data: { id: 'true_1@c.us_Y', ack: value }, ...extra }, 'snd', 5);
  const [status] = ack('device') as StatusItem[];
  assert.deepEqual([status.status, status.providerStatus, status.providerMessageId, status.altProviderMessageIds, status.parleyMessageId, status.at], ['delivered', 'device', '58431', ['true_1@c.us_Y'], 'msg_1', 5]);
  assert.equal((ack('played') as StatusItem[])[0].status, 'read');
  assert.equal((ack('pending') as StatusItem[])[0].status, 'queued');
  assert.equal(ack('exploded')[0].kind, 'invalid');
  assert.equal(normaliseUltraMsgDelivery({ event_type: 'webhook_message_ack', data: { id: 'x', ack: 'server' } }, 'snd', 0)[0].kind, 'status', 'the setting-style event name is accepted too');
});

it('parses JSON bodies and form bodies with the JSON in `data`', () => {
  const json = parseUltraMsgBody(Buffer.from(JSON.stringify(received({}))), 'application/json');
  assert.equal(json.instanceId, '1150');
  const wrapped = parseUltraMsgBody(Buffer.from(new URLSearchParams({ data: JSON.stringify(received({})) }).toString()), 'application/x-www-form-urlencoded');
  assert.equal(wrapped.event_type, 'message_received');
  const split = parseUltraMsgBody(Buffer.from(new URLSearchParams({ event_type: 'message_ack', instanceId: '7', data: JSON.stringify({ id: 'a', ack: 'read' }) }).toString()), 'application/x-www-form-urlencoded');
  assert.deepEqual(split, { event_type: 'message_ack', instanceId: '7', data: { id: 'a', ack: 'read' } });
  assert.throws(() => parseUltraMsgBody(Buffer.from('data=%7Bbroken'), 'application/x-www-form-urlencoded'), /neither JSON nor a form/);
});
