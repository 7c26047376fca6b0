import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describeStorage, type StorageFixture } from '../harness/storage.js';
import { insertSender, webhookContext } from '../webhooks/helpers.js';
import { makeUser, signIn } from '../people/helpers.js';
import { customerWrites } from './helpers.js';
import { SseClient } from './sse-client.js';
import { workspaceEvents } from '../../src/conversations/conversation-store.js';
import { appendNotice } from '../../src/conversations/stream-notices.js';
import { createApiKey } from '../../src/access/api-key-queries.js';

/** A listening app on a free port, a workspace with a sender, its admin key. */
async function setUp(fx: StorageFixture, config: Record<string, unknown> = {}) {
  const ctx = webhookContext(fx, config);
  const app = await fx.app(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const { authorization, workspaceId } = await fx.workspace();
  // Each test's own sender number (a number belongs to one sender of the database).
  const phoneNumberId = `1065${String(++senders).padStart(11, '0')}`;
  await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId });
  const write = (from: string, text?: string) => customerWrites(app, ctx, { from, phoneNumberId, ...(text ? { text } : {}) });
  const opens = async (from: string): Promise<string> => {
    await write(from);
    const list = (await app.inject({ url: '/v1/conversations?limit=1', headers: { authorization } })).json().data;
    return list[0].id as string;
  };
  return { ctx, app, port, authorization, workspaceId, write, opens };
}
let senders = 0;

const seqs = (client: SseClient) => client.events.map((e) => Number(e.id));

