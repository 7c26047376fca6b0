import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { INBOUND_LANE_PRIORITY, inboundMessageRow, outboundMessageRow, type InboundMessageInput, type OutboundMessageInput } from './message-row.js';
import { STATUS_RANK } from './status.js';
import { LANE_PRIORITY, LANES } from '../policy/lanes.js';

const NOW = Date.UTC(2026, 11, 6, 12);

const outbound = (over: Partial<OutboundMessageInput> = {}): OutboundMessageInput => ({
  id: 'msg_out',
  workspaceId: 'ws_1',
  senderId: 'snd_1',
  contactId: 'ct_1',
  lane: 'transactional',
  type: 'template',
  content: 'v1.dk_1.sealed-content',
  template: { name: 'order_shipped', language: 'en_US' },
  intent: 'order_shipped',
  status: 'queued',
  refusal: null,
  idempotencyKey: 'key-1',
  requestHash: 'hash-1',
  sendAt: NOW + 1_000,
  validUntil: NOW + 60_000,
  nextAttemptAt: NOW + 2_000,
  metadata: { orderId: 'A-17', variant: 'var_1' },
  replyTo: 'msg_quoted',
  now: NOW,
  ...over,
});

const inbound = (over: Partial<InboundMessageInput> = {}): InboundMessageInput => ({
  id: 'msg_in',
  workspaceId: 'ws_1',
  senderId: 'snd_1',
  contactId: 'ct_1',
  type: 'text',
  content: 'v1.dk_1.sealed-words',
  providerIdHash: 'a1b2c3',
  providerIdSealed: 'v1.dk_1.sealed-wamid',
  provider: 'cloud',
  at: NOW - 5_000,
  replyTo: 'msg_quoted',
  now: NOW,
  ...over,
});

describe('message rows', () => {
  it('builds an outbound row with every column set: the lane, the rank of its status, no provider id, not claimed, no attempt', () => {
    assert.deepEqual(outboundMessageRow(outbound()), {
      id: 'msg_out',
      workspace_id: 'ws_1',
      direction: 'outbound',
      channel: 'whatsapp',
      sender_id: 'snd_1',
      contact_id: 'ct_1',
      lane: 'transactional',
      lane_priority: LANE_PRIORITY.transactional,
      type: 'template',
      content: 'v1.dk_1.sealed-content',
      template_name: 'order_shipped',
      template_language: 'en_US',
      intent: 'order_shipped',
      status: 'queued',
      status_rank: STATUS_RANK.queued,
      status_at: NOW,
      provider_id_sealed: null,
      provider_id_hash: null,
      provider_alt_id_sealed: null,
      provider_alt_id_hash: null,
      idempotency_key: 'key-1',
      request_hash: 'hash-1',
      send_at: NOW + 1_000,
      valid_until: NOW + 60_000,
      next_attempt_at: NOW + 2_000,
      attempts: 0,
      claimed_by: null,
      claimed_at: null,
      error_code: null,
      error_message: null,
      metadata: '{"orderId":"A-17","variant":"var_1"}',
      reply_to: 'msg_quoted',
      created_at: NOW,
      updated_at: NOW,
    });
  });

  it('gives each lane its priority and each accept-time status its rank', () => {
    for (const lane of LANES) assert.equal(outboundMessageRow(outbound({ lane })).lane_priority, LANE_PRIORITY[lane], lane);
    for (const status of ['scheduled', 'queued', 'refused', 'expired'] as const) {
      const row = outboundMessageRow(outbound({ status }));
      assert.equal(row.status, status);
      assert.equal(row.status_rank, STATUS_RANK[status]);
    }
  });

  it('stores a refusal as the error, and leaves out what the send does not have', () => {
    const row = outboundMessageRow(
      outbound({ status: 'refused', refusal: { code: 'suppressed', reason: 'The contact is suppressed (all): blocked' }, template: undefined, intent: null, idempotencyKey: null, requestHash: null, validUntil: null, metadata: {}, replyTo: undefined }),
    );
    assert.equal(row.error_code, 'suppressed');
    assert.equal(row.error_message, 'The contact is suppressed (all): blocked');
    assert.equal(row.template_name, null);
    assert.equal(row.template_language, null);
    assert.equal(row.intent, null);
    assert.equal(row.idempotency_key, null);
    assert.equal(row.request_hash, null);
    assert.equal(row.valid_until, null);
    assert.equal(row.metadata, '{}');
    assert.equal(row.reply_to, null);
  });

  it('keeps a quoted provider id out of reply_to (it names the customer\'s number)', () => {
    assert.equal(outboundMessageRow(outbound({ replyTo: 'wamid.HBgLMTU1NTAwMDAwMDEVAgARGBI' })).reply_to, null);
    assert.equal(outboundMessageRow(outbound({ replyTo: 'msg_01JD0000000000000000000000' })).reply_to, 'msg_01JD0000000000000000000000');
  });

  it('builds an inbound row with every column set: received when the customer sent it, outside every lane, with its provider id', () => {
    assert.deepEqual(inboundMessageRow(inbound()), {
      id: 'msg_in',
      workspace_id: 'ws_1',
      direction: 'inbound',
      channel: 'whatsapp',
      sender_id: 'snd_1',
      contact_id: 'ct_1',
      lane: null,
      lane_priority: INBOUND_LANE_PRIORITY,
      type: 'text',
      content: 'v1.dk_1.sealed-words',
      template_name: null,
      template_language: null,
      intent: null,
      status: 'received',
      status_rank: STATUS_RANK.received,
      status_at: NOW - 5_000,
      provider_id_sealed: 'v1.dk_1.sealed-wamid',
      provider_id_hash: 'a1b2c3',
      provider_alt_id_sealed: null,
      provider_alt_id_hash: null,
      idempotency_key: null,
      request_hash: null,
      send_at: NOW - 5_000,
      valid_until: null,
      next_attempt_at: NOW - 5_000,
      attempts: 0,
      claimed_by: null,
      claimed_at: null,
      error_code: null,
      error_message: null,
      metadata: '{"provider":"cloud"}',
      reply_to: 'msg_quoted',
      created_at: NOW,
      updated_at: NOW,
    });
    assert.equal(inboundMessageRow(inbound({ contactId: null, replyTo: null })).contact_id, null);
    assert.equal(inboundMessageRow(inbound({ contactId: null, replyTo: null })).reply_to, null);
  });

  it('puts inbound messages after every outbound lane', () => {
    assert.equal(INBOUND_LANE_PRIORITY, 9);
    for (const lane of LANES) assert.ok(LANE_PRIORITY[lane] < INBOUND_LANE_PRIORITY, lane);
  });

  it('sets the same columns for both directions', () => {
    assert.deepEqual(Object.keys(inboundMessageRow(inbound())).sort(), Object.keys(outboundMessageRow(outbound())).sort());
  });
});
