import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { buildConsole, checkPage, signIn as signInPage, skipBrowser, withBrowser } from './chromium.js';
import { describeStorage } from '../harness/storage.js';
import { APP_SECRET } from '../webhooks/helpers.js';
import { makeUser, signIn } from '../people/helpers.js';
import { emulatorPipeline } from '../conversations/emulator-pipeline.js';
import { pipeline } from '../outbound/helpers.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { linkEmbeddedEmulator } from '../../src/emulator-phone/link.js';
import { createSender } from '../../src/senders/sender-queries.js';
import { WebhookProcessor } from '../../src/webhooks/processor.js';

const CUSTOMER = '16505550777';
const ULTRAMSG_CUSTOMER = '16505550888';
const ULTRAMSG_SECRET = 'console-phone-ultramsg-secret-0123456789';

/** Polls `read` until `ok` holds of what it returns (an assertion with `what` after `ms`). */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    assert.ok(Date.now() < deadline, `${what} (last seen: ${String(JSON.stringify(value)).slice(0, 400)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// The console's emulator phone on an app that runs the emulator: a customer's message written on the
// phone reaches Parley, a reply sent through the API shows on the phone (formatted), a tap on an
// interactive message's button comes back to Parley as the customer's reply, and reading the phone
// turns the reply's status to read.
describeStorage('console: the emulator phone', (fx) => {
  let emulator: RunningEmulator;
  before(async () => {
    buildConsole();
    emulator = await startEmulator({
      appSecret: APP_SECRET,
      seed: 26,
      config: {
        // One number per test (a number belongs to one sender across workspaces), and a third for the docked phone's Cloud number.
        numbers: [{ phoneNumberId: '106540352260001' }, { phoneNumberId: '106540352260002' }, { phoneNumberId: '106540352260003' }],
        customers: [{ phone: CUSTOMER, name: 'Phone Tester' }, { phone: ULTRAMSG_CUSTOMER, name: 'Ultra Tester' }],
        behaviour: { statusLatencyMs: { sent: [5, 10], delivered: [5, 10], read: [5, 10] }, batchWindowMs: 5, deliveredRate: 1, readRate: 0 },
      },
    });
  });
  after(() => emulator.close());

  it('writes as a customer, shows the business\'s reply and interactive message, sends the tap back and marks read', { skip: skipBrowser }, async (t) => {
    const { p } = await emulatorPipeline(fx, t, emulator, 0);
    linkEmbeddedEmulator(p.ctx, emulator.info.url);
    await p.start();
    const base = `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}`;
    const admin = await makeUser(p.ctx, p.workspaceId, 'admin');
    const signed = await signIn(p.app, admin.email);
    const asAdmin = { cookie: signed.cookie, 'x-csrf-token': signed.csrfToken };
    const get = async (url: string) => {
      const res = await p.app.inject({ url, headers: { authorization: p.authorization } });
      assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
      return res.json();
    };
    const reply = async (id: string, body: unknown) => {
      const res = await p.app.inject({ method: 'POST', url: `/v1/conversations/${id}/messages`, headers: asAdmin, payload: body as object });
      assert.ok(res.statusCode < 300, `reply: ${res.statusCode} ${res.body}`);
      return res.json() as { messageId: string };
    };
    const messagesOf = async (id: string) => (await get(`/v1/conversations/${id}/messages?limit=200`)).data as Array<{ id: string; direction: string; type: string; status: string; content: any }>;

    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await signInPage(page, base, admin);
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Phone' }).click();
      await page.getByRole('heading', { level: 1, name: 'Emulator phone' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/console/phone');
      await page.getByLabel('Customer', { exact: true }).selectOption(CUSTOMER);
      const chat = page.getByRole('list', { name: 'Chat' });
      await chat.getByText('No messages yet').waitFor();

      // The customer writes from the phone: Parley opens a conversation with the message.
      await page.getByLabel('Message').fill('Hi, is my *order* on its way?');
      await page.getByRole('button', { name: 'Send', exact: true }).click();
      const conversation = await eventually(() => get('/v1/conversations').then((r) => r.data[0]), (c) => c !== undefined, 'the conversation opened by the phone\'s message');
      const id = conversation.id as string;
      const inbound = await eventually(() => messagesOf(id), (ms) => ms.some((m) => m.direction === 'inbound'), 'the customer\'s message in Parley');
      assert.equal(inbound.find((m) => m.direction === 'inbound')!.content?.text, 'Hi, is my *order* on its way?');
      assert.equal(await page.getByLabel('Message').inputValue(), '', 'the sent draft is cleared');
      await chat.getByText('Hi, is my').waitFor();

      // A reply through the API arrives on the phone, formatted as WhatsApp shows it; reading marks it read.
      const text = await reply(id, { type: 'text', text: { body: 'Yes, it ships *today*.' } });
      await chat.locator('strong', { hasText: 'today' }).waitFor({ timeout: 10_000 });
      await eventually(() => messagesOf(id), (ms) => ms.find((m) => m.id === text.messageId)?.status === 'read', 'the reply read on the phone');

      // An interactive message's buttons are tappable; the tap reaches Parley as the customer's reply.
      await reply(id, { type: 'interactive', interactive: { type: 'button', header: { type: 'text', text: 'Delivery' }, body: { text: 'When suits you?' }, footer: { text: 'Reply with a button' }, action: { buttons: [{ type: 'reply', reply: { id: 'slot-am', title: 'Morning' } }, { type: 'reply', reply: { id: 'slot-pm', title: 'Afternoon' } }] } } });
      await chat.getByText('When suits you?').waitFor({ timeout: 10_000 });
      await checkPage(page, 'phone', fx.dialect);
      await chat.getByRole('button', { name: 'Afternoon' }).click();
      const tapped = await eventually(() => messagesOf(id), (ms) => ms.some((m) => m.direction === 'inbound' && m.type === 'interactive'), 'the tapped reply in Parley');
      const tap = tapped.find((m) => m.direction === 'inbound' && m.type === 'interactive')!;
      assert.equal(tap.content?.reply?.id, 'slot-pm', JSON.stringify(tap.content));
      assert.equal(tap.content?.reply?.title, 'Afternoon');
      await page.close();
    });
  });

  // Issue 17: the phone docked beside the inbox, on an UltraMsg number. The customer writes on the UltraMsg
  // phone, the conversation appears in the inbox beside it, the agent's reply arrives on the phone; the
  // phone offers nothing UltraMsg cannot carry; opening a conversation of a Cloud API number of the same
  // workspace switches the docked phone to that number and customer; the dock is remembered.
  it('docks the phone beside the inbox: an UltraMsg customer writes, the reply arrives on the phone, and the phone follows the open conversation', { skip: skipBrowser }, async (t) => {
    const instanceId = emulator.info.ultramsgInstanceIds[0]!;
    const p = await pipeline(fx, t, {
      realAdapters: true,
      config: { whatsappAppSecrets: APP_SECRET },
      sender: { name: 'Ultra shop', provider: 'ultramsg', instanceId, phoneNumberId: null, wabaId: null, baseUrl: emulator.info.url, credentials: { token: emulator.info.ultramsgToken }, webhookSecret: ULTRAMSG_SECRET, mps: 50 },
    });
    await p.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(p.app.server.address() as AddressInfo).port}`;
    emulator.setWebhookUrls({ ultramsg: `${base}/webhooks/whatsapp/ultramsg?secret=${ULTRAMSG_SECRET}`, cloud: `${base}/webhooks/whatsapp/cloud` });
    const processor = new WebhookProcessor(p.ctx);
    processor.start();
    t.after(() => processor.stop());
    linkEmbeddedEmulator(p.ctx, emulator.info.url);
    await p.start();
    // A Cloud API number of the same workspace on the emulator (made after start(), which keeps one sender active).
    const cloud = await createSender(p.ctx.db, p.ctx.keyring, { workspaceId: p.workspaceId, name: 'Cloud shop', provider: 'cloud', baseUrl: emulator.info.url, graphVersion: 'v23.0', phoneNumberId: emulator.info.phoneNumberIds[2]!, wabaId: emulator.info.wabaId, credentials: { accessToken: emulator.info.accessToken }, mps: 80 });

    const admin = await makeUser(p.ctx, p.workspaceId, 'admin');
    const signed = await signIn(p.app, admin.email);
    const asAdmin = { cookie: signed.cookie, 'x-csrf-token': signed.csrfToken };
    const conversations = async () => (await p.app.inject({ url: '/v1/conversations', headers: { authorization: p.authorization } })).json().data as Array<{ id: string; senderId: string }>;

    // The phone's API names the UltraMsg number, and refuses what UltraMsg cannot carry.
    const listed = (await p.app.inject({ url: '/v1/emulator/phone', headers: { authorization: p.authorization } })).json();
    assert.deepEqual(listed.numbers.map((n: any) => [n.name, n.provider]).sort(), [['Cloud shop', 'cloud'], ['Ultra shop', 'ultramsg']]);
    const reaction = await p.app.inject({ method: 'POST', url: `/v1/emulator/phone/chats/${p.sender.id}/${ULTRAMSG_CUSTOMER}/messages`, headers: { authorization: p.authorization }, payload: { type: 'reaction', reaction: { messageId: 'x', emoji: '👍' } } });
    assert.equal(reaction.statusCode, 400, reaction.body);
    assert.equal(reaction.json().error.code, 'EMULATOR_NOT_ON_ULTRAMSG');

    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await signInPage(page, base, admin);
      await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
      const toggle = page.getByRole('button', { name: 'Emulator phone beside the inbox' });
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
      const docked = page.getByRole('complementary', { name: 'Emulator phone' });
      await docked.getByLabel('Business number').selectOption({ label: 'Ultra shop, UltraMsg' });
      await docked.getByLabel('Customer', { exact: true }).selectOption(ULTRAMSG_CUSTOMER);
      const chat = docked.getByRole('list', { name: 'Chat' });
      await chat.getByText('No messages yet').waitFor();
      // UltraMsg carries text and photos from a customer: no location, no reactions, and the phone says why.
      await docked.getByText('UltraMsg has no buttons, lists or reactions').waitFor();
      assert.equal(await docked.getByRole('button', { name: 'Share location' }).count(), 0);
      await docked.getByRole('button', { name: 'Send photo' }).waitFor();

      await docked.getByLabel('Message').fill('Hello from UltraMsg');
      await docked.getByRole('button', { name: 'Send', exact: true }).click();
      // The conversation appears in the inbox beside the phone (the live stream), and opens.
      const ultra = (await eventually(conversations, (cs) => cs.some((c) => c.senderId === p.sender.id), 'the UltraMsg conversation')).find((c) => c.senderId === p.sender.id)!;
      const row = page.getByRole('list', { name: 'Conversations' }).locator(`a[data-conversation-id="${ultra.id}"]`);
      await row.waitFor({ timeout: 10_000 });
      await row.click();
      await page.waitForURL((url) => url.pathname === `/console/inbox/${ultra.id}`);
      await page.getByRole('region', { name: 'Conversation' }).getByText('Hello from UltraMsg').first().waitFor({ timeout: 10_000 });

      // The agent's reply arrives on the UltraMsg phone as UltraMsg delivers it (text).
      const sent = await p.app.inject({ method: 'POST', url: `/v1/conversations/${ultra.id}/messages`, headers: asAdmin, payload: { type: 'text', text: { body: 'Hi! Your order is *packed*.' } } });
      assert.ok(sent.statusCode < 300, sent.body);
      await chat.locator('strong', { hasText: 'packed' }).waitFor({ timeout: 10_000 });
      await checkPage(page, 'inbox-docked-phone', fx.dialect);

      // A Cloud API customer writes to the other number: opening that conversation switches the docked phone to it.
      const wrote = await fetch(`${emulator.info.url}/_emulator/customers/${CUSTOMER}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phoneNumberId: emulator.info.phoneNumberIds[2], type: 'text', text: { body: 'Cloud hello' } }) });
      assert.equal(wrote.status, 200, await wrote.text());
      const cloudConversation = (await eventually(conversations, (cs) => cs.some((c) => c.senderId === cloud.id), 'the Cloud conversation')).find((c) => c.senderId === cloud.id)!;
      await page.goto(`${base}/console/inbox/${cloudConversation.id}`);
      const again = page.getByRole('complementary', { name: 'Emulator phone' });
      assert.equal(await page.getByRole('button', { name: 'Emulator phone beside the inbox' }).getAttribute('aria-pressed'), 'true', 'the dock is remembered');
      await again.getByRole('list', { name: 'Chat' }).getByText('Cloud hello').waitFor({ timeout: 10_000 });
      assert.equal(await again.getByLabel('Business number').inputValue(), cloud.id);
      assert.equal(await again.getByLabel('Customer', { exact: true }).inputValue(), CUSTOMER);
      await page.close();
    });
  });

  it('answers 404 when Parley runs without the built-in emulator, and refuses a role without the permission', async (t) => {
    const { p } = await emulatorPipeline(fx, t, emulator, 1);
    const res = await p.app.inject({ url: '/v1/emulator/phone', headers: { authorization: p.authorization } });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.code, 'EMULATOR_NOT_RUNNING');
    linkEmbeddedEmulator(p.ctx, emulator.info.url);
    const listed = await p.app.inject({ url: '/v1/emulator/phone', headers: { authorization: p.authorization } });
    assert.equal(listed.statusCode, 200, listed.body);
    assert.deepEqual(listed.json().numbers.map((n: { phoneNumberId: string }) => n.phoneNumberId), [emulator.info.phoneNumberIds[1]]);
    const agent = await makeUser(p.ctx, p.workspaceId, 'agent');
    const signed = await signIn(p.app, agent.email);
    const refused = await p.app.inject({ url: '/v1/emulator/phone', headers: { cookie: signed.cookie } });
    assert.equal(refused.statusCode, 403);
    // Another workspace's sender is not reachable through the phone.
    const other = await fx.workspace();
    const foreign = await p.app.inject({ method: 'POST', url: `/v1/emulator/phone/chats/${p.sender.id}/${CUSTOMER}/messages`, headers: { authorization: other.authorization }, payload: { type: 'text', text: { body: 'hi' } } });
    assert.equal(foreign.statusCode, 404, foreign.body);
    assert.equal(foreign.json().error.code, 'EMULATOR_SENDER_NOT_FOUND');
  });
});
