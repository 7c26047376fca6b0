import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describeStorage } from '../harness/storage.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import type { ParleyApp } from '../../src/http/types.js';
import { STATUS_RANK, type ProviderStatus } from '../../src/messages/status.js';
import { listMessageEvents } from '../../src/messages/message-events.js';
import { WebhookProcessor } from '../../src/webhooks/processor.js';
import { FIXTURE_PHONE_NUMBER_ID, insertOutbound, insertSender, postCloud, processAll, webhookContext } from './helpers.js';

const STATUSES: ProviderStatus[] = ['sent', 'delivered', 'read', 'failed'];
const OFFSET: Record<ProviderStatus, number> = { sent: 0, failed: 1, delivered: 2, read: 60 };

function statusObject(wamid: string, status: ProviderStatus) {
  return {
    id: wamid,
    status,
    timestamp: String(1739321024 + OFFSET[status]),
    recipient_id: '16505551234',
    ...(status === 'failed' ? { errors: [{ code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.', error_data: { details: 'healthy ecosystem' } }] } : {}),
    ...(status === 'sent' || status === 'delivered' ? { pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' } } : {}),
  };
}

/** One Cloud API delivery carrying the given statuses (Meta may batch several). */
function delivery(statuses: object[]): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: FIXTURE_PHONE_NUMBER_ID }, statuses } }] }],
  });
}

/** The documented outcome: the highest rank wins; `failed` beats only `sent` (see messages/status.ts). */
const expectedFinal = (seen: ProviderStatus[]) => seen.reduce((best, s) => (STATUS_RANK[s] > STATUS_RANK[best] ? s : best), 'accepted' as ProviderStatus | 'accepted');

describeStorage('property: any order of a message’s statuses, with duplicates, ends in the highest one', (fx) => {
  let ctx: ParleyContext;
  let app: ParleyApp;
  let workspaceId: string;
  let senderId: string;
  let run = 0;

  before(async () => {
    ctx = webhookContext(fx);
    app = await fx.app(ctx);
    workspaceId = (await fx.workspace()).workspaceId;
    senderId = await insertSender(fx.db, ctx.keyring, { workspaceId });
  });

  it('final status is the highest received, failed as documented, each status recorded once', async () => {
    const processor = new WebhookProcessor(ctx);
    await fc.assert(
      fc.asyncProperty(
        // Statuses with duplicates, in any order, cut into deliveries; after each delivery the processor may or may not run.
        fc.array(fc.constantFrom(...STATUSES), { minLength: 1, maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 10, maxLength: 10 }),
        fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
        async (sequence, cuts, processNow) => {
          const wamid = `wamid.prop.${fx.dialect}.${run++}`;
          const messageId = await insertOutbound(fx.db, { workspaceId, senderId, providerMessageId: wamid, status: 'accepted' });
          let i = 0;
          let d = 0;
          while (i < sequence.length) {
            const take = sequence.slice(i, i + cuts[d % cuts.length]);
            const res = await postCloud(app, delivery(take.map((s) => statusObject(wamid, s))));
            assert.equal(res.statusCode, 200);
            if (processNow[d % processNow.length]) await processor.runOnce();
            i += take.length;
            d++;
          }
          await processAll(ctx);
          const message = await fx.db.selectFrom('messages').select(['status', 'error_code']).where('id', '=', messageId).executeTakeFirstOrThrow();
          const final = expectedFinal(sequence);
          assert.equal(message.status, final, `statuses ${sequence.join(',')}`);
          assert.equal(message.error_code, final === 'failed' ? '131049' : null);
          const events = await listMessageEvents(fx.db, messageId);
          const recorded = events.filter((e) => e.kind === 'status').map((e) => e.status).sort();
          assert.deepEqual(recorded, [...new Set(sequence)].sort(), 'one history event per distinct status');
          assert.equal(events.filter((e) => e.kind === 'pricing').length, sequence.some((s) => s === 'sent' || s === 'delivered') ? 1 : 0);
        },
      ),
      { numRuns: 40 },
    );
  });
});
