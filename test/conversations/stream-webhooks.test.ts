import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeStorage } from '../harness/storage.js';
import { ManualClock, insertSender, webhookContext } from '../webhooks/helpers.js';
import { customerWrites } from './helpers.js';
import { EventDeliveryWorker } from '../../src/events/delivery-worker.js';
import { verifyEventSignature } from '../../src/net/signature.js';
import { EVENT_TYPES } from '../../src/events/event-types.js';
import { CONVERSATION_EVENT_TYPES } from '../../src/conversations/state-machine.js';

/** A business system that records what it receives. */
async function receiver() {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

it('every conversation event type can be subscribed to as an event webhook', () => {
  assert.deepEqual(EVENT_TYPES.filter((t) => t.startsWith('conversation.')), [...CONVERSATION_EVENT_TYPES]);
});

describeStorage('Event webhooks: conversation.*', (fx) => {
  it('a subscription to conversation.* receives each conversation event signed, in order, with ids and states but never the words', async () => {
    const clock = new ManualClock();
    const sink = await receiver();
    fx.onTearDown(sink.close);
    const ctx = webhookContext(fx, { eventsAllowPrivateTargets: true }, clock);
    const app = await fx.app(ctx);
    const { workspaceId, authorization } = await fx.workspace();
    const senderId = await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId: '106500000000951' });
    const created = await app.inject({ method: 'POST', url: '/v1/event-subscriptions', headers: { authorization }, payload: { url: sink.url, eventTypes: ['conversation.*'] } });
    assert.equal(created.statusCode, 201, created.body);
    const onlyResolved = await app.inject({ method: 'POST', url: '/v1/event-subscriptions', headers: { authorization }, payload: { url: `${sink.url}?only=resolved`, eventTypes: ['conversation.resolved'] } });
    assert.equal(onlyResolved.statusCode, 201, onlyResolved.body);
    const refused = await app.inject({ method: 'POST', url: '/v1/event-subscriptions', headers: { authorization }, payload: { url: sink.url, eventTypes: ['message.*'] } });
    assert.equal(refused.json().error.code, 'EVENT_TYPE_UNKNOWN');

    await customerWrites(app, ctx, { from: '16505550901', phoneNumberId: '106500000000951', text: 'my card number is 4111' });
    const conversation = (await app.inject({ url: '/v1/conversations', headers: { authorization } })).json().data[0];
    const resolved = await app.inject({ method: 'POST', url: `/v1/conversations/${conversation.id}/resolve`, headers: { authorization } });
    assert.equal(resolved.statusCode, 200);
    const worker = new EventDeliveryWorker(ctx, { random: () => 0 });
    fx.onTearDown(() => worker.stop());
    while ((await worker.runOnce()) > 0);

    const bodies = sink.received.map((r) => ({ r, body: JSON.parse(r.body) }));
    const types = bodies.map((b) => b.body.type);
    assert.deepEqual(types.filter((t) => t !== 'conversation.resolved'), ['conversation.opened', 'conversation.message_in']);
    assert.equal(types.filter((t) => t === 'conversation.resolved').length, 2, 'one for the wildcard, one for the subscription that names it');
    const secret = created.json().secret as string;
    const ofWildcard = bodies.filter((b) => verifyEventSignature(secret, String(b.r.headers['parley-signature']), b.r.body, Math.floor(clock.now() / 1000)));
    assert.deepEqual(ofWildcard.map((b) => b.body.type), ['conversation.opened', 'conversation.message_in', 'conversation.resolved'], 'signed with the subscription\'s secret, in the conversation\'s order');
    const sequences = ofWildcard.map((b) => b.body.sequence as number);
    assert.ok(sequences.every((s, i) => i === 0 || s > sequences[i - 1]!));
    const last = ofWildcard.at(-1)!;
    assert.equal(last.r.headers['parley-event-type'], 'conversation.resolved');
    assert.equal(last.body.orderingKey, `conversation:${senderId}:${conversation.contactId}`);
    const { seq, at, detail, actor, ...rest } = last.body.data;
    assert.deepEqual(rest, { conversationId: conversation.id, senderId, contactId: conversation.contactId, state: 'resolved', owner: { type: 'nobody', userId: null }, teamId: null, reason: null, cycle: 1 });
    assert.ok(Number.isInteger(seq) && !Number.isNaN(Date.parse(at)) && detail.cycle === 1);
    assert.match(actor, /^key:/);
    assert.ok(!sink.received.some((r) => r.body.includes('4111')), 'never the customer\'s words');
  });
});
