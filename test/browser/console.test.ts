import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { buildConsole, checkPage, skipBrowser, withBrowser } from './chromium.js';
import { describeStorage } from '../harness/storage.js';
import { insertSender, webhookContext } from '../webhooks/helpers.js';
import { customerWrites } from '../conversations/helpers.js';
import { makeUser } from '../people/helpers.js';

let senders = 0;

describeStorage('web console in a browser', (fx) => {
  before(buildConsole);

  it('signs in, sees the conversation a customer opened, sees a new one arrive without a reload, opens it and reads the message, and signs out', { skip: skipBrowser }, async () => {
    const ctx = webhookContext(fx);
    const app = await fx.app(ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const { workspaceId } = await fx.workspace();
    const phoneNumberId = `1077${String(++senders).padStart(11, '0')}`;
    await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId });
    const agent = await makeUser(ctx, workspaceId, 'admin');
    await customerWrites(app, ctx, { from: '16505550401', phoneNumberId, text: 'Where is my order 1234?' });

    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      const opened = await page.goto(base + '/');
      assert.equal(opened?.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/console/', 'a browser at / lands on the console');
      await page.getByRole('heading', { level: 1, name: 'Sign in to Parley' }).waitFor();

      await page.getByLabel('Email').fill(agent.email);
      await page.getByLabel('Password').fill('not the password at all');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const refusal = page.getByRole('alert');
      await refusal.waitFor();
      assert.match((await refusal.textContent()) ?? '', /\S/, 'the refusal is shown with the API\'s words');
      await checkPage(page, 'sign-in', fx.dialect);

      await page.getByLabel('Password').fill(agent.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/console/inbox');
      assert.equal(await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Inbox' }).getAttribute('aria-current'), 'page');

      const conversations = page.getByRole('list', { name: 'Conversations' }).getByRole('link');
      await conversations.first().waitFor();
      assert.equal(await conversations.count(), 1, 'the conversation the customer opened');

      // A second customer writes while the inbox is open: the live stream brings it in, no reload.
      const navigations: string[] = [];
      page.on('framenavigated', (frame) => navigations.push(frame.url()));
      await customerWrites(app, ctx, { from: '16505550402', phoneNumberId, text: 'Can I change my delivery address?' });
      // Polled from here: a string predicate would be evaluated in the page, which the console's content policy forbids.
      const deadline = Date.now() + 5_000;
      while ((await conversations.count()) !== 2) {
        assert.ok(Date.now() < deadline, 'the new conversation did not appear within 5 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.deepEqual(navigations, [], 'the list changed without a reload');
      await checkPage(page, 'inbox', fx.dialect);

      // Newest first: the first customer's conversation is the last of the two.
      await conversations.last().click();
      // The heading names the customer (their WhatsApp profile name), read with the contact panel's request.
      await page.getByRole('heading', { level: 2, name: 'Conversation with Sheena Nelson' }).waitFor();
      assert.match(new URL(page.url()).pathname, /^\/console\/inbox\/[^/]+$/);
      const messages = page.getByRole('list', { name: 'Messages' });
      await messages.getByText('Where is my order 1234?').waitFor();
      assert.match((await messages.textContent()) ?? '', /Customer.*text.*\d/, 'direction, type and status shown');

      // The open conversation takes in a new message of its customer live too.
      await customerWrites(app, ctx, { from: '16505550401', phoneNumberId, text: 'It was due yesterday.' });
      await messages.getByText('It was due yesterday.').waitFor({ timeout: 5_000 });
      await checkPage(page, 'conversation', fx.dialect);

      // A client-side route survives a reload: the server answers the app's page for it.
      const reloaded = await page.reload();
      assert.equal(reloaded?.status(), 200);
      await messages.getByText('It was due yesterday.').waitFor();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in to Parley' }).waitFor();
      await page.close();
    });
  });
});
