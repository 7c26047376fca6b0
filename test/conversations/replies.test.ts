import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { ManualClock, insertSender, webhookContext } from '../webhooks/helpers.js';
import { makeUser, signIn } from '../people/helpers.js';
import { liveTemplate } from '../templates/harness/seed.js';
import { waitFor } from '../outbound/fake-provider.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { Dispatcher } from '../../src/outbound/dispatch/dispatcher.js';
import { GATES } from '../../src/main/modules.js';
import { changeConversation } from '../../src/conversations/transitions.js';
import { HOUR } from '../../src/shared/time.js';
import type { ParleyApp } from '../../src/http/types.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import type { TemplateComponent } from '../../src/template-text/template-shape.js';
import { customerWrites, type Auth } from './helpers.js';

const orderReady = (lead: string): TemplateComponent[] => [{ type: 'BODY', text: `${lead} {{1}}, o pedido {{2}} está pronto.`, example: { body_text: [['Ana', 'A1']] } }];
/** A clock a millisecond further on at every reading. */
class TickingClock extends ManualClock {
  override now(): number {
    return this.time++;
  }
}

const json = (headers: Auth) => ({ ...headers, 'content-type': 'application/json' });

/** Every row of every table, as text: what a byte search of the database would find. */
async function everyRow(ctx: ParleyContext): Promise<string> {
  const tables = await ctx.db.introspection.getTables();
  const parts: string[] = [];
  for (const t of tables) parts.push(JSON.stringify(await ctx.db.selectFrom(t.name as 'messages').selectAll().execute()));
  return parts.join('\n');
}

