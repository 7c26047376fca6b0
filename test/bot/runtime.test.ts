import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { describeStorage, type StorageFixture } from '../harness/storage.js';
import { ManualClock, captureDomainEvents, fixture, insertSender, postCloud, processAll, webhookContext, withMessageId } from '../webhooks/helpers.js';
import { makeUser, signIn } from '../people/helpers.js';
import { customerWrites } from '../conversations/helpers.js';
import { DOMAIN_EVENT_HANDLERS } from '../../src/main/modules.js';
import { emitDomainEvent } from '../../src/domain-events/bus.js';
import type { DomainEvent } from '../../src/domain-events/events.js';
import { sendManyIntoConversation } from '../../src/outbound/send-into-conversation.js';
import { getConversation } from '../../src/conversations/conversation-store.js';
import { onInbound } from '../../src/conversations/on-inbound.js';
import { decryptContent } from '../../src/messages/read-message.js';
import { respondAsBot } from '../../src/bot/bot-runner.js';
import { BOT_STALE_MS, finishStalledRuns } from '../../src/bot/bot-sweep.js';
import { getVersion } from '../../src/bot/flow-store.js';
import { botFacts, customerInput } from '../../src/bot/facts.js';
import { findRun, lockRun, saveRun, withSeen } from '../../src/bot/session-store.js';
import { advance } from '../../src/bot/run-steps.js';

const ports = { sendMany: sendManyIntoConversation };
const DAY = 86_400_000;

/** A support flow: a menu (buttons) to give an order number, look something up (a business webhook nobody answers), or talk to someone. */
const supportFlow = (over: { greeting?: string; prompt?: string; handoff?: Record<string, unknown> } = {}) => ({
  name: 'support',
  defaultLanguage: 'en',
  start: 'menu',
  nodes: {
    menu: {
      type: 'menu',
      text: over.greeting ?? 'Hi! How can we help?',
      options: [
        { id: 'order', title: 'Order number', next: 'ask_order' },
        { id: 'check', title: 'Check status', next: 'lookup' },
        { id: 'agent', title: 'Talk to someone', next: 'to_agent' },
      ],
    },
    ask_order: { type: 'collect', field: 'order', prompt: over.prompt ?? 'What is your order number?', validator: { kind: 'regex', pattern: '^[0-9]{4,12}$' }, next: 'tell' },
    tell: { type: 'send', message: { text: 'Order {{vars.order}} noted.' }, next: 'more' },
    more: { type: 'menu', text: 'Anything else?', options: [{ id: 'agent', title: 'Talk to someone', next: 'to_agent' }, { id: 'done', title: 'No, thanks', next: 'bye' }] },
    // Port 9 (discard) refuses at once: the call fails fast and takes the error branch.
    lookup: { type: 'webhook', url: 'http://127.0.0.1:9/status', body: { q: 'status' }, timeoutMs: 300, retries: 0, map: { status: 'status' }, next: 'bye', onError: 'sorry' },
    sorry: { type: 'send', message: { text: 'We cannot look that up right now.' }, next: 'bye' },
    to_agent: { type: 'handoff', reason: 'the customer chose to talk to someone', message: { text: 'Connecting you with a person.' } },
    bye: { type: 'resolve', message: { text: 'Goodbye!' } },
  },
  handoff: { vipTags: ['vip'], ...over.handoff },
});

/** A customer taps a reply button (`button_reply`), by signed Cloud API webhook, and the processor runs. */
async function customerTaps(s: Scene, from: string, id: string, title: string) {
  const wamid = `wamid.tap.${randomBytes(6).toString('hex')}`;
  const payload = JSON.parse(withMessageId(fixture('cloud-interactive-list-reply.json'), wamid));
  const value = payload.entry[0].changes[0].value;
  value.contacts[0].wa_id = from;
  value.metadata.phone_number_id = s.phoneNumberId;
  const message = value.messages[0];
  message.from = from;
  message.timestamp = String(Math.floor(s.ctx.clock.now() / 1000));
  message.interactive = { type: 'button_reply', button_reply: { id, title } };
  const res = await postCloud(s.app, JSON.stringify(payload));
  assert.equal(res.statusCode, 200, res.body);
  await processAll(s.ctx);
}

