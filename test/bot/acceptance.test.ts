import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeStorage } from '../harness/storage.js';
import { waitFor } from '../outbound/fake-provider.js';
import { APP_SECRET } from '../webhooks/helpers.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { customerSends } from '../../src/emulator/customers/inbound-cloud.js';
import { verifyEventSignature } from '../../src/net/signature.js';
import { emulatorPipeline, supportTeamWithOnlineAgent } from '../conversations/emulator-pipeline.js';

/** A measures period around now: yesterday to tomorrow (UTC). */
const around = () => `from=${new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)}&to=${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}`;

/** The business's order system: answers, hangs past the flow's timeout, or answers garbage. */
class OrderSystem {
  mode: 'answer' | 'hang' | 'garbage' = 'answer';
  calls: Array<{ body: string; signature: string | undefined; idempotencyKey: string | undefined }> = [];
  readonly server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      this.calls.push({ body, signature: req.headers['parley-signature'] as string | undefined, idempotencyKey: req.headers['idempotency-key'] as string | undefined });
      if (this.mode === 'hang') return void setTimeout(() => res.end('{}'), 2_000);
      if (this.mode === 'garbage') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>');
      const order = (JSON.parse(body) as { order: string }).order;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ order, status: 'shipped', eta: 'Tuesday' }));
    });
  });
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/orders`;
  }
}

const flowOf = (url: string) => ({
  name: 'support',
  defaultLanguage: 'en',
  start: 'menu',
  nodes: {
    menu: {
      type: 'menu',
      style: 'list',
      text: 'Hi! How can we help?',
      button: 'Choose',
      options: [
        { id: 'order', title: 'Order status', next: 'ask_order' },
        { id: 'returns', title: 'Returns', next: 'returns' },
        { id: 'agent', title: 'Talk to someone', next: 'to_agent' },
      ],
    },
    ask_order: { type: 'collect', field: 'order', prompt: 'What is your order number?', validator: { kind: 'regex', pattern: '^[0-9]{4,10}$' }, next: 'lookup' },
    lookup: { type: 'webhook', url, body: { order: '{{vars.order}}' }, timeoutMs: 300, retries: 0, map: { status: 'status', eta: 'eta' }, next: 'tell', onError: 'sorry' },
    tell: { type: 'send', message: { text: 'Order {{vars.order}} is {{vars.status}}, arriving {{vars.eta}}.' }, next: 'more' },
    sorry: { type: 'send', message: { text: 'We cannot look orders up right now.' }, next: 'more' },
    returns: { type: 'send', message: { text: 'Returns are free within 30 days.' }, next: 'more' },
    more: { type: 'menu', style: 'buttons', text: 'Anything else?', options: [{ id: 'again', title: 'Another question', next: 'menu' }, { id: 'done', title: 'No, thanks', next: 'bye' }] },
    to_agent: { type: 'handoff', reason: 'the customer chose to talk to someone', message: { text: 'Connecting you with a person.' } },
    bye: { type: 'resolve', message: { text: 'Goodbye!' } },
  },
});

// Issue 16's acceptance, end to end through the emulator (real Cloud API adapter, dispatcher, signed
// webhooks) on both dialects: the customer writes, the bot's menu arrives as an interactive list, the
// customer picks, the bot calls the business's order system (signed) and answers, the customer asks for
// a human, the online agent gets the conversation, the bot stays silent while the customer writes three
// more times, the agent resolves. Then: an order system that times out or answers garbage takes the
// flow's declared branch, and the conversation goes on.
describeStorage('Bot triage, end to end through the emulator', (fx) => {
  let emulator: RunningEmulator;
  const orders = new OrderSystem();
  let ordersUrl = '';
  before(async () => {
    ordersUrl = await orders.listen();
    emulator = await startEmulator({
      appSecret: APP_SECRET,
      seed: 17,
      config: {
        numbers: ['106540352246001', '106540352246002'].map((phoneNumberId) => ({ phoneNumberId, limits: { throughputMps: 1000, dailyUniqueRecipients: null } })),
        templates: [],
        customers: [],
        personas: { quiet: { stopMarketingShare: 0, pressButtonShare: 0, replyShare: 0, replyText: '', replyDelayMs: [10, 30] } },
        behaviour: { statusLatencyMs: { sent: [5, 20], delivered: [5, 20], read: [5, 20] }, batchWindowMs: 5, deliveredRate: 1, readRate: 0, defaultPersona: 'quiet' },
      },
    });
  });
  after(async () => {
    await emulator.close();
    orders.server.close();
  });

  async function scene(t: { after(fn: () => unknown): void }, number: 0 | 1) {
    const { p, phoneNumberId, sentToEmulator } = await emulatorPipeline(fx, t, emulator, number, { botWebhooksAllowPrivateTargets: true });
    // The sender's conversations go to Support, whose queue is balanced; one agent, online.
    const { ok, get, agent, asAgent } = await supportTeamWithOnlineAgent(p, number);

    const flow = await ok('POST', '/v1/flows', { definition: flowOf(ordersUrl) });
    await ok('POST', `/v1/flows/${flow.id}/publish`, {});
    await ok('PUT', `/v1/flows/${flow.id}/assignments`, { senderId: p.sender.id });
    await p.start();

    const from = `1555000800${number}`;
    const writes = (body: string) => customerSends(emulator.core, { phoneNumberId, from, type: 'text', payload: { body } });
    const picks = (kind: 'list_reply' | 'button_reply', id: string, title: string) => customerSends(emulator.core, { phoneNumberId, from, type: 'interactive', payload: { type: kind, [kind]: { id, title } } });
    const conversation = async () => (await get('/v1/conversations')).data[0] as { id: string; state: string; owner: { type: string; userId: string | null } } | undefined;
    const outbound = async (id: string) => ((await get(`/v1/conversations/${id}/messages?limit=200`)).data as Array<{ id: string; direction: string; author: string | null; createdAt: string }>).filter((m) => m.direction === 'outbound');
    /** Waits for the bot's `n`th message (1-based) in the conversation and returns what the emulator received. */
    const botSaid = async (id: string, n: number) => {
      let list: Awaited<ReturnType<typeof outbound>> = [];
      await waitFor(async () => (list = await outbound(id)).length >= n, 20_000, `the bot's message ${n}`);
      return sentToEmulator(list[n - 1]!.id);
    };
    const text = (m: unknown) => JSON.stringify(m);
    return { p, get, ok, agent, asAgent, flow, writes, picks, conversation, outbound, botSaid, text, signedSecret: flow.webhookSecret as string };
  }

  it('menu as a list, a pick, a signed business webhook answered, a request for a person, silence while the agent owns it, resolved', async (t) => {
    orders.mode = 'answer';
    const s = await scene(t, 0);
    s.writes('hello');
    let c: Awaited<ReturnType<typeof s.conversation>>;
    await waitFor(async () => (c = await s.conversation())?.owner.type === 'bot', 20_000, 'the bot takes the conversation');
    const id = c!.id;

    const menu = await s.botSaid(id, 1);
    assert.equal(menu.type, 'interactive');
    assert.match(s.text(menu), /"list"/, `the menu is an interactive list: ${s.text(menu)}`);

    s.picks('list_reply', 'order', 'Order status');
    assert.match(s.text(await s.botSaid(id, 2)), /order number/);
    const callsBefore = orders.calls.length;
    s.writes('12345');
    assert.match(s.text(await s.botSaid(id, 3)), /Order 12345 is shipped, arriving Tuesday/);
    const call = orders.calls[callsBefore]!;
    assert.deepEqual(JSON.parse(call.body), { order: '12345' });
    assert.ok(call.signature && verifyEventSignature(s.signedSecret, call.signature, call.body, Math.floor(Date.now() / 1000)), 'the call is signed with the flow\'s secret');
    await s.botSaid(id, 4); // Anything else?

    s.writes('I want to talk to a human please');
    await waitFor(async () => (c = await s.conversation())?.owner.type === 'user', 20_000, 'the agent gets the conversation');
    assert.equal(c!.owner.userId, s.agent.id);
    const events = (await s.get(`/v1/conversations/${id}/events`)).data as Array<{ type: string; reason: string | null; actor: string }>;
    const handed = events.find((e) => e.type === 'conversation.handed_off');
    assert.equal(handed?.reason, 'asked_for_human');
    const notes = (await s.p.app.inject({ url: `/v1/conversations/${id}/notes`, headers: s.asAgent })).json().data as Array<{ text: string; author: string }>;
    assert.match(notes.find((n) => n.author === 'bot')!.text, /order: 12345/, 'the agent reads what the bot collected');

    const saidByBot = (await s.outbound(id)).length;
    for (const words of ['hello?', 'are you there', 'order 12345 please']) s.writes(words);
    await waitFor(async () => ((await s.get(`/v1/conversations/${id}/events`)).data as Array<{ type: string }>).filter((e) => e.type === 'conversation.message_in').length >= 7, 20_000, 'the three messages');
    assert.equal((await s.outbound(id)).length, saidByBot, 'the bot says nothing while a person owns the conversation');

    await s.ok('POST', `/v1/conversations/${id}/resolve`, {}, s.asAgent);
    assert.equal((await s.conversation())!.state, 'resolved');
    const measures = await s.get(`/v1/bot/measures?${around()}`);
    assert.equal(measures.handoffsByReason?.asked_for_human, 1, JSON.stringify(measures));
  });

  it('a business webhook that times out, then one that answers garbage, takes the declared branch and the conversation goes on', async (t) => {
    const s = await scene(t, 1);
    orders.mode = 'hang';
    s.writes('hi');
    let c: Awaited<ReturnType<typeof s.conversation>>;
    await waitFor(async () => (c = await s.conversation())?.owner.type === 'bot', 20_000, 'the bot takes the conversation');
    const id = c!.id;
    await s.botSaid(id, 1);
    s.picks('list_reply', 'order', 'Order status');
    await s.botSaid(id, 2);
    s.writes('5555');
    assert.match(s.text(await s.botSaid(id, 3)), /cannot look orders up right now/, 'the timeout took the error branch');
    await s.botSaid(id, 4);
    orders.mode = 'garbage';
    s.picks('button_reply', 'again', 'Another question');
    await s.botSaid(id, 5);
    s.picks('list_reply', 'order', 'Order status');
    await s.botSaid(id, 6);
    s.writes('6666');
    assert.match(s.text(await s.botSaid(id, 7)), /cannot look orders up right now/, 'garbage took the error branch');
    await s.botSaid(id, 8);
    s.picks('button_reply', 'done', 'No, thanks');
    assert.match(s.text(await s.botSaid(id, 9)), /Goodbye/);
    await waitFor(async () => (await s.conversation())?.state === 'resolved', 20_000, 'the bot resolves it');
    const measures = await s.get(`/v1/bot/measures?${around()}`);
    assert.ok(measures.webhookFailures >= 2, JSON.stringify(measures));
    assert.ok(measures.resolvedByBot >= 1);
  });
});