describeStorage('Conversations: agent replies, notes, canned replies, labels', (fx) => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ seed: 11, config: { customers: [] } });
  });
  after(() => emulator.close());

  /**
   * A workspace with a sender, a team with two agents in it (and an agent in no team), and the
   * customer's open conversation routed to the team. Number 1 is the emulator's second number (the
   * only test that dispatches); the others are numbers of no provider.
   */
  async function scene(number: number, clock = new ManualClock()) {
    const ctx = webhookContext(fx, {}, clock);
    const app = await fx.app(ctx);
    const { authorization, workspaceId } = await fx.workspace();
    const key = { authorization };
    const phoneNumberId = number === 1 ? emulator.info.phoneNumberIds[1]! : `20654035224990${number}`;
    const senderId = await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId, wabaId: emulator.info.wabaId, baseUrl: emulator.info.url, accessToken: emulator.info.accessToken });
    const from = `55119876500${String(number).padStart(2, '0')}`;
    await customerWrites(app, ctx, { from, phoneNumberId });
    const [conversation] = (await app.inject({ url: '/v1/conversations', headers: key })).json().data;
    const team = (await app.inject({ method: 'POST', url: '/v1/teams', headers: key, payload: { name: `Support ${number}` } })).json();
    const agent = await makeUser(ctx, workspaceId, 'agent');
    const colleague = await makeUser(ctx, workspaceId, 'agent');
    const outsider = await makeUser(ctx, workspaceId, 'agent');
    for (const u of [agent, colleague]) assert.equal((await app.inject({ method: 'PATCH', url: `/v1/users/${u.id}`, headers: key, payload: { teams: [team.id] } })).statusCode, 200);
    assert.equal((await app.inject({ method: 'POST', url: `/v1/conversations/${conversation.id}/transfer`, headers: key, payload: { teamId: team.id } })).statusCode, 200);
    const session = async (email: string) => {
      const s = await signIn(app, email);
      return { cookie: s.cookie, 'x-csrf-token': s.csrfToken };
    };
    return { clock, ctx, app, key, workspaceId, senderId, from, phoneNumberId, id: conversation.id as string, contactId: conversation.contactId as string, agent, colleague, outsider, asAgent: await session(agent.email), asColleague: await session(colleague.email), session };
  }

  const reply = (app: ParleyApp, id: string, headers: Auth, payload: unknown, extra: Auth = {}) => app.inject({ method: 'POST', url: `/v1/conversations/${id}/messages`, headers: { ...json(headers), ...extra }, payload: JSON.stringify(payload) });
  const text = (body: string) => ({ type: 'text', text: { body } });
  const events = async (app: ParleyApp, id: string, key: Auth) => (await app.inject({ url: `/v1/conversations/${id}/events`, headers: key })).json().data as Array<{ type: string; actor: string; data: Record<string, unknown> }>;

  it('a customer writes, an agent takes the conversation and replies inside the window (sent to the provider once), the customer answers, it is resolved; 25 hours later free text is refused with the templates for the contact\'s language and a template goes', async () => {
    const s = await scene(1);
    const { app, key, id } = s;
    await liveTemplate(s.ctx, s.workspaceId, { wabaId: emulator.info.wabaId, name: 'order_ready', language: 'pt_BR', components: orderReady('Olá') });
    await liveTemplate(s.ctx, s.workspaceId, { wabaId: emulator.info.wabaId, name: 'order_ready', language: 'en_US', components: [{ type: 'BODY', text: 'Hi {{1}}, order {{2}} is ready.', example: { body_text: [['Ana', 'A1']] } }] });
    await liveTemplate(s.ctx, s.workspaceId, { wabaId: emulator.info.wabaId, name: 'paused_one', language: 'pt_BR', components: orderReady('Oi') }, 'PAUSED');
    assert.equal((await app.inject({ method: 'PATCH', url: `/v1/contacts/${s.contactId}`, headers: key, payload: { language: 'pt_BR' } })).statusCode, 200);

    const windowOf = async () => {
      const res = await app.inject({ url: `/v1/conversations/${id}/window`, headers: s.asAgent });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    };
    const opened = await windowOf();
    assert.deepEqual([opened.boundByWindow, opened.open, opened.language], [true, true, 'pt-BR'], 'the customer just wrote: free text may go');
    assert.equal(Date.parse(opened.closesAt) - Date.parse(opened.lastInboundAt), 24 * HOUR);
    assert.deepEqual(opened.templates.map((t: { name: string; language: string }) => [t.name, t.language]), [['order_ready', 'pt_BR']], 'the templates are offered while it is open too');

    const early = await reply(app, id, s.asAgent, text('Hello!'));
    assert.equal(early.statusCode, 409);
    assert.equal(early.json().error.code, 'CONVERSATION_NOT_YOURS', 'nobody owns it yet: take it first');
    assert.equal((await app.inject({ method: 'POST', url: `/v1/conversations/${id}/take`, headers: json(s.asAgent), payload: '{}' })).statusCode, 200);
    const other = await reply(app, id, s.asColleague, text('Me too'));
    assert.equal(other.json().error.code, 'CONVERSATION_NOT_YOURS');
    assert.equal(other.json().error.details.ownerUserId, s.agent.id);

    s.clock.advance(30_000);
    const statsBefore = emulator.core.state.stats.cloudSendsAccepted;
    const first = await reply(app, id, s.asAgent, text('Olá! Como posso ajudar?'), { 'idempotency-key': 'reply-1' });
    assert.equal(first.statusCode, 202, first.body);
    const answered = first.json();
    assert.ok(answered.conversation.firstResponseAt, 'a person\'s reply is the first response');
    assert.equal(answered.conversation.waitingSince, null);
    assert.deepEqual(answered.events.map((e: { type: string; data: Record<string, unknown> }) => [e.type, e.data.messageId, e.data.human]), [['conversation.message_out', answered.messageId, true]]);
    const again = await reply(app, id, s.asAgent, text('Olá! Como posso ajudar?'), { 'idempotency-key': 'reply-1' });
    assert.equal(again.statusCode, 202);
    assert.deepEqual([again.json().messageId, again.json().replayed], [answered.messageId, true]);
    assert.equal((await events(app, id, key)).filter((e) => e.type === 'conversation.message_out').length, 1, 'a replayed reply is recorded once');
    const message = (await app.inject({ url: `/v1/messages/${answered.messageId}`, headers: key })).json();
    assert.deepEqual([message.lane, message.metadata.conversationId, message.metadata.author], ['conversation', id, `user:${s.agent.id}`]);

    // The dispatcher sends it to the emulator's Cloud API.
    await s.ctx.db.updateTable('senders').set({ status: 'disabled' }).where('id', '!=', s.senderId).execute();
    const dispatcher = new Dispatcher(s.ctx, { gates: GATES });
    dispatcher.start();
    try {
      await waitFor(async () => (await s.ctx.db.selectFrom('messages').select('status').where('id', '=', answered.messageId).executeTakeFirstOrThrow()).status !== 'queued', 15_000, 'the reply left the outbox');
    } finally {
      await dispatcher.stop();
    }
    assert.equal((await s.ctx.db.selectFrom('messages').select('status').where('id', '=', answered.messageId).executeTakeFirstOrThrow()).status, 'accepted');
    assert.equal(emulator.core.state.stats.cloudSendsAccepted - statsBefore, 1, 'the provider got the reply once');

    s.clock.advance(60_000);
    await customerWrites(app, s.ctx, { from: s.from, phoneNumberId: s.phoneNumberId, text: 'Onde está meu pedido?' });
    const waiting = (await app.inject({ url: `/v1/conversations/${id}`, headers: key })).json();
    assert.ok(waiting.waitingSince, 'the customer\'s answer waits for a reply');
    const timeline = (await app.inject({ url: `/v1/conversations/${id}/messages`, headers: s.asAgent })).json().data;
    assert.deepEqual(timeline.map((m: { direction: string }) => m.direction), ['inbound', 'outbound', 'inbound']);
    assert.deepEqual([timeline[1].author, timeline[1].content.payload.body], [`user:${s.agent.id}`, 'Olá! Como posso ajudar?']);
    assert.equal(timeline[2].content.text, 'Onde está meu pedido?');
    assert.deepEqual(timeline.map((m: { error: unknown }) => m.error), [null, null, null], 'no message failed');
    const resolved = await app.inject({ method: 'POST', url: `/v1/conversations/${id}/resolve`, headers: json(s.asAgent), payload: '{}' });
    assert.equal(resolved.json().conversation.state, 'resolved');

    s.clock.advance(25 * HOUR);
    // A day later the agent signs in again (sessions expire).
    s.asAgent = await s.session(s.agent.email);
    assert.equal((await app.inject({ method: 'POST', url: `/v1/conversations/${id}/reopen`, headers: json(s.asAgent), payload: '{}' })).statusCode, 200);
    assert.equal((await app.inject({ method: 'POST', url: `/v1/conversations/${id}/take`, headers: json(s.asAgent), payload: '{}' })).statusCode, 200);
    const lastInbound = Date.parse(waiting.lastInboundAt);
    const refused = await reply(app, id, s.asAgent, text('Ainda está aí?'));
    assert.equal(refused.statusCode, 422, refused.body);
    const error = refused.json().error;
    assert.equal(error.code, 'CONVERSATION_WINDOW_CLOSED');
    assert.equal(error.details.windowClosedAt, new Date(lastInbound + 24 * HOUR).toISOString());
    assert.equal(error.details.language, 'pt-BR', 'the contact\'s language as the contact records it');
    assert.deepEqual(error.details.templates.map(({ id: _id, components: _c, ...t }: Record<string, unknown>) => t), [
      { name: 'order_ready', language: 'pt_BR', category: 'UTILITY', body: 'Olá {{1}}, o pedido {{2}} está pronto.', parameters: [{ component: 'body', name: '1', example: 'Ana' }, { component: 'body', name: '2', example: 'A1' }] },
    ], 'the contact\'s language only, the paused template left out');
    assert.deepEqual(error.details.templates[0].components, orderReady('Olá'), 'with the live version\'s components, to show it as the customer will');
    const template = (await app.inject({ url: `/v1/templates/${error.details.templates[0].id}`, headers: s.asAgent })).json().template;
    assert.deepEqual([template.name, template.language], ['order_ready', 'pt_BR'], 'and its id');
    const closed = await windowOf();
    assert.deepEqual([closed.open, closed.closesAt], [false, error.details.windowClosedAt], 'the window reads closed before a reply is tried');
    assert.deepEqual(closed.templates, error.details.templates);
    const queuedBefore = await s.ctx.db.selectFrom('messages').select('id').where('contact_id', '=', s.contactId).where('direction', '=', 'outbound').execute();
    assert.equal(queuedBefore.length, 1, 'nothing was stored for the refused reply');

    const paused = await reply(app, id, s.asAgent, { type: 'template', template: { name: 'paused_one', language: { code: 'pt_BR' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Sheena' }, { type: 'text', text: 'A9' }] }] } });
    assert.equal(paused.statusCode, 422, paused.body);
    assert.deepEqual([paused.json().error.code, paused.json().error.details.code], ['MESSAGE_REFUSED', 'template_paused'], 'a gate\'s refusal names the gate\'s code');
    const templated = await reply(app, id, s.asAgent, { type: 'template', template: { name: 'order_ready', language: { code: 'pt_BR' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Sheena' }, { type: 'text', text: 'A9' }] }] } });
    assert.equal(templated.statusCode, 202, templated.body);
    assert.equal(templated.json().conversation.firstResponseAt !== null, true);
    const history = await events(app, id, key);
    assert.deepEqual(history.filter((e) => e.type === 'conversation.message_out').map((e) => e.data.messageId), [answered.messageId, templated.json().messageId]);
  });

  it('private notes are sealed at rest and never in the history; mentions must be able to see the conversation; labels filter the list; canned replies fill their variables', async () => {
    const s = await scene(2);
    const { app, key, id } = s;
    assert.equal((await app.inject({ method: 'POST', url: `/v1/conversations/${id}/take`, headers: json(s.asAgent), payload: '{}' })).statusCode, 200);

    const secret = 'customer-vip-note-7f3a9c';
    const outsider = await app.inject({ method: 'POST', url: `/v1/conversations/${id}/notes`, headers: json(s.asAgent), payload: JSON.stringify({ text: secret, mentions: [s.outsider.id] }) });
    assert.equal(outsider.statusCode, 400);
    assert.deepEqual([outsider.json().error.code, outsider.json().error.details.userIds], ['CONVERSATION_MENTION_INVALID', [s.outsider.id]], 'an agent of no team cannot see it');
    const noted = await app.inject({ method: 'POST', url: `/v1/conversations/${id}/notes`, headers: json(s.asAgent), payload: JSON.stringify({ text: `VIP: ${secret}`, mentions: [s.colleague.id] }) });
    assert.equal(noted.statusCode, 201, noted.body);
    const note = noted.json().note;
    assert.deepEqual(noted.json().events.map((e: { type: string; data: Record<string, unknown> }) => [e.type, e.data]), [['conversation.note', { noteId: note.id }], ['conversation.mentioned', { noteId: note.id, userIds: [s.colleague.id] }]]);
    const read = (await app.inject({ url: `/v1/conversations/${id}/notes`, headers: s.asColleague })).json().data;
    assert.deepEqual(read.map((n: { text: string; author: string }) => [n.text, n.author]), [[`VIP: ${secret}`, `user:${s.agent.id}`]]);
    assert.equal((await everyRow(s.ctx)).includes(secret), false, 'the note\'s text is nowhere in the database in clear');
    assert.equal((await s.ctx.db.selectFrom('messages').select('id').where('contact_id', '=', s.contactId).where('direction', '=', 'outbound').execute()).length, 0, 'a note is not a message');

    const labeled = await app.inject({ method: 'PUT', url: `/v1/conversations/${id}/labels`, headers: json(s.asAgent), payload: JSON.stringify({ labels: ['vip', 'billing', 'vip'] }) });
    assert.deepEqual(labeled.json().labels, ['billing', 'vip']);
    assert.deepEqual(labeled.json().events[0].data, { labels: ['billing', 'vip'], added: ['billing', 'vip'], removed: [] });
    const byLabel = async (label: string) => (await app.inject({ url: `/v1/conversations?label=${label}`, headers: key })).json().data.map((c: { id: string }) => c.id);
    assert.deepEqual(await byLabel('vip'), [id]);
    assert.deepEqual(await byLabel('sales'), []);
    const same = await app.inject({ method: 'PUT', url: `/v1/conversations/${id}/labels`, headers: json(s.asAgent), payload: JSON.stringify({ labels: ['billing', 'vip'] }) });
    assert.deepEqual(same.json().events, [], 'the same labels record nothing');

    const created = await app.inject({ method: 'POST', url: '/v1/canned-replies', headers: key, payload: { shortcut: 'order-status', text: 'Olá {{contact.name}}, aqui é {{agent.name}}: o pedido {{order.id}} saiu.' } });
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual(created.json().variables, ['contact.name', 'agent.name', 'order.id']);
    assert.equal((await app.inject({ method: 'POST', url: '/v1/canned-replies', headers: key, payload: { shortcut: 'order-status', text: 'x' } })).json().error.code, 'CANNED_REPLY_EXISTS');
    assert.equal((await app.inject({ method: 'POST', url: '/v1/canned-replies', headers: json(s.asAgent), payload: JSON.stringify({ shortcut: 'mine', text: 'x' }) })).statusCode, 403, 'agents use canned replies, supervisors write them');
    assert.equal((await app.inject({ method: 'POST', url: '/v1/canned-replies', headers: key, payload: { shortcut: 'bad', text: 'Hi {{Contact Name}}' } })).json().error.code, 'CANNED_REPLY_INVALID');
    assert.deepEqual((await app.inject({ url: '/v1/canned-replies?prefix=order', headers: s.asAgent })).json().data.map((c: { shortcut: string }) => c.shortcut), ['order-status']);

    const missing = await reply(app, id, s.asAgent, { canned: 'order-status' });
    assert.equal(missing.statusCode, 422);
    assert.deepEqual([missing.json().error.code, missing.json().error.details.variables], ['CANNED_REPLY_VARIABLE_MISSING', ['order.id']]);
    assert.equal((await reply(app, id, s.asAgent, { canned: 'order-status', type: 'text', text: { body: 'x' } })).json().error.code, 'CONVERSATION_REPLY_INVALID');
    assert.equal((await reply(app, id, s.asAgent, { canned: 'no-such' })).json().error.code, 'CANNED_REPLY_NOT_FOUND');
    const sent = await reply(app, id, s.asAgent, { canned: 'order-status', variables: { 'order.id': 'A9' } });
    assert.equal(sent.statusCode, 202, sent.body);
    const message = (await app.inject({ url: `/v1/messages/${sent.json().messageId}`, headers: key })).json();
    assert.deepEqual(message.content.payload, { body: 'Olá Sheena Nelson, aqui é A agent: o pedido A9 saiu.' });
  });

  it('while the bot owns the conversation no person replies, not even an admin; taken over, they do; another team\'s conversation is not found', async () => {
    const s = await scene(3);
    const { app, key, id } = s;
    await changeConversation(s.ctx, { workspaceId: s.workspaceId, conversationId: id, command: { type: 'bot_take' }, actor: 'bot' });
    const admin = await s.session((await makeUser(s.ctx, s.workspaceId, 'admin')).email);
    const refused = await reply(app, id, admin, text('I am here'));
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().error.code, 'CONVERSATION_BOT_OWNED');
    assert.equal((await reply(app, id, s.asAgent, text('Hi'))).json().error.code, 'CONVERSATION_BOT_OWNED');
    assert.equal((await app.inject({ method: 'POST', url: `/v1/conversations/${id}/take`, headers: json(admin), payload: JSON.stringify({ takeOver: true }) })).statusCode, 200);
    const taken = await reply(app, id, admin, text('I am here'));
    assert.equal(taken.statusCode, 202, taken.body);

    const byKey = await reply(app, id, key, text('An update from our system'));
    assert.equal(byKey.statusCode, 202, 'an API key replies whoever owns it');
    assert.equal(byKey.json().events[0].data.human, false, 'and its reply is not a person\'s');

    const stranger = await s.session(s.outsider.email);
    assert.equal((await reply(app, id, stranger, text('Hi'))).statusCode, 404);
    assert.equal((await app.inject({ url: `/v1/conversations/${id}/messages`, headers: stranger })).statusCode, 404);
    assert.equal((await app.inject({ method: 'PUT', url: `/v1/conversations/${id}/labels`, headers: json(stranger), payload: JSON.stringify({ labels: ['x'] }) })).statusCode, 404);
  });
  it('the timeline of an ended conversation stops at its last change: the customer message that starts the next one is only in the next one', async () => {
    // Time moves on by itself as in production: the message is stored a moment before the
    // conversations module, reacting after the commit, ends the old conversation.
    const s = await scene(4, new TickingClock());
    const { app, key, id } = s;
    s.clock.advance(60_000);
    await customerWrites(app, s.ctx, { from: s.from, phoneNumberId: s.phoneNumberId, text: 'second' });
    assert.equal((await app.inject({ method: 'POST', url: `/v1/conversations/${id}/resolve`, headers: key })).statusCode, 200);
    s.clock.advance(49 * HOUR);
    await customerWrites(app, s.ctx, { from: s.from, phoneNumberId: s.phoneNumberId, text: 'a new matter' });
    const next = (await app.inject({ url: `/v1/conversations?contactId=${s.contactId}`, headers: key })).json().data.find((c: { current: boolean }) => c.current);
    assert.notEqual(next.id, id);
    const texts = async (conversationId: string) => (await app.inject({ url: `/v1/conversations/${conversationId}/messages`, headers: key })).json().data.map((m: { content: { text: string } }) => m.content.text);
    assert.deepEqual(await texts(id), ['Hello, I need help', 'second']);
    assert.deepEqual(await texts(next.id), ['a new matter']);
  });
});
