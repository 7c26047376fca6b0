import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { inboundMessageRow, outboundMessageRow } from '../../src/messages/message-row.js';

describeStorage('message rows', (fx) => {
  it('set every column the messages table has, in both directions', async () => {
    const table = (await fx.db.introspection.getTables()).find((t) => t.name === 'messages');
    assert.ok(table, 'the messages table exists');
    const columns = table.columns.map((c) => c.name).sort();
    const outbound = outboundMessageRow({
      id: 'msg_out', workspaceId: 'ws_1', senderId: 'snd_1', contactId: 'ct_1', lane: 'otp', type: 'text', content: 'sealed', template: undefined, intent: null,
      status: 'queued', refusal: null, idempotencyKey: null, requestHash: null, sendAt: 1, validUntil: null, nextAttemptAt: 1, metadata: {}, replyTo: undefined, now: 1,
    });
    const inbound = inboundMessageRow({
      id: 'msg_in', workspaceId: 'ws_1', senderId: 'snd_1', contactId: null, type: 'text', content: 'sealed', providerIdHash: 'h', providerIdSealed: 's', provider: 'cloud', at: 1, replyTo: null, now: 1,
    });
    assert.deepEqual(Object.keys(outbound).sort(), columns);
    assert.deepEqual(Object.keys(inbound).sort(), columns);
  });
});
