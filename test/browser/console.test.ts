import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { describeStorage } from '../harness/storage.js';
import { insertSender, webhookContext } from '../webhooks/helpers.js';
import { customerWrites } from '../conversations/helpers.js';
import { makeUser } from '../people/helpers.js';
import { PACKAGE_ROOT } from '../../src/console/console-files.js';

// Debian's Chromium; never a downloaded browser.
const CHROMIUM = '/usr/bin/chromium';
const REQUIRED = process.env.PARLEY_TEST_BROWSER_REQUIRED === '1';
const skip = existsSync(CHROMIUM) ? false : `browser test skipped: ${CHROMIUM} is missing (install Debian's chromium package; PARLEY_TEST_BROWSER_REQUIRED=1 makes this a failure)`;
if (skip && REQUIRED) throw new Error(`PARLEY_TEST_BROWSER_REQUIRED=1 but ${CHROMIUM} is missing.`);

/** Screenshots of each page, kept outside git for CI to publish. */
const SCREENSHOTS = path.join(PACKAGE_ROOT, 'test-artifacts', 'screenshots');

let senders = 0;

describeStorage('web console in a browser', (fx) => {
  // The console the server sends is the built one: build it when console/ changed (a no-op otherwise).
  before(() => {
    if (!skip) execFileSync(process.execPath, [path.join(PACKAGE_ROOT, 'scripts', 'build-if-stale.mjs'), '--console'], { stdio: 'inherit' });
  });

  // The browser is closed inside the test, before the fixture closes the server (keep-alive connections).
  async function withBrowser(body: (browser: BrowserContext) => Promise<void>): Promise<void> {
    const profile = mkdtempSync(path.join(tmpdir(), 'parley-chromium-'));
    const browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 800 },
    });
    try {
      await body(browser);
    } finally {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }

  // Each page: a screenshot, and an accessibility check with no serious or critical violation.
  const checkPage = async (page: Page, name: string) => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, `console-${name}-${fx.dialect}.png`), fullPage: true });
    const { violations } = await new AxeBuilder({ page }).analyze();
    const grave = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    assert.deepEqual(grave, [], `accessibility of the ${name} page`);
  };

  it('signs in, sees the conversation a customer opened, sees a new one arrive without a reload, opens it and reads the message, and signs out', { skip }, async () => {
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
      await checkPage(page, 'sign-in');

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
      await checkPage(page, 'inbox');

      // Newest first: the first customer's conversation is the last of the two.
      await conversations.last().click();
      await page.getByRole('heading', { level: 2, name: /Conversation with contact/ }).waitFor();
      assert.match(new URL(page.url()).pathname, /^\/console\/inbox\/[^/]+$/);
      const messages = page.getByRole('list', { name: 'Messages' });
      await messages.getByText('Where is my order 1234?').waitFor();
      assert.match((await messages.textContent()) ?? '', /Customer.*text.*\d/, 'direction, type and status shown');

      // The open conversation takes in a new message of its customer live too.
      await customerWrites(app, ctx, { from: '16505550401', phoneNumberId, text: 'It was due yesterday.' });
      await messages.getByText('It was due yesterday.').waitFor({ timeout: 5_000 });
      await checkPage(page, 'conversation');

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
