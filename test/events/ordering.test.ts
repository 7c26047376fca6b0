import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { describeStorage } from '../harness/storage.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import type { ParleyApp } from '../../src/http/types.js';
import { EventDeliveryWorker } from '../../src/events/delivery-worker.js';
import { fixture, insertOutbound, insertSender, ManualClock, postCloud, processAll, webhookContext, withMessageId } from '../webhooks/helpers.js';

interface Arrival {
  eventId: string;
  type: string;
  messageId: string;
  status?: string;
  text?: string;
  sequence: number;
  orderingKey: string;
  answered: number;
}

/**
 * A business system that is slow and then fails for a while, then recovers: it answers the first
 * `failFirst` requests after a delay with 500, and 200 after that. It records every request.
 */
async function flakySubscriber(failFirst: number): Promise<{ url: string; arrivals: Arrival[]; close: () => Promise<void> }> {
  const arrivals: Arrival[] = [];
  let requests = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const event = JSON.parse(body);
      const failing = ++requests <= failFirst;
      const answered = failing ? 500 : 200;
      arrivals.push({ eventId: event.id, type: event.type, messageId: event.data.messageId, status: event.data.status, text: event.data.text, sequence: event.sequence, orderingKey: event.orderingKey, answered });
      setTimeout(() => res.writeHead(answered).end(failing ? 'busy' : 'ok'), failing ? 20 : 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, arrivals, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describeStorage('event webhooks keep order per resource', (fx) => {
  const clock = new ManualClock();
  let ctx: ParleyContext;
  let app: ParleyApp;
  let workspace: { workspaceId: string; authorization: string };
  let senderId: string;

  before(async () => {
    ctx = webhookContext(fx, { eventsAllowPrivateTargets: true, eventsMaxAgeHours: 24, eventsConcurrency: 8 }, clock);
    app = await fx.app(ctx);
    workspace = await fx.workspace(['webhooks:write', 'webhooks:read']);
    senderId = await insertSender(fx.db, ctx.keyring, { workspaceId: workspace.workspaceId });
  });

  async function subscribe(url: string, eventTypes: string[]): Promise<EventDeliveryWorker> {
    const created = await app.inject({ method: 'POST', url: '/v1/event-subscriptions', headers: { authorization: workspace.authorization }, payload: { url, eventTypes } });
    assert.equal(created.statusCode, 201, created.body);
    const worker = new EventDeliveryWorker(ctx, { random: () => 0.5 });
    fx.onTearDown(() => worker.stop());
    return worker;
  }

  /** Runs the worker until nothing is left to deliver, moving the clock to each next retry. */
  async function deliverAll(worker: EventDeliveryWorker): Promise<void> {
    for (let rounds = 0; rounds < 2_000; rounds++) {
      if ((await worker.runOnce()) > 0) continue;
      const next = await fx.db.selectFrom('event_deliveries').select((eb) => eb.fn.min('next_attempt_at').as('at')).where('state', '=', 'pending').executeTakeFirst();
      if (next?.at == null) {
        const waiting = await fx.db.selectFrom('event_deliveries').select('id').where('state', '=', 'waiting').execute();
        assert.equal(waiting.length, 0, 'no delivery is left waiting behind a finished one');
        return;
      }
      clock.time = Math.max(clock.now(), Number(next.at));
    }
    assert.fail('deliveries did not finish');
  }

  it('a subscriber that answers slowly, then 500s, then recovers gets every message status, in order per message, the last one final', async () => {
    const MESSAGES = 30;
    const sink = await flakySubscriber(45);
    fx.onTearDown(sink.close);
    const worker = await subscribe(sink.url, ['message.status']);
    const wamids = Array.from({ length: MESSAGES }, () => `wamid.order.${randomBytes(6).toString('hex')}`);
    const ids = new Map<string, string>();
    for (const wamid of wamids) ids.set(await insertOutbound(fx.db, { workspaceId: workspace.workspaceId, senderId, providerMessageId: wamid }), wamid);
    // Each message goes sent → delivered → read: three status events per message, published in that order.
    for (const status of ['sent', 'delivered', 'read']) {
      for (const wamid of wamids) assert.equal((await postCloud(app, withMessageId(fixture(`cloud-status-${status}.json`), wamid))).statusCode, 200);
      await processAll(ctx);
    }
    const published = await fx.db.selectFrom('event_outbox').select(['id', 'ordering_key', 'sequence']).where('type', '=', 'message.status').execute();
    assert.equal(published.length, MESSAGES * 3);

    await deliverAll(worker);

    assert.ok(sink.arrivals.some((a) => a.answered === 500), 'the subscriber failed for a while');
    const delivered = sink.arrivals.filter((a) => a.answered === 200);
    assert.equal(new Set(delivered.map((a) => a.eventId)).size, MESSAGES * 3, 'every event arrived');
    assert.equal(delivered.length, MESSAGES * 3, 'and each was accepted once');
    const byMessage = new Map<string, Arrival[]>();
    for (const a of sink.arrivals) byMessage.set(a.messageId, [...(byMessage.get(a.messageId) ?? []), a]);
    let outOfOrder = 0;
    let lastNotFinal = 0;
    for (const [messageId, arrivals] of byMessage) {
      assert.ok(ids.has(messageId));
      // Every request for this message, failed or not, in arrival order: never a later status before an earlier one is accepted.
      const accepted = arrivals.filter((a) => a.answered === 200);
      if (accepted.map((a) => a.status).join() !== 'sent,delivered,read') outOfOrder++;
      for (let i = 1; i < arrivals.length; i++) assert.ok(arrivals[i].sequence >= arrivals[i - 1].sequence, `sequence never goes back for ${messageId}`);
      for (let i = 1; i < accepted.length; i++) assert.ok(accepted[i].sequence > accepted[i - 1].sequence);
      assert.ok(accepted.every((a) => a.orderingKey === `message:${messageId}`));
      if (accepted.at(-1)?.status !== 'read') lastNotFinal++;
    }
    assert.equal(outOfOrder, 0, 'messages whose status events arrived out of order');
    assert.equal(lastNotFinal, 0, 'messages whose last event was not the final status');
  });

  it("a conversation's inbound messages arrive in the order the customer wrote them while the subscriber fails and recovers", async () => {
    const sink = await flakySubscriber(3);
    fx.onTearDown(sink.close);
    const worker = await subscribe(sink.url, ['message.inbound']);
    const texts = ['first', 'second', 'third', 'fourth'];
    for (const [i, text] of texts.entries()) {
      const body = withMessageId(fixture('cloud-text-message.json'), `wamid.conv.${randomBytes(6).toString('hex')}`).replace(/"body":\s*"[^"]*"/, `"body": "${text}"`).replace(/"timestamp":\s*"(\d+)"/, (_m, t) => `"timestamp": "${Number(t) + i}"`);
      assert.equal((await postCloud(app, body)).statusCode, 200);
      await processAll(ctx);
    }
    await deliverAll(worker);
    const accepted = sink.arrivals.filter((a) => a.answered === 200);
    assert.ok(sink.arrivals.some((a) => a.answered === 500));
    assert.deepEqual(accepted.map((a) => a.text), texts);
    assert.equal(new Set(accepted.map((a) => a.orderingKey)).size, 1, 'one conversation, one ordering key');
    assert.match(accepted[0].orderingKey, /^conversation:/);
  });
});
