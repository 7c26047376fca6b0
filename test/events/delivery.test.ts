import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { describeStorage } from '../harness/storage.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import type { ParleyApp } from '../../src/http/types.js';
import { EventDeliveryWorker } from '../../src/events/delivery-worker.js';
import { publishEvent } from '../../src/events/publish-event.js';
import { verifyEventSignature } from '../../src/net/signature.js';
import { isPrivateAddress } from '../../src/net/target-policy.js';
import { fixture, insertOutbound, insertSender, ManualClock, postCloud, processAll, webhookContext, withMessageId, pidHash } from '../webhooks/helpers.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A business system: records what it receives and answers with the next status in line (200 by default). */
async function receiver(): Promise<{ url: string; received: Received[]; answers: number[]; close: () => Promise<void> }> {
  const received: Received[] = [];
  const answers: number[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(answers.shift() ?? 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, received, answers, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const hostResolvesPrivately = await lookup(hostname()).then((a) => isPrivateAddress(a.address), () => false);

describeStorage('event webhooks to business systems', (fx) => {
  const clock = new ManualClock();
  let ctx: ParleyContext;
  let app: ParleyApp;
  let workspace: { workspaceId: string; authorization: string };
  let senderId: string;
  let sink: Awaited<ReturnType<typeof receiver>>;
  let secret: string;
  let subscriptionId: string;
  let worker: EventDeliveryWorker;

  before(async () => {
    sink = await receiver();
    fx.onTearDown(sink.close);
    ctx = webhookContext(fx, { eventsAllowPrivateTargets: true, eventsMaxAgeHours: 1 }, clock);
    app = await fx.app(ctx);
    workspace = await fx.workspace(['webhooks:write', 'webhooks:read']);
    senderId = await insertSender(fx.db, ctx.keyring, { workspaceId: workspace.workspaceId });
    const created = (await app.inject({ method: 'POST', url: '/v1/event-subscriptions', headers: { authorization: workspace.authorization }, payload: { url: sink.url, eventTypes: ['message.inbound', 'message.status'] } })).json();
    secret = created.secret;
    subscriptionId = created.id;
    // Jitter fixed at its lowest, so retry times are exact.
    worker = new EventDeliveryWorker(ctx, { random: () => 0 });
    fx.onTearDown(() => worker.stop());
  });

  it('an inbound message is posted signed, with the documented headers and body', async () => {
    const wamid = `wamid.ev.${randomBytes(4).toString('hex')}`;
    await postCloud(app, withMessageId(fixture('cloud-interactive-button-reply.json'), wamid));
    await processAll(ctx);
    assert.equal(await worker.runOnce(), 1);
    const got = sink.received.at(-1)!;
    assert.equal(got.headers['parley-event-type'], 'message.inbound');
    assert.match(String(got.headers['parley-event-id']), /^evt_/);
    assert.equal(got.headers['content-type'], 'application/json');
    assert.ok(verifyEventSignature(secret, String(got.headers['parley-signature']), got.body, Math.floor(clock.now() / 1000)), 'signature verifies with the subscription secret');
    const body = JSON.parse(got.body);
    assert.equal(body.id, got.headers['parley-event-id']);
    assert.equal(body.type, 'message.inbound');
    assert.equal(body.workspaceId, workspace.workspaceId);
    assert.equal(body.data.type, 'interactive');
    assert.equal(body.data.buttonPayload, 'cancel-button');
    assert.equal(body.data.text, 'Cancel');
    const stored = await fx.db.selectFrom('messages').select('id').where('provider_id_hash', '=', pidHash(fx.db, wamid)).executeTakeFirstOrThrow();
    assert.equal(body.data.messageId, stored.id);
    assert.equal((await fx.db.selectFrom('event_deliveries').select('state').where('event_id', '=', body.id).executeTakeFirstOrThrow()).state, 'delivered');
  });

  it('a status change is published as message.status', async () => {
    const wamid = `wamid.st.${randomBytes(4).toString('hex')}`;
    const messageId = await insertOutbound(fx.db, { workspaceId: workspace.workspaceId, senderId, providerMessageId: wamid });
    await postCloud(app, withMessageId(fixture('cloud-status-failed.json'), wamid));
    await processAll(ctx);
    await worker.runOnce();
    const body = JSON.parse(sink.received.at(-1)!.body);
    assert.equal(body.type, 'message.status');
    assert.deepEqual([body.data.messageId, body.data.status, body.data.errors[0].code], [messageId, 'failed', '131049']);
  });

  it('failures are retried with exponential backoff, then dead-lettered after the maximum age; replay delivers them', async () => {
    const before = sink.received.length;
    sink.answers.push(500, 503, 500, 500, 500, 500, 500, 500, 500, 500, 500, 500);
    const eventId = await ctx.db.transaction().execute((trx) => publishEvent(trx, { workspaceId: workspace.workspaceId, type: 'message.status', data: { messageId: 'msg_x', status: 'read' } }, clock.now()));
    assert.ok(eventId);
    const delivery = () => fx.db.selectFrom('event_deliveries').selectAll().where('event_id', '=', eventId!).executeTakeFirstOrThrow();

    await worker.runOnce();
    let d = await delivery();
    assert.deepEqual([d.state, d.attempts, d.last_status_code], ['pending', 1, 500]);
    assert.equal(d.next_attempt_at - clock.now(), 5_000, 'first retry after half of 10 s (jitter at its lowest)');
    assert.equal(await worker.runOnce(), 0, 'not before it is due');
    clock.advance(5_000);
    await worker.runOnce();
    d = await delivery();
    assert.equal(d.attempts, 2);
    assert.equal(d.next_attempt_at - clock.now(), 10_000, 'then twice as long');
    // Keep failing until the next retry would fall beyond the hour.
    while ((await delivery()).state === 'pending') {
      clock.time = (await delivery()).next_attempt_at;
      await worker.runOnce();
    }
    d = await delivery();
    assert.equal(d.state, 'dead');
    assert.ok(d.attempts >= 8 && d.attempts <= 10, `${d.attempts} attempts within the hour`);
    assert.equal(sink.received.length - before, d.attempts);

    const list = (await app.inject({ url: '/v1/event-dead-letters', headers: { authorization: workspace.authorization } })).json();
    const dead = list.data.find((x: { eventId: string }) => x.eventId === eventId);
    assert.deepEqual([dead.eventType, dead.subscriptionId, dead.lastStatusCode], ['message.status', subscriptionId, 500]);

    sink.answers.length = 0;
    const replay = await app.inject({ method: 'POST', url: `/v1/event-dead-letters/${dead.id}/replay`, headers: { authorization: workspace.authorization } });
    assert.equal(replay.statusCode, 202);
    await worker.runOnce();
    assert.equal((await delivery()).state, 'delivered');
    const again = await app.inject({ method: 'POST', url: `/v1/event-dead-letters/${dead.id}/replay`, headers: { authorization: workspace.authorization } });
    assert.equal(again.statusCode, 404, 'no longer dead');
  });

  it('replays every dead letter at once', async () => {
    for (let i = 0; i < 3; i++) await publishEvent(fx.db, { workspaceId: workspace.workspaceId, type: 'message.status', data: { i } }, clock.now());
    await fx.db.updateTable('event_deliveries').set({ state: 'dead' }).where('state', '=', 'pending').execute();
    const res = await app.inject({ method: 'POST', url: '/v1/event-dead-letters/replay', headers: { authorization: workspace.authorization }, payload: {} });
    assert.equal(res.json().replayed, 3);
    await worker.runOnce();
    assert.equal((await fx.db.selectFrom('event_deliveries').select('id').where('state', '!=', 'delivered').execute()).length, 0);
  });

  it('nothing is stored when nobody subscribes, and a disabled subscription receives nothing', async () => {
    const lonely = await fx.workspace();
    assert.equal(await publishEvent(fx.db, { workspaceId: lonely.workspaceId, type: 'message.status', data: {} }, clock.now()), null);
    await app.inject({ method: 'PATCH', url: `/v1/event-subscriptions/${subscriptionId}`, headers: { authorization: workspace.authorization }, payload: { enabled: false } });
    assert.equal(await publishEvent(fx.db, { workspaceId: workspace.workspaceId, type: 'message.status', data: {} }, clock.now()), null);
    await app.inject({ method: 'PATCH', url: `/v1/event-subscriptions/${subscriptionId}`, headers: { authorization: workspace.authorization }, payload: { enabled: true } });
  });

  it('refuses at delivery time a host name that resolves to a private address', { skip: hostResolvesPrivately ? false : `${hostname()} does not resolve to a private address here` }, async () => {
    const strict = webhookContext(fx, { eventsAllowPrivateTargets: false }, clock);
    const strictApp = await fx.app(strict);
    const port = new URL(sink.url).port;
    const ws = await fx.workspace(['webhooks:write']);
    // The URL names a host, not an address: accepted when saved; its addresses are checked on connecting.
    const created = await strictApp.inject({ method: 'POST', url: '/v1/event-subscriptions', headers: { authorization: ws.authorization }, payload: { url: `http://${hostname()}:${port}/events`, eventTypes: ['message.status'] } });
    assert.equal(created.statusCode, 201, created.body);
    const before = sink.received.length;
    const eventId = await publishEvent(fx.db, { workspaceId: ws.workspaceId, type: 'message.status', data: {} }, clock.now());
    const strictWorker = new EventDeliveryWorker(strict);
    fx.onTearDown(() => strictWorker.stop());
    await strictWorker.runOnce();
    const d = await fx.db.selectFrom('event_deliveries').selectAll().where('event_id', '=', eventId!).executeTakeFirstOrThrow();
    assert.equal(d.state, 'dead');
    assert.match(d.last_error!, /target refused: .*resolves to .*private/);
    assert.equal(sink.received.length, before, 'nothing reached the private address');
  });
});
