import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { WebhookLogWriter, type LogEntry } from '../../src/webhooks/log-writer.js';
import { WebhookProcessor } from '../../src/webhooks/processor.js';
import { webhookServicesFor } from '../../src/webhooks/services.js';
import { webhookContext } from './helpers.js';

const HOUR = 3_600_000;

describeStorage('the webhook processor: batches under load', (fx) => {
  it('idle, it starts on the first commit; after a partial batch it waits for a full batch to gather', async () => {
    const ctx = webhookContext(fx);
    const services = webhookServicesFor(ctx);
    const writer = new WebhookLogWriter(fx.db, { onCommit: (n) => services.notifyCommitted(n) });
    let seq = 0;
    // Bodies the processor cannot read: each is a delivery it completes (as failed) in its batch.
    const append = (n: number) => Promise.all(Array.from({ length: n }, () => writer.append({ provider: 'cloud', receivedAt: Date.now(), senderId: null, sealedBody: services.seal.seal(Buffer.from(`not json ${seq++}`)), headers: {} } satisfies LogEntry)));
    const pending = async () => Number((await fx.db.selectFrom('webhook_log').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'pending').executeTakeFirstOrThrow()).n);
    const settled = async (want: number) => {
      while ((await pending()) !== want) await new Promise((r) => setTimeout(r, 5));
    };
    // Timers far away: only commits can wake it.
    const processor = new WebhookProcessor(ctx, { batchSize: 4, gatherMs: HOUR, idleMs: HOUR, sweepEveryMs: HOUR, purgeEveryMs: HOUR });
    await processor.housekeeping(true);
    processor.start();
    try {
      await append(1);
      await settled(0); // idle: the first commit starts a batch, partial (1 of 4)
      await append(3);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(await pending(), 3, 'gathering: 3 of a batch of 4 wait');
      await append(1);
      await settled(0); // the fourth commit completes the batch: all processed
    } finally {
      await processor.stop();
      await writer.close();
    }
  });
});
