import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDomainEventBus, HANDLER_LANES, onlyWhen, type AfterCommitHandlers, type InTransactionSubscriber, type QueuedDomainEvent } from '../../src/domain-events/bus.js';
import type { DomainEvent } from '../../src/domain-events/events.js';

interface FakeTx {
  name: string;
}

interface FakeContext {
  db: FakeTx;
  logger: { error(detail: object, message: string): void };
}

const status = (messageId: string): DomainEvent => ({ type: 'message.status', workspaceId: 'ws_1', messageId, senderId: null, contactId: null, status: 'sent', providerStatus: 'sent', errors: [], at: 1 });
const stopped: DomainEvent = { type: 'contact.marketing_stopped', workspaceId: 'ws_1', contactId: 'ct_1', source: '131050', at: 1 };

function setup(afterCommit: AfterCommitHandlers<FakeContext>) {
  const seen: string[] = [];
  const stored: QueuedDomainEvent[] = [];
  const forgotten: number[] = [];
  const logged: string[] = [];
  const inTransaction: Array<InTransactionSubscriber<FakeTx>> = [
    async (tx, event) => void seen.push(`first:${tx.name}:${event.type}`),
    async (tx, event) => void seen.push(`second:${tx.name}:${event.type}`),
  ];
  const bus = createDomainEventBus<FakeTx, FakeContext>(
    { inTransaction, afterCommit },
    {
      write: async (_tx, events) => {
        const queued = events.map((event) => ({ seq: stored.length + 1, event }));
        stored.push(...queued);
        return queued;
      },
      forget: async (_db, seqs) => void forgotten.push(...seqs),
    },
  );
  const ctx: FakeContext = { db: { name: 'db' }, logger: { error: (_detail, message) => void logged.push(message) } };
  return { bus, ctx, seen, stored, forgotten, logged };
}

describe('the domain event bus', () => {
  it('runs the in-transaction subscribers with the publishing transaction, in order, and queues only events that have after-commit handlers', async () => {
    const t = setup({ 'contact.marketing_stopped': [async () => {}] });
    const queued = await t.bus.publish({ name: 'trx' }, [status('m1'), stopped], 5);
    assert.deepEqual(t.seen, ['first:trx:message.status', 'second:trx:message.status', 'first:trx:contact.marketing_stopped', 'second:trx:contact.marketing_stopped']);
    assert.deepEqual(queued, [{ seq: 1, event: stopped }]);
    assert.deepEqual(await t.bus.publish({ name: 'trx' }, [status('m2')], 5), []);
  });

  it('queues an event only when some handler wants it (onlyWhen), and runs a handler only on the events it wants', async () => {
    const handled: string[] = [];
    const t = setup({ 'message.status': [onlyWhen((e) => e.status === 'failed', async (_ctx, e) => void handled.push(e.messageId))] });
    assert.deepEqual(await t.bus.publish({ name: 'trx' }, [status('m1')], 5), [], 'nobody wants a sent status: nothing queued');
    const failed: DomainEvent = { ...status('m2'), status: 'failed' } as DomainEvent;
    const queued = await t.bus.publish({ name: 'trx' }, [status('m3'), failed], 5);
    assert.deepEqual(queued.map((q) => q.event), [failed]);
    await t.bus.handleQueued(t.ctx, queued);
    assert.deepEqual(handled, ['m2']);
    // Handled directly (the sweep of old queued events), an unwanted event does nothing.
    await t.bus.handle(t.ctx, status('m4'));
    assert.deepEqual(handled, ['m2']);
  });

  it('runs the after-commit handlers of queued events, then forgets them; a failing handler does not stop the others', async () => {
    const handled: string[] = [];
    const t = setup({
      'contact.marketing_stopped': [
        async () => {
          throw new Error('boom');
        },
        async (_ctx, event) => void handled.push(event.contactId),
      ],
    });
    const queued = await t.bus.publish({ name: 'trx' }, [stopped], 5);
    await t.bus.handleQueued(t.ctx, queued);
    assert.deepEqual(handled, ['ct_1']);
    assert.deepEqual(t.logged, ['domain event handler failed']);
    assert.deepEqual(t.forgotten, [1]);
  });

  it('runs one contact\'s events in order and different contacts\' side by side, up to HANDLER_LANES at once', async () => {
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const gates = new Map<string, () => void>();
    const t = setup({
      'contact.marketing_stopped': [
        async (_ctx, event) => {
          running++;
          most = Math.max(most, running);
          log.push(`start ${event.contactId}:${event.source}`);
          // Each handler waits until the test lets it finish: what runs at once is what started.
          await new Promise<void>((resolve) => gates.set(`${event.contactId}:${event.source}`, resolve));
          log.push(`end ${event.contactId}:${event.source}`);
          running--;
        },
      ],
    });
    const stop = (contactId: string, source: string): DomainEvent => ({ type: 'contact.marketing_stopped', workspaceId: 'ws_1', contactId, source, at: 1 });
    const contacts = Array.from({ length: HANDLER_LANES + 2 }, (_, i) => `ct_${i}`);
    const queued = await t.bus.publish({ name: 'trx' }, contacts.flatMap((c) => [stop(c, 'a'), stop(c, 'b')]), 5);
    const done = t.bus.handleQueued(t.ctx, queued);
    const settle = () => new Promise((resolve) => setImmediate(resolve));
    await settle();
    // One lane per contact, HANDLER_LANES of them at once, each at its first event.
    assert.deepEqual(log, contacts.slice(0, HANDLER_LANES).map((c) => `start ${c}:a`));
    // Let everything finish, one started handler at a time.
    while (gates.size) {
      const [key, open] = [...gates][0];
      gates.delete(key);
      open();
      await settle();
    }
    await done;
    assert.equal(most, HANDLER_LANES);
    for (const c of contacts) {
      // A contact's second event starts only after its first ended.
      assert.ok(log.indexOf(`end ${c}:a`) < log.indexOf(`start ${c}:b`), `${c}: in order (${log.join(', ')})`);
    }
    assert.equal(log.filter((l) => l.startsWith('end')).length, contacts.length * 2);
    assert.deepEqual(t.forgotten.sort((a, b) => a - b), queued.map((q) => q.seq));
  });
});