describeStorage('Live stream: GET /v1/stream', (fx) => {
  it('sends the events that happen after it opens, in the workspace\'s order, each with its seq as id and its type as event, without the customer\'s words', async () => {
    const { app, port, authorization, workspaceId, write, opens } = await setUp(fx);
    await write('16505550001', 'before the stream');
    const before = (await workspaceEvents(fx.db, workspaceId, 0, 1000)).length;
    const stream = await SseClient.open(port, { authorization });
    assert.equal(stream.response.statusCode, 200);
    assert.match(stream.response.headers['content-type']!, /^text\/event-stream/);
    const conversationId = await opens('16505550002');
    await app.inject({ method: 'POST', url: `/v1/conversations/${conversationId}/resolve`, headers: { authorization } });
    await write('16505550001', 'a secret word: pineapple');
    const all = (await workspaceEvents(fx.db, workspaceId, 0, 1000)).slice(before);
    await stream.until(() => stream.events.length >= all.length);
    assert.deepEqual(seqs(stream), all.map((e) => e.seq), 'every event after the stream opened, in order, once');
    assert.deepEqual(stream.events.map((e) => e.event), all.map((e) => e.type));
    for (const e of stream.events) {
      assert.equal(e.data.seq, Number(e.id));
      assert.equal(e.data.type, e.event);
    }
    assert.ok(!JSON.stringify(stream.events).includes('pineapple'), 'ids and states only');
    stream.close();
  });

  it('resumes after a disconnect from Last-Event-ID (or ?after=) with every event written meanwhile, none twice', async () => {
    const { app, port, authorization, workspaceId, write, opens } = await setUp(fx);
    const start = await SseClient.open(port, { authorization });
    await write('16505550101');
    await write('16505550102');
    await start.until(() => start.events.length >= 4);
    const lastId = start.lastId()!;
    start.close();
    await start.until(() => start.ended);
    const conversationId = await opens('16505550103');
    await app.inject({ method: 'POST', url: `/v1/conversations/${conversationId}/resolve`, headers: { authorization } });
    await write('16505550101', 'still there?');
    const head = (await workspaceEvents(fx.db, workspaceId, 0, 1000)).at(-1)!.seq;

    const resumed = await SseClient.open(port, { authorization, 'last-event-id': lastId });
    await resumed.until(() => Number(resumed.lastId()) === head);
    const expected = (await workspaceEvents(fx.db, workspaceId, 0, 1000)).map((e) => e.seq);
    assert.deepEqual([...seqs(start), ...seqs(resumed)], expected, 'no gap, no duplicate');
    // Events written while the resumed stream is live join it after the caught-up ones.
    await write('16505550102', 'and now');
    const next = (await workspaceEvents(fx.db, workspaceId, head, 10)).map((e) => e.seq);
    await resumed.until(() => resumed.events.length >= expected.length - start.events.length + next.length);
    assert.deepEqual(seqs(resumed).slice(-next.length), next);
    resumed.close();

    const byQuery = await SseClient.open(port, { authorization }, `/v1/stream?after=${lastId}`);
    await byQuery.until(() => Number(byQuery.lastId()) === next.at(-1));
    assert.deepEqual(seqs(byQuery), expected.filter((s) => s > Number(lastId)).concat(next));
    byQuery.close();
  });

  it('an agent sees only their teams\' conversations, also when one moves to another team; a key sees everything', async () => {
    const { ctx, app, port, authorization, workspaceId, write, opens } = await setUp(fx);
    const team = async (name: string) => (await app.inject({ method: 'POST', url: '/v1/teams', headers: { authorization }, payload: { name } })).json().id as string;
    const [teamA, teamB] = [await team('Sales'), await team('Support')];
    const agent = async (teams: string[]) => {
      const user = await makeUser(ctx, workspaceId, 'agent');
      const res = await app.inject({ method: 'PATCH', url: `/v1/users/${user.id}`, headers: { authorization }, payload: { teams } });
      assert.equal(res.statusCode, 200, res.body);
      return (await signIn(app, user.email)).cookie;
    };
    const [agentA, agentB] = [await agent([teamA]), await agent([teamB])];
    const streamA = await SseClient.open(port, { cookie: agentA });
    const streamB = await SseClient.open(port, { cookie: agentB });
    const streamKey = await SseClient.open(port, { authorization });
    assert.equal(streamA.response.statusCode, 200);

    const transfer = (id: string, teamId: string) => app.inject({ method: 'POST', url: `/v1/conversations/${id}/transfer`, headers: { authorization }, payload: { teamId } });
    const forA = await opens('16505550201');
    const forB = await opens('16505550202');
    const moving = await opens('16505550203');
    await opens('16505550204'); // stays without a team
    assert.equal((await transfer(forA, teamA)).statusCode, 200);
    assert.equal((await transfer(forB, teamB)).statusCode, 200);
    assert.equal((await transfer(moving, teamA)).statusCode, 200);
    await write('16505550203', 'for team A');
    assert.equal((await transfer(moving, teamB)).statusCode, 200);
    await write('16505550203', 'for team B now');
    // Last, one event each stream is waiting for.
    await write('16505550201', 'last for A');
    await write('16505550202', 'last for B');
    const all = await workspaceEvents(fx.db, workspaceId, 0, 1000);
    const lastOf = (teamId: string) => all.filter((e) => e.teamId === teamId).at(-1)!.seq;
    await streamA.until(() => Number(streamA.lastId()) === lastOf(teamA));
    await streamB.until(() => Number(streamB.lastId()) === lastOf(teamB));
    await streamKey.until(() => Number(streamKey.lastId()) === all.at(-1)!.seq);

    assert.deepEqual(seqs(streamA), all.filter((e) => e.teamId === teamA).map((e) => e.seq));
    assert.deepEqual(seqs(streamB), all.filter((e) => e.teamId === teamB).map((e) => e.seq));
    assert.deepEqual(seqs(streamKey), all.map((e) => e.seq));
    assert.ok(!streamA.events.some((e) => e.data.conversationId === forB), 'team B\'s conversation never reaches team A');
    assert.ok(!streamB.events.some((e) => e.data.conversationId === forA), 'team A\'s conversation never reaches team B');
    // The moved conversation: A saw it while it was A's; its transfer to B and what followed went to B only.
    const movedForA = streamA.events.filter((e) => e.data.conversationId === moving);
    assert.deepEqual(movedForA.map((e) => e.event), ['conversation.transferred', 'conversation.message_in']);
    assert.equal(movedForA[0]!.data.data.teamId, teamA);
    const movedForB = streamB.events.filter((e) => e.data.conversationId === moving);
    assert.deepEqual(movedForB.map((e) => e.event), ['conversation.transferred', 'conversation.message_in']);
    assert.equal(movedForB[0]!.data.data.fromTeamId, teamA);
    for (const s of [streamA, streamB, streamKey]) s.close();
  });

  it('refuses a Last-Event-ID that is not an event id (400), and a stream over the workspace\'s cap (429 with Retry-After)', async () => {
    const { port, authorization } = await setUp(fx, { streamMaxConnections: 2 });
    const bad = await SseClient.open(port, { authorization, 'last-event-id': 'yesterday' });
    assert.equal(bad.response.statusCode, 400);
    assert.equal(JSON.parse(await bad.body()).error.code, 'STREAM_CURSOR_INVALID');
    const open = [await SseClient.open(port, { authorization }), await SseClient.open(port, { authorization })];
    const over = await SseClient.open(port, { authorization });
    assert.equal(over.response.statusCode, 429);
    assert.equal(over.response.headers['retry-after'], '5');
    assert.equal(JSON.parse(await over.body()).error.code, 'STREAM_CONNECTIONS_EXHAUSTED');
    // A closed stream frees its place.
    open[0]!.close();
    await open[0]!.until(() => open[0]!.ended);
    let again = await SseClient.open(port, { authorization });
    for (let i = 0; again.response.statusCode === 429 && i < 50; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      again = await SseClient.open(port, { authorization });
    }
    assert.equal(again.response.statusCode, 200);
    again.close();
    open[1]!.close();
  });

  it('sees events written by another thread or process (no wake-up reaches this one: the shared read finds them)', async () => {
    const { port, authorization, workspaceId } = await setUp(fx);
    const elsewhere = webhookContext(fx);
    const otherApp = await fx.app(elsewhere);
    const stream = await SseClient.open(port, { authorization });
    // A second context has its own in-process signals, as the worker thread or `parley worker` does.
    const phoneNumberId = `1065${String(++senders).padStart(11, '0')}`;
    await insertSender(fx.db, elsewhere.keyring, { workspaceId, phoneNumberId });
    await customerWrites(otherApp, elsewhere, { from: '16505550301', phoneNumberId });
    await customerWrites(otherApp, elsewhere, { from: '16505550302', phoneNumberId });
    const all = await workspaceEvents(fx.db, workspaceId, 0, 1000);
    await stream.until(() => stream.events.length >= all.length);
    assert.deepEqual(seqs(stream), all.map((e) => e.seq));
    stream.close();
  });

  it('a principal who may not read conversations gets none of their events (a developer\'s stream carries template changes alone); without workspace.read there is no stream', async () => {
    const { port, workspaceId, ctx, app, authorization, write } = await setUp(fx);
    const developer = await makeUser(ctx, workspaceId, 'developer');
    const { cookie } = await signIn(app, developer.email);
    const theirs = await SseClient.open(port, { cookie });
    assert.equal(theirs.response.statusCode, 200);
    const admin = await SseClient.open(port, { authorization });
    await write('16505550401');
    await admin.until(() => admin.events.length >= 1);
    // A notice after the conversation's events: once it arrives, everything before it was passed over.
    const notice = await fx.db.transaction().execute((trx) => appendNotice(trx, workspaceId, { type: 'template.changed', permission: 'templates.read', data: { templateId: 'tpl_1', providerStatus: 'APPROVED', quality: null }, at: Date.now() }, Date.now()));
    await theirs.until(() => theirs.events.length >= 1);
    assert.deepEqual(theirs.events.map((e) => [Number(e.id), e.event]), [[notice.seq, 'template.changed']]);
    await admin.until(() => admin.events.some((e) => Number(e.id) === notice.seq));
    theirs.close();
    admin.close();
    const { key } = await createApiKey(fx.db, { workspaceId, name: 'templates only', scopes: ['templates:read'] });
    const refused = await SseClient.open(port, { authorization: `Bearer ${key}` });
    assert.equal(refused.response.statusCode, 403);
    const anonymous = await SseClient.open(port, {});
    assert.equal(anonymous.response.statusCode, 401);
  });
});
