import { it } from 'node:test';
import assert from 'node:assert/strict';
import { isWhatsAppId, listedSendOf, whatsAppIdOf } from './messages-list.js';

const waId = 'true_10172127174@c.us_3EB0C767D26A1D1A2B3C';

it('recognises WhatsApp Web serialized ids, and nothing else', () => {
  assert.ok(isWhatsAppId(waId));
  assert.ok(isWhatsAppId('false_123456789@lid_ABC'));
  assert.ok(isWhatsAppId('true_120363041234567890@g.us_3EB0ABC_10172127174@c.us'), 'a group message names its author last');
  for (const other of ['58431', 'msg_01J', '10172127174@c.us', 'true_@c.us_X', '', 58431, null]) assert.equal(isWhatsAppId(other), false, String(other));
});

it('reads the WhatsApp id of a list entry by its form: msgId, another top-level field, or metadata', () => {
  assert.equal(whatsAppIdOf({ id: 1, msgId: waId }), waId);
  assert.equal(whatsAppIdOf({ id: 1, messageId: waId }), waId);
  assert.equal(whatsAppIdOf({ id: 1, metadata: { wid: waId } }), waId);
  assert.equal(whatsAppIdOf({ id: 1, referenceId: 'msg_1', to: '10172127174@c.us', metadata: {} }), undefined);
});

it('picks the newest entry with the referenceId from the list answer', () => {
  const body = {
    total: 3,
    messages: [
      { id: 7, referenceId: 'msg_1', msgId: waId, ack: 'device', status: 'sent' },
      { id: 9, referenceId: 'msg_1', msgId: waId.replace('3C', '3D'), ack: 'read', status: 'sent' },
      { id: 8, referenceId: 'msg_2', ack: 'server', status: 'sent' },
    ],
  };
  assert.deepEqual(listedSendOf(body, 'msg_1'), { id: '9', waId: waId.replace('3C', '3D'), ack: 'read', status: 'sent' });
  assert.deepEqual(listedSendOf(body, 'msg_2'), { id: '8', waId: undefined, ack: 'server', status: 'sent' });
  assert.equal(listedSendOf(body, 'msg_3'), undefined);
  assert.equal(listedSendOf({ error: 'Wrong token' }, 'msg_1'), undefined);
});
