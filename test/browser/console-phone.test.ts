import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { buildConsole, checkPage, skipBrowser, withBrowser } from './chromium.js';
import { describeStorage } from '../harness/storage.js';
import { APP_SECRET } from '../webhooks/helpers.js';
import { makeUser, signIn } from '../people/helpers.js';
import { emulatorPipeline } from '../conversations/emulator-pipeline.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { linkEmbeddedEmulator } from '../../src/emulator-phone/link.js';

const CUSTOMER = '16505550777';

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
        customers: [{ phone: CUSTOMER, name: 'Phone Tester' }],
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
      await page.goto(base + '/console/');
      await page.getByLabel('Email').fill(admin.email);
      await page.getByLabel('Password').fill(admin.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
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