type Scene = Awaited<ReturnType<typeof scene>>;

/** A workspace with a sender, a team routed to, and a published flow assigned to the sender. */
async function scene(fx: StorageFixture, definition: object = supportFlow()) {
  const clock = new ManualClock();
  const ctx = webhookContext(fx, { botWebhooksAllowPrivateTargets: true }, clock);
  const app = await fx.app(ctx);
  const { authorization, workspaceId } = await fx.workspace();
  const key = { authorization };
  const phoneNumberId = `1077${randomInt(10_000_000, 99_999_999)}`;
  const senderId = await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId });
  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = key) =>
    app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const ok = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = key) => {
    const res = await call(method, url, payload, headers);
    assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.statusCode === 204 ? null : res.json();
  };
  const team = await ok('POST', '/v1/teams', { name: `Support ${phoneNumberId}` });
  await ok('PUT', `/v1/assignment-policies/sender/${senderId}`, { teamId: team.id });
  await ok('PUT', `/v1/assignment-policies/team/${team.id}`, { mode: 'manual' });
  const flow = await ok('POST', '/v1/flows', { definition });
  await ok('POST', `/v1/flows/${flow.id}/publish`, {});
  await ok('PUT', `/v1/flows/${flow.id}/assignments`, { senderId });
  let customers = 0;
  const s = {
    fx, clock, ctx, app, key, workspaceId, senderId, phoneNumberId, teamId: team.id as string, flowId: flow.id as string, call, ok,
    /** A new customer's number. */
    newCustomer: () => `1650${randomInt(1_000_000, 9_999_999)}${customers++}`,
    async writes(from: string, text: string) {
      clock.advance(1000);
      return customerWrites(app, ctx, { from, text, phoneNumberId });
    },
    async taps(from: string, id: string, title = id) {
      clock.advance(1000);
      await customerTaps(s, from, id, title);
    },
    /** The contact and its current conversation, by the customer's number (its last inbound message). */
    async conversationOf(from: string) {
      const rows = await fx.db.selectFrom('messages').select(['contact_id', 'content']).where('workspace_id', '=', workspaceId).where('sender_id', '=', senderId).where('direction', '=', 'inbound').orderBy('created_at', 'desc').execute();
      for (const row of rows) {
        const contactId = row.contact_id!;
        const contact = await fx.db.selectFrom('conversations').select(['id', 'contact_id']).where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).orderBy('created_at', 'desc').executeTakeFirst();
        const res = await call('GET', `/v1/contacts/${contactId}`);
        if (res.json().waId === from || res.json().phone === `+${from}`) return { contactId, conversation: (await getConversation(fx.db, workspaceId, contact!.id))! };
      }
      throw new Error(`no conversation of ${from}`);
    },
    /** What the bot sent into a conversation (every message accepted as the bot's), in the order the conversation recorded them, as JSON of the content. */
    async botSaid(conversationId: string): Promise<string[]> {
      const rows = await fx.db.selectFrom('messages').select(['id', 'content', 'metadata', 'created_at']).where('workspace_id', '=', workspaceId).where('direction', '=', 'outbound').execute();
      const mine = rows.filter((r) => {
        const m = JSON.parse(r.metadata ?? '{}') as { conversationId?: string; author?: string };
        return m.conversationId === conversationId && m.author === 'bot';
      });
      // Sends of one step share a millisecond: the conversation's event sequence orders them.
      const recorded = await fx.db.selectFrom('conversation_events').select(['seq', 'cause']).where('conversation_id', '=', conversationId).where('type', '=', 'conversation.message_out').execute();
      const seq = new Map(recorded.map((e) => [e.cause, Number(e.seq)]));
      mine.sort((a, b) => (seq.get(a.id) ?? Infinity) - (seq.get(b.id) ?? Infinity) || Number(a.created_at) - Number(b.created_at));
      return Promise.all(mine.map(async (r) => JSON.stringify(await decryptContent(ctx.keyring, workspaceId, r.content))));
    },
    async runs(conversationId: string) {
      return fx.db.selectFrom('bot_sessions').selectAll().where('conversation_id', '=', conversationId).orderBy('cycle').execute();
    },
    async events(conversationId: string): Promise<Array<{ type: string; reason: string | null; actor: string; data: Record<string, unknown> }>> {
      return (await ok('GET', `/v1/conversations/${conversationId}/events`)).data;
    },
  };
  return s;
}

