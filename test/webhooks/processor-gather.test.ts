import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { WebhookLogWriter, type LogEntry } from '../../src/webhooks/log-writer.js';
import { WebhookProcessor } from '../../src/webhooks/processor.js';
import { webhookServicesFor } from '../../src/webhooks/services.js';
import { webhookContext } from './helpers.js';

const HOUR = 3_600_000;

describeStorage('the webhook processor: batches under load', (fx) => {
  it('after a partial batch it waits for a full batch to gather; idle, it starts on the first commit', async () => {
    const ctx = webhookContext(fx);
    const services = webhookServicesFor(ctx);
    const writer = new WebhookLogWriter(fx.db, { onCommit: (n) => services.notifyCommitted(n) });
    let seq = 0;
    // Bodies the processor cannot read: each is a delivery it completes (as failed) in its batch.
    const append = (n: number) => Promise.all(Array.from({ length: n }, () => writer.append({ provider: 'cloud', receivedAt: Date.now(), senderId: null, sealedBody: services.seal.seal(Buffer.from(`not json ${seq++}`)), headers: {} } satisfies LogEntry)));
    const pending = async () => Number((await fx.db.selectFrom('webhook_log').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'pending').executeTakeFirstOrThrow()).n);
    // The processor's own timers are an hour away: a delivery it was not woken for would wait that long.
    const settled = async (want: number) => {
      const until = Date.now() + 30_000;
      while ((await pending()) !== want) {
        if (Date.now() > until) assert.fail(`still ${await pending()} pending deliveries, want ${want}: the processor was not woken`);
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    // Timers far away: only commits can wake it.
    const processor = new WebhookProcessor(ctx, { batchSize: 4, gatherMs: HOUR, idleMs: HOUR, sweepEveryMs: HOUR, purgeEveryMs: HOUR });
    await processor.housekeeping(true);
    // Committed before the processor listens: its first pass takes it, a partial batch (1 of 4). (A
    // commit it heard while that pass was claiming would count towards the next batch's gathering.)
    await append(1);
    processor.start();
    try {
      await settled(0);
      await append(3);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(await pending(), 3, 'gathering: 3 of a batch of 4 wait');
      await append(1);
      await settled(0); // the fourth commit completes the batch: all processed
      await append(1);
      await settled(0); // after a full batch and an empty claim it is idle: the first commit wakes it
    } finally {
      await processor.stop();
      await writer.close();
    }
  });
});
