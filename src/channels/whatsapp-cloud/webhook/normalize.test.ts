import { it } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeCloudDelivery } from './normalize.js';
import { PayloadError, type InboundItem, type StatusItem } from '../../webhook-items.js';

const envelope = (field: string, value: unknown) => Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', time: 1700000000, changes: [{ field, value }] }] }));
const metadata = { display_phone_number: '15550783881', phone_number_id: '106540352242922' };

it('reads every entry, change, message, status and error of a batched delivery', () => {
  const body = Buffer.from(
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        { id: '1', changes: [{ field: 'messages', value: { metadata, statuses: [{ id: 'a', status: 'sent', timestamp: '1' }, { id: 'b', status: 'read', timestamp: '2' }] } }] },
        { id: '1', changes: [{ field: 'messages', value: { metadata, messages: [{ id: 'c', from: '1', timestamp: '3', type: 'text', text: { body: 'hi' } }], errors: [{ code: 1, title: 'x' }, { code: 2 }] } }] },
      ],
    }),
  );
  const items = normalizeCloudDelivery(body, 0);
  assert.deepEqual(items.map((i) => i.kind), ['status', 'status', 'inbound', 'provider_error', 'provider_error']);
  assert.deepEqual(items.filter((i) => i.kind === 'provider_error').map((i) => (i.kind === 'provider_error' ? i.position : -1)), [0, 1]);
});

it('keeps conversation-based pricing (CBP) and the conversation object of older API versions', () => {
  const [item] = normalizeCloudDelivery(
    envelope('messages', {
      metadata,
      statuses: [{ id: 'w', status: 'delivered', timestamp: '1700000001', biz_opaque_callback_data: 'msg_1', conversation: { id: 'conv1', expiration_timestamp: '1700086400', origin: { type: 'utility' } }, pricing: { billable: true, pricing_model: 'CBP', category: 'utility' } }],
    }),
    0,
  ) as StatusItem[];
  assert.equal(item.parleyMessageId, 'msg_1');
  assert.equal(item.pricing?.pricing_model, 'CBP');
  assert.deepEqual(item.conversation, { id: 'conv1', expiration_timestamp: '1700086400', origin: { type: 'utility' } });
  assert.equal(item.at, 1700000001_000);
});

it('turns statuses Parley does not track into ignored items, and malformed parts into invalid ones', () => {
  const items = normalizeCloudDelivery(envelope('messages', { metadata, statuses: [{ id: 'w', status: 'played', timestamp: '1' }, { status: 'sent' }], messages: [{ type: 'text' }] }), 0);
  assert.deepEqual(items.map((i) => i.kind), ['invalid', 'ignored', 'invalid']);
  assert.equal(normalizeCloudDelivery(envelope('messages', { statuses: [] }), 0)[0].kind, 'invalid', 'no phone_number_id: cannot route');
});

it('reads user_preferences (marketing stop and resume)', () => {
  const items = normalizeCloudDelivery(
    envelope('user_preferences', { metadata, contacts: [{ wa_id: '16505551234' }], user_preferences: [{ wa_id: '16505551234', detail: 'User requested to stop marketing messages', category: 'marketing_messages', value: 'stop', timestamp: 1731705721 }] }),
    0,
  );
  assert.deepEqual(items, [{ kind: 'user_preference', route: { phoneNumberId: '106540352242922' }, waId: '16505551234', category: 'marketing_messages', value: 'stop', at: 1731705721_000 }]);
});

it('reads voice notes, stickers, documents, contacts, flows and forwarded context', () => {
  const messages = [
    { id: 'v', from: '1', timestamp: '1', type: 'audio', audio: { id: 'm1', mime_type: 'audio/ogg; codecs=opus', voice: true } },
    { id: 'd', from: '1', timestamp: '1', type: 'document', document: { id: 'm2', filename: 'a.pdf', caption: 'invoice' }, context: { forwarded: true } },
    { id: 'c', from: '1', timestamp: '1', type: 'contacts', contacts: [{ name: { formatted_name: 'A' } }] },
    { id: 'f', from: '1', timestamp: '1', type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json: '{"a":1}' } } },
  ];
  const [voice, doc, contacts, flow] = normalizeCloudDelivery(envelope('messages', { metadata, messages }), 0) as InboundItem[];
  assert.deepEqual(voice.content, { media: { providerMediaId: 'm1', mimeType: 'audio/ogg; codecs=opus', voice: true } });
  assert.deepEqual(voice.media, { providerMediaId: 'm1', mimeType: 'audio/ogg; codecs=opus' });
  assert.equal(doc.text, 'invoice');
  assert.deepEqual(doc.content.context, { forwarded: true });
  assert.equal(doc.media?.filename, 'a.pdf');
  assert.deepEqual(contacts.content, { contacts: [{ name: { formatted_name: 'A' } }] });
  assert.deepEqual(flow.content, { flowReply: { name: 'flow', body: 'Sent', responseJson: '{"a":1}' } });
});

it('refuses what is not a WhatsApp Business Account delivery', () => {
  assert.throws(() => normalizeCloudDelivery(Buffer.from('{"object":"instagram","entry":[]}'), 0), PayloadError);
  assert.throws(() => normalizeCloudDelivery(Buffer.from('[1,2]'), 0), PayloadError);
  assert.throws(() => normalizeCloudDelivery(Buffer.from('{"object":"whatsapp_business_account"}'), 0), /no entry/);
  assert.throws(() => normalizeCloudDelivery(Buffer.from('{"object":'), 0), /not valid JSON/);
});