/**
 * The customer answers: the conversations module records the message and the bot steps its run and
 * stores the step's effects, as the runner does, then the process stops before carrying anything out.
 */
async function answeredButNotCarriedOut(s: Scene, from: string, text: string) {
  const handlers = DOMAIN_EVENT_HANDLERS as Record<string, unknown[] | undefined>;
  const kept = handlers['message.inbound'];
  handlers['message.inbound'] = [];
  const captured = captureDomainEvents(['message.inbound']);
  try {
    await s.writes(from, text);
  } finally {
    captured.stop();
    handlers['message.inbound'] = kept;
  }
  const event = captured.events[0] as Extract<DomainEvent, { type: 'message.inbound' }>;
  assert.ok(event, 'the answer was published');
  await onInbound([])(s.ctx, event);
  const { conversation } = await s.conversationOf(from);
  const run = (await s.runs(conversation.id))[0]!;
  const flow = (await getVersion(s.fx.db, s.workspaceId, s.flowId, Number(run.flow_version)))!;
  const facts = (await botFacts(s.ctx, s.workspaceId, conversation.contactId, s.clock.now()))!;
  const input = await customerInput(s.ctx, event);
  await s.fx.db.transaction().execute(async (trx) => {
    const locked = (await lockRun(trx, s.ctx.keyring, s.fx.store.dialect, conversation.id, conversation.cycle))!;
    const next = advance(flow, locked, input, facts);
    await saveRun(trx, s.ctx.keyring, { ...next, state: withSeen(next.state, event.messageId) }, s.clock.now());
  });
}

const around = () => `from=${new Date(Date.now() - DAY).toISOString().slice(0, 10)}&to=${new Date(Date.now() + DAY).toISOString().slice(0, 10)}`;

