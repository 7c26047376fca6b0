import { it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeUltraMsgDelivery, waIdOfChatId } from './normalize.js';
import { parseUltraMsgBody } from './parse-body.js';
import type { InboundItem, StatusItem } from '../../webhook-items.js';

const received = (data: Record<string, unknown>) => ({ event_type: 'message_received', instanceId: '1150', id: '', referenceId: '', data: { id: 'false_1@c.us_X', from: '10172127174@c.us', to: '1@c.us', fromMe: false, time: 1650002663, ...data } });

it('reads WhatsApp Web chat ids: contacts have a number, groups and @lid ids do not', () => {
  assert.equal(waIdOfChatId('10172127174@c.us'), '10172127174');
  assert.equal(waIdOfChatId('1203630@g.us'), undefined);
  assert.equal(waIdOfChatId('123456789@lid'), undefined);
});

it('normalizes voice notes, media with captions, and group authors', () => {
  const [ptt] = normalizeUltraMsgDelivery(received({ type: 'ptt', media: 'https://files.example/v.ogg', body: '' }), 'snd', 0) as InboundItem[];
  assert.equal(ptt.type, 'audio');
  assert.deepEqual(ptt.content, { media: { url: 'https://files.example/v.ogg', voice: true } });
  const [image] = normalizeUltraMsgDelivery(received({ type: 'image', media: 'https://files.example/i.jpg', body: 'look' }), 'snd', 0) as InboundItem[];
  assert.equal(image.text, 'look');
  assert.equal(image.media?.url, 'https://files.example/i.jpg');
  const [group] = normalizeUltraMsgDelivery(received({ type: 'chat', body: 'hi all', from: '1203630@g.us', author: '5511987654321@c.us' }), 'snd', 0) as InboundItem[];
  assert.equal(group.fromWaId, '5511987654321');
});

it('maps acks, keeps the root id and referenceId for matching, and marks unknown acks invalid', () => {
  const ack = (value: unknown, extra = {}) => normalizeUltraMsgDelivery({ event_type: 'message_ack', instanceId: '1150', id: '58431', referenceId: 'msg_1', data: { id: 'true_1@c.us_Y', ack: value }, ...extra }, 'snd', 5);
  const [status] = ack('device') as StatusItem[];
  assert.deepEqual([status.status, status.providerStatus, status.providerMessageId, status.altProviderMessageIds, status.parleyMessageId, status.providerAltId, status.at], ['delivered', 'device', '58431', ['true_1@c.us_Y'], 'msg_1', 'true_1@c.us_Y', 5]);
  assert.equal((ack('played') as StatusItem[])[0].status, 'read');
  assert.equal((ack('pending') as StatusItem[])[0].status, 'queued');
  assert.equal(ack('exploded')[0].kind, 'invalid');
  assert.equal(normalizeUltraMsgDelivery({ event_type: 'webhook_message_ack', data: { id: 'x', ack: 'server' } }, 'snd', 0)[0].kind, 'status', 'the setting-style event name is accepted too');
});

it('names an ack by each of its three keys: envelope id (numeric send id), referenceId, and data.id (the WhatsApp id)', () => {
  const waId = 'true_10172127174@c.us_3EB0C767D26A1D1A2B3C';
  const ack = (envelope: Record<string, unknown>) => normalizeUltraMsgDelivery({ event_type: 'message_ack', instanceId: '1150', ...envelope, data: { id: waId, ack: 'device', fromMe: true } }, 'snd', 5)[0] as StatusItem;
  const filled = ack({ id: '58431', referenceId: 'msg_1' });
  assert.deepEqual([filled.providerMessageId, filled.altProviderMessageIds, filled.parleyMessageId, filled.providerAltId], ['58431', [waId], 'msg_1', waId]);
  // UltraMsg's official webhook example: both envelope fields empty. data.id alone names the message.
  const empty = ack({ id: '', referenceId: '' });
  assert.equal(empty.kind, 'status');
  assert.deepEqual([empty.providerMessageId, empty.altProviderMessageIds, empty.parleyMessageId, empty.providerAltId], [waId, undefined, undefined, waId]);
  assert.equal(empty.status, 'delivered');
  const numeric = ack({ id: 58431 });
  assert.deepEqual([numeric.providerMessageId, numeric.providerAltId], ['58431', waId], 'a numeric envelope id is read as a string');
  const onlyReference = ack({ referenceId: 'msg_2' });
  assert.deepEqual([onlyReference.providerMessageId, onlyReference.parleyMessageId, onlyReference.providerAltId], [waId, 'msg_2', waId]);
});

it('turns message_create of an own send into a provider_id item carrying the same three keys; others are ignored', () => {
  const waId = 'true_10172127174@c.us_3EB0C767D26A1D1A2B3D';
  const created = (envelope: Record<string, unknown>, data: Record<string, unknown> = {}) => normalizeUltraMsgDelivery({ event_type: 'message_create', instanceId: '1150', ...envelope, data: { id: waId, ack: 'pending', fromMe: true, ...data } }, 'snd', 5)[0];
  assert.deepEqual(created({ id: '58431', referenceId: 'msg_1' }), { kind: 'provider_id', provider: 'ultramsg', route: { senderId: 'snd' }, providerMessageId: '58431', altProviderMessageIds: [waId], parleyMessageId: 'msg_1', providerAltId: waId });
  assert.deepEqual(created({ id: '', referenceId: '' }), { kind: 'provider_id', provider: 'ultramsg', route: { senderId: 'snd' }, providerMessageId: waId, providerAltId: waId });
  assert.equal(created({ id: '' }, { fromMe: false }).kind, 'ignored');
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
