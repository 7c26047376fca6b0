import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { WebhookLogWriter, type LogEntry } from '../../src/webhooks/log-writer.js';
import { WebhookProcessor } from '../../src/webhooks/processor.js';
import { DOMAIN_EVENT_HANDLERS } from '../../src/main/modules.js';
import type { DomainEventHandler } from '../../src/runtime/context.js';
import { fixture, insertSender, postCloud, processAll, captureDomainEvents, webhookContext, withMessageId } from './helpers.js';

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

  it("the queue table holds an inbound message's words sealed only; handlers get them in clear", async () => {
    const ctx = webhookContext(fx);
    const app = await fx.app(ctx);
    const { workspaceId } = await fx.workspace();
    await insertSender(fx.db, ctx.keyring, { workspaceId });
    const words = `Hi, I'd like to check on my order.`;
    const seen: Array<{ text?: string; stored: string[] }> = [];
    // Runs while the event is still queued (it is deleted once every handler ran).
    const handler: DomainEventHandler<'message.inbound'> = async (_ctx, event) => {
      seen.push({ text: event.text, stored: (await fx.db.selectFrom('webhook_domain_events').select('event').execute()).map((r) => r.event) });
    };
    (DOMAIN_EVENT_HANDLERS['message.inbound'] ??= []).push(handler);
    try {
      assert.equal((await postCloud(app, withMessageId(fixture('cloud-text-message.json'), `wamid.words.${Date.now()}`))).statusCode, 200);
      await processAll(ctx);
    } finally {
      DOMAIN_EVENT_HANDLERS['message.inbound']!.splice(DOMAIN_EVENT_HANDLERS['message.inbound']!.indexOf(handler), 1);
    }
    assert.equal(seen.length, 1);
    assert.equal(seen[0].text, words);
    assert.equal(seen[0].stored.length, 1);
    assert.ok(!seen[0].stored[0].includes('check on my order'), seen[0].stored[0]);
    assert.match(JSON.parse(seen[0].stored[0]).sealed, /^v1\./);
  });
});