describeStorage('The bot answering customers', (fx) => {
  it('a customer message handled twice (the after-commit handlers run again, or the bot reacts again) is answered once and steps the run once', async () => {
    const s = await scene(fx);
    const from = s.newCustomer();
    await s.writes(from, 'hello');
    const { conversation } = await s.conversationOf(from);
    assert.equal(conversation.owner.type, 'bot');
    assert.equal((await s.botSaid(conversation.id)).length, 1, 'the menu');

    const captured = captureDomainEvents(['message.inbound']);
    try {
      await s.taps(from, 'order');
    } finally {
      captured.stop();
    }
    const said = await s.botSaid(conversation.id);
    assert.equal(said.length, 2);
    assert.match(said[1]!, /order number/);
    const [run] = await s.runs(conversation.id);
    const event = captured.events.find((e): e is Extract<DomainEvent, { type: 'message.inbound' }> => e.type === 'message.inbound')!;
    assert.ok(event, 'the tap was published');

    // The queue is at least once: every after-commit handler of the message runs again.
    await emitDomainEvent(s.ctx, DOMAIN_EVENT_HANDLERS, event);
    // And the bot's own reaction runs again with the same message (as if the conversations module had recorded it anew).
    const now = (await getConversation(fx.db, s.workspaceId, conversation.id))!;
    await respondAsBot(ports)(s.ctx, { conversation: now, events: [{ type: 'conversation.message_in' } as never] }, event);
    await finishStalledRuns(s.ctx, ports);

    assert.equal((await s.botSaid(conversation.id)).length, 2, 'no second answer');
    const [again] = await s.runs(conversation.id);
    assert.equal(Number(again!.steps), Number(run!.steps), 'the run stepped once');
  });

  it('effects stored with a step but never carried out (a crash) are finished by the sweep once stale, not before, and only once', async () => {
    const s = await scene(fx);
    const from = s.newCustomer();
    await s.writes(from, 'hello');
    await s.taps(from, 'order');
    const { conversation } = await s.conversationOf(from);
    assert.equal((await s.botSaid(conversation.id)).length, 2);

    await answeredButNotCarriedOut(s, from, '8675309');
    const [stored] = await s.runs(conversation.id);
    assert.ok(stored!.pending, 'the effects wait');
    assert.ok(!stored!.pending.includes('8675309') && !stored!.state.includes('8675309'), 'the answer is sealed in the run');

    assert.equal(await finishStalledRuns(s.ctx, ports), 0, 'a fresh step is not the sweep\'s');
    assert.equal((await s.botSaid(conversation.id)).length, 2);

    s.clock.advance(BOT_STALE_MS + 1);
    assert.equal(await finishStalledRuns(s.ctx, ports), 1);
    const said = await s.botSaid(conversation.id);
    assert.equal(said.length, 4, said.join('\n'));
    assert.match(said[2]!, /Order 8675309 noted/);
    assert.match(said[3]!, /Anything else/);
    assert.equal((await s.runs(conversation.id))[0]!.pending, null);

    s.clock.advance(BOT_STALE_MS + 1);
    assert.equal(await finishStalledRuns(s.ctx, ports), 0, 'nothing is left');
    assert.equal((await s.botSaid(conversation.id)).length, 4);
  });

  it('a conversation in progress on version 1 stays on it after version 2 is published; a new conversation gets version 2', async () => {
    const s = await scene(fx, supportFlow({ greeting: 'Hello from v1', prompt: 'Order number please (v1)' }));
    const first = s.newCustomer();
    await s.writes(first, 'hello');
    const a = (await s.conversationOf(first)).conversation;
    assert.match((await s.botSaid(a.id))[0]!, /Hello from v1/);

    await s.ok('PUT', `/v1/flows/${s.flowId}`, { definition: supportFlow({ greeting: 'Hello from v2', prompt: 'Order number please (v2)' }) });
    assert.equal((await s.ok('POST', `/v1/flows/${s.flowId}/publish`, {})).version, 2);

    await s.taps(first, 'order');
    assert.match((await s.botSaid(a.id))[1]!, /\(v1\)/, 'the run keeps its version');
    const second = s.newCustomer();
    await s.writes(second, 'hello');
    const b = (await s.conversationOf(second)).conversation;
    assert.match((await s.botSaid(b.id))[0]!, /Hello from v2/);
    assert.equal(Number((await s.runs(a.id))[0]!.flow_version), 1);
    assert.equal(Number((await s.runs(b.id))[0]!.flow_version), 2);
  });

  it('a contact with a VIP tag is handed to people at once: the bot says nothing and the conversation waits in the queue', async () => {
    const s = await scene(fx);
    const from = s.newCustomer();
    await s.ok('POST', '/v1/contacts', { waId: from, tags: ['vip'] });
    await s.writes(from, 'hello');
    const { conversation } = await s.conversationOf(from);
    assert.equal(conversation.owner.type, 'nobody');
    assert.equal(conversation.state, 'pending');
    assert.equal(conversation.teamId, s.teamId);
    assert.deepEqual(await s.botSaid(conversation.id), []);
    const handed = (await s.events(conversation.id)).find((e) => e.type === 'conversation.handed_off');
    assert.equal(handed?.reason, 'vip');
    const [run] = await s.runs(conversation.id);
    assert.deepEqual([run!.status, run!.handoff_reason], ['handed_off', 'vip']);
  });

  it('outside business hours the customer is told when someone answers, and the conversation waits for people', async () => {
    const s = await scene(fx, supportFlow({ handoff: { outsideBusinessHours: true, outsideHoursMessage: 'We are closed. Someone answers at {{opensAt}}.' } }));
    // Open only two days from now, 09:00 to 17:00 UTC: closed now.
    const opens = new Date(s.clock.now() + 2 * DAY);
    const weekday = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'][opens.getUTCDay()]!;
    await s.ok('PUT', '/v1/conversations/settings/business-hours', { timeZone: 'UTC', week: { [weekday]: [{ start: '09:00', end: '17:00' }] }, holidays: [] });
    const from = s.newCustomer();
    await s.writes(from, 'hello');
    const { conversation } = await s.conversationOf(from);
    const said = await s.botSaid(conversation.id);
    assert.equal(said.length, 1, said.join('\n'));
    assert.ok(said[0]!.includes(`Someone answers at ${opens.toISOString().slice(0, 10)} 09:00 (UTC)`), said[0]);
    assert.deepEqual([conversation.state, conversation.owner.type], ['pending', 'nobody']);
    assert.equal((await s.events(conversation.id)).find((e) => e.type === 'conversation.handed_off')?.reason, 'outside_business_hours');
  });

  it('an agent hands a conversation back to the bot, which starts its flow again; not another agent, not without a flow, not another workspace', async () => {
    const s = await scene(fx);
    const from = s.newCustomer();
    await s.writes(from, 'hello');
    await s.taps(from, 'agent');
    const { conversation } = await s.conversationOf(from);
    assert.equal(conversation.owner.type, 'nobody');
    const owner = await makeUser(s.ctx, s.workspaceId, 'agent');
    const other = await makeUser(s.ctx, s.workspaceId, 'agent');
    await s.ok('PATCH', `/v1/users/${owner.id}`, { teams: [s.teamId] });
    await s.ok('PATCH', `/v1/users/${other.id}`, { teams: [s.teamId] });
    const asOwner = await signIn(s.app, owner.email);
    const asOther = await signIn(s.app, other.email);
    const headers = (x: { cookie: string; csrfToken: string }) => ({ cookie: x.cookie, 'x-csrf-token': x.csrfToken });
    await s.ok('POST', `/v1/conversations/${conversation.id}/take`, {}, headers(asOwner));

    const notYours = await s.call('POST', `/v1/conversations/${conversation.id}/bot`, {}, headers(asOther));
    assert.equal(notYours.statusCode, 409, notYours.body);
    assert.equal(notYours.json().error.code, 'CONVERSATION_NOT_YOURS');

    const elsewhere = await fx.workspace();
    const foreign = await s.call('POST', `/v1/conversations/${conversation.id}/bot`, {}, { authorization: elsewhere.authorization });
    assert.equal(foreign.statusCode, 404, foreign.body);

    const before = (await s.botSaid(conversation.id)).length;
    const back = await s.ok('POST', `/v1/conversations/${conversation.id}/bot`, {}, headers(asOwner));
    assert.equal(back.conversation.owner.type, 'bot');
    const said = await s.botSaid(conversation.id);
    assert.equal(said.length, before + 1);
    assert.match(said.at(-1)!, /How can we help/, 'the flow starts again');

    // The bot answers again, then hands off again; with the flow unassigned, it cannot take the conversation back.
    await s.taps(from, 'agent');
    await s.ok('POST', `/v1/conversations/${conversation.id}/take`, {}, headers(asOwner));
    await s.ok('DELETE', `/v1/flows/${s.flowId}/assignments?senderId=${s.senderId}`);
    const unassigned = await s.call('POST', `/v1/conversations/${conversation.id}/bot`, {}, headers(asOwner));
    assert.equal(unassigned.statusCode, 409, unassigned.body);
    assert.equal(unassigned.json().error.code, 'BOT_NOT_ASSIGNED');
  });

  it('the hand-off note carries what the bot collected, sealed at rest; the run never holds the answer in clear', async () => {
    const s = await scene(fx);
    const from = s.newCustomer();
    const answer = '5551234987';
    await s.writes(from, 'hello');
    await s.taps(from, 'order');
    await s.writes(from, answer);
    const { conversation } = await s.conversationOf(from);
    const [running] = await s.runs(conversation.id);
    assert.ok(!running!.state.includes(answer) && !(running!.pending ?? '').includes(answer), 'the run is sealed');
    await s.taps(from, 'agent');
    const agent = await makeUser(s.ctx, s.workspaceId, 'agent');
    await s.ok('PATCH', `/v1/users/${agent.id}`, { teams: [s.teamId] });
    const signed = await signIn(s.app, agent.email);
    const notes = (await s.ok('GET', `/v1/conversations/${conversation.id}/notes`, undefined, { cookie: signed.cookie, 'x-csrf-token': signed.csrfToken })).data as Array<{ author: string; text: string }>;
    const note = notes.find((n) => n.author === 'bot');
    assert.ok(note, JSON.stringify(notes));
    assert.match(note.text, new RegExp(`order: ${answer}`));
    const rows = await fx.db.selectFrom('conversation_notes').selectAll().where('conversation_id', '=', conversation.id).execute();
    assert.equal(rows.length, 1);
    assert.ok(!JSON.stringify(rows).includes(answer), 'the note is sealed at rest');
    const [ended] = await s.runs(conversation.id);
    assert.ok(!JSON.stringify(ended).includes(answer), 'the run is sealed');

    // Erasing the contact destroys the bot's summary of their answers; a person's note stays.
    const asAgent = { cookie: signed.cookie, 'x-csrf-token': signed.csrfToken };
    await s.ok('POST', `/v1/conversations/${conversation.id}/notes`, { text: 'Called the warehouse.' }, asAgent);
    const erased = await s.call('DELETE', `/v1/contacts/${(await s.conversationOf(from)).contactId}`);
    assert.equal(erased.statusCode, 200, erased.body);
    const left = (await s.ok('GET', `/v1/conversations/${conversation.id}/notes`, undefined, asAgent)).data as Array<{ author: string; text: string }>;
    assert.deepEqual(left.map((n) => [n.author.startsWith('user:') ? 'user' : n.author, n.text]), [['user', 'Called the warehouse.']]);
  });

  it('a person who resolves a conversation the bot still runs stops its run', async () => {
    const s = await scene(fx);
    const from = s.newCustomer();
    await s.writes(from, 'hello');
    const { conversation } = await s.conversationOf(from);
    assert.equal((await s.runs(conversation.id))[0]!.status, 'active');
    await s.ok('POST', `/v1/conversations/${conversation.id}/resolve`, {});
    const [run] = await s.runs(conversation.id);
    assert.equal(run!.status, 'stopped');
    assert.ok(run!.ended_at !== null);
  });

  it('the measures count runs, resolutions, hand-offs by reason, misunderstandings per node and webhook failures', async () => {
    const s = await scene(fx);
    // One misunderstanding at the menu, then a hand-off the flow makes.
    const a = s.newCustomer();
    await s.writes(a, 'hello');
    await s.writes(a, 'banana');
    await s.taps(a, 'agent');
    // A VIP.
    const b = s.newCustomer();
    await s.ok('POST', '/v1/contacts', { waId: b, tags: ['vip'] });
    await s.writes(b, 'hello');
    // A business webhook that fails, then the bot resolves.
    const c = s.newCustomer();
    await s.writes(c, 'hello');
    await s.taps(c, 'check');
    const { conversation } = await s.conversationOf(c);
    assert.match((await s.botSaid(conversation.id)).join('\n'), /cannot look that up/);
    // Still running.
    await s.writes(s.newCustomer(), 'hello');

    const m = await s.ok('GET', `/v1/bot/measures?${around()}`);
    assert.equal(m.runs, 4, JSON.stringify(m));
    assert.equal(m.resolvedByBot, 1);
    assert.equal(m.handedOff, 2);
    assert.equal(m.stillRunning, 1);
    assert.deepEqual(m.handoffsByReason, { flow: 1, vip: 1 });
    assert.equal(m.webhookFailures, 1);
    const menu = m.nodes.find((n: { node: string }) => n.node === 'menu');
    assert.deepEqual(menu, { node: 'menu', turns: 3, misunderstood: 1, rate: 1 / 3 });

    const bad = await s.call('GET', '/v1/bot/measures?from=2026-12-10&to=2026-12-01');
    assert.equal(bad.statusCode, 400, bad.body);
    assert.equal(bad.json().error.code, 'METRICS_RANGE_INVALID');
  });

  it('simulation over the API: a passing script, a failing expectation, a malformed script, a draft with problems, a missing version', async () => {
    const s = await scene(fx);
    const simulate = (body: object) => s.call('POST', `/v1/flows/${s.flowId}/simulate`, body);
    const passing = await simulate({ script: 'customer: hello\nbot: How can we help\ncustomer taps: order\nbot: order number\ncustomer: 12345\nbot: Order 12345 noted\nexpect var order = "12345"' });
    assert.equal(passing.statusCode, 200, passing.body);
    assert.equal(passing.json().passed, true, passing.body);
    assert.ok(passing.json().transcript.length >= 4, passing.body);

    const failing = await simulate({ script: 'customer: hello\nbot: Good evening' });
    assert.equal(failing.statusCode, 200, failing.body);
    assert.equal(failing.json().passed, false);
    assert.equal(failing.json().failures[0].line, 2, failing.body);

    const malformed = await simulate({ script: 'customer: hello\ncustomer dances: tango' });
    assert.equal(malformed.statusCode, 400, malformed.body);
    assert.equal(malformed.json().error.code, 'FLOW_SCRIPT_INVALID');
    assert.match(malformed.body, /"line":2/);

    const missing = await simulate({ script: 'customer: hello', version: 7 });
    assert.equal(missing.statusCode, 404, missing.body);
    assert.equal(missing.json().error.code, 'FLOW_VERSION_NOT_FOUND');

    const broken = supportFlow();
    broken.nodes.tell.next = 'nowhere';
    await s.ok('PUT', `/v1/flows/${s.flowId}`, { definition: broken });
    const invalid = await simulate({ script: 'customer: hello' });
    assert.equal(invalid.statusCode, 400, invalid.body);
    assert.equal(invalid.json().error.code, 'FLOW_INVALID');
    assert.equal((await simulate({ script: 'customer: hello\nbot: How can we help', version: 1 })).json().passed, true, 'the published version still plays');
  });
  it('erasing a contact destroys what the bot collected from them (its runs\' sealed state and pending effects), stops the run and keeps the measures', async () => {
    const s = await scene(fx);
    const from = s.newCustomer();
    const answer = '4242424242';
    await s.writes(from, 'hello');
    await s.taps(from, 'order');
    await answeredButNotCarriedOut(s, from, answer);
    const { conversation, contactId } = await s.conversationOf(from);
    const [before] = await s.runs(conversation.id);
    const opened = (await findRun(fx.db, s.ctx.keyring, before!.id))!;
    assert.equal(opened.state.engine.vars.order, answer, 'the run holds the answer, sealed');
    assert.match(JSON.stringify(opened.pending), new RegExp(answer), 'and so does the message it has yet to send');

    const erased = await s.call('DELETE', `/v1/contacts/${contactId}`);
    assert.equal(erased.statusCode, 200, erased.body);

    const [after] = await s.runs(conversation.id);
    assert.equal(after!.pending, null, 'the effects not carried out are gone');
    assert.ok(!after!.state.startsWith('v1.'), `nothing sealed is left: ${after!.state.slice(0, 12)}`);
    const reopened = (await findRun(fx.db, s.ctx.keyring, after!.id))!;
    assert.deepEqual(reopened.state.engine.vars, {});
    assert.equal(after!.status, 'stopped');
    assert.deepEqual([after!.turns_by_node, after!.missed_by_node, Number(after!.steps)], [before!.turns_by_node, before!.missed_by_node, Number(before!.steps)], 'the measures stay');

    // Nothing the run had decided is carried out any more, and the measures still read it.
    const said = (await s.botSaid(conversation.id)).length;
    s.clock.advance(BOT_STALE_MS + 1);
    assert.equal(await finishStalledRuns(s.ctx, ports), 0);
    assert.equal((await s.botSaid(conversation.id)).length, said);
    assert.equal((await s.ok('GET', `/v1/bot/measures?${around()}`)).runs, 1);
  });
});
