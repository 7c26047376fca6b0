import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { WebhookLogWriter, type LogEntry } from '../../src/webhooks/log-writer.js';
import { WebhookProcessor } from '../../src/webhooks/processor.js';
import { captureDomainEvents, webhookContext } from './helpers.js';

const entry = (i: number): LogEntry => ({ provider: 'cloud', receivedAt: Date.now(), senderId: null, sealedBody: Buffer.from(`body ${i}`), headers: { n: String(i) } });

describeStorage('the webhook log: group commit and durable domain events', (fx) => {
  it('concurrent deliveries share commits, and each resolves only once its row is stored', async () => {
    const commits: number[] = [];
    const writer = new WebhookLogWriter(fx.db, { windowMs: 5, onCommit: (n) => commits.push(n) });
    const before = Number((await fx.db.selectFrom('webhook_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const stored: number[] = [];
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        writer.append(entry(i)).then(async () => {
          // Visible to another reader the moment the promise resolves.
          const row = await fx.db.selectFrom('webhook_log').select('seq').where('headers', '=', JSON.stringify({ n: String(i) })).executeTakeFirst();
          if (row) stored.push(i);
        }),
      ),
    );
    assert.equal(stored.length, 200);
    assert.equal(commits.reduce((a, b) => a + b, 0), 200);
    assert.ok(commits.length < 20, `200 deliveries in ${commits.length} commits`);
    const after = Number((await fx.db.selectFrom('webhook_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(after - before, 200);
    await writer.close();
    await assert.rejects(writer.append(entry(0)), /closed/);
  });

  it('by default, deliveries read in the same event-loop turn share one commit, and a lone one commits on its own', async () => {
    const commits: number[] = [];
    const writer = new WebhookLogWriter(fx.db, { onCommit: (n) => commits.push(n) });
    await Promise.all(Array.from({ length: 50 }, (_, i) => writer.append(entry(i))));
    assert.equal(commits.reduce((a, b) => a + b, 0), 50);
    assert.ok(commits.length <= 2, `50 deliveries of one turn in ${commits.length} commits`);
    commits.length = 0;
    await writer.append(entry(99));
    assert.deepEqual(commits, [1]);
    await writer.close();
  });

  it('a commit that fails rejects exactly the deliveries it carried; later ones still commit', async () => {
    const writer = new WebhookLogWriter(fx.db, { windowMs: 5, maxBatch: 10 });
    const bad = { ...entry(1), provider: null as unknown as 'cloud' };
    const results = await Promise.allSettled([writer.append(entry(2)), writer.append(bad), writer.append(entry(3))]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'rejected'], 'one transaction: all or nothing');
    await writer.append(entry(4));
    await writer.close();
  });

  it('domain events left behind by a crash (committed, not yet emitted) are emitted by the next sweep', async () => {
    const ctx = webhookContext(fx);
    const capture = captureDomainEvents(['template.status']);
    try {
      const event = { type: 'template.status', wabaId: 'w', name: 'n', language: 'en', event: 'APPROVED', reason: null, detail: {}, at: 1 };
      await fx.db.insertInto('webhook_domain_events').values({ event: JSON.stringify(event), created_at: Date.now() - 60_000 }).execute();
      await new WebhookProcessor(ctx).housekeeping(true);
      assert.deepEqual(capture.events, [event]);
      assert.equal((await fx.db.selectFrom('webhook_domain_events').select('seq').execute()).length, 0);
    } finally {
      capture.stop();
    }
  });
});
