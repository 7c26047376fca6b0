import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { buildConsole, checkPage, signIn, skipBrowser, withBrowser } from './chromium.js';
import { describeStorage } from '../harness/storage.js';
import { insertSender, webhookContext } from '../webhooks/helpers.js';
import { makeUser } from '../people/helpers.js';
import { EventDeliveryWorker } from '../../src/events/delivery-worker.js';
import { publishEvent } from '../../src/events/publish-event.js';

/** A business system that answers every delivery 200 and counts them. */
async function receiver(): Promise<{ url: string; received: string[]; close: () => Promise<void> }> {
  const received: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      received.push(body);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const settingsLink = (page: Page, name: string) => page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name, exact: true });

async function openSection(page: Page, name: string): Promise<void> {
  await settingsLink(page, name).click();
  await page.getByRole('heading', { level: 2, name, exact: true }).waitFor();
}

/** Polls until `done` holds (the page writes through the API on its own time). */
async function until(done: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await done())) {
    assert.ok(Date.now() < deadline, `${what}: not within 5 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let senders = 0;

describeStorage('console settings in a browser', (fx) => {
  before(buildConsole);

  it('manages API keys (the secret shown once, and it works), users, teams, business hours, SLA policies and event webhooks with their dead letters', { skip: skipBrowser }, async () => {
    const sink = await receiver();
    fx.onTearDown(sink.close);
    const ctx = webhookContext(fx, { eventsAllowPrivateTargets: true });
    const app = await fx.app(ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const { workspaceId } = await fx.workspace();
    await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId: `1078${String(++senders).padStart(11, '0')}` });
    const admin = await makeUser(ctx, workspaceId, 'admin');
    const agent = await makeUser(ctx, workspaceId, 'agent');
    const worker = new EventDeliveryWorker(ctx);
    fx.onTearDown(() => worker.stop());

    await withBrowser(async (browser) => {
      await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
      const page = await browser.newPage();
      await signIn(page, base, admin);
      await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Settings' }).click();
      // /settings opens the first section: the sender numbers with their health.
      await page.getByRole('heading', { level: 2, name: 'Senders' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/console/settings/senders');
      const senderRow = page.getByRole('table', { name: 'Sender numbers' }).getByRole('row').nth(1);
      assert.match((await senderRow.textContent()) ?? '', /cloud.*active.*ok.*none/, 'provider, sending health and webhook alarm');
      await checkPage(page, 'settings-senders', fx.dialect);

      // API keys: created, its secret shown once with a warning; it works against the API.
      await openSection(page, 'API keys');
      await page.getByRole('table', { name: 'API keys' }).waitFor();
      await page.getByLabel('Name').fill('CRM sync');
      await page.getByRole('button', { name: 'Create key' }).click();
      await page.getByText('Pick at least one scope.').waitFor();
      assert.equal(await page.getByLabel('Name').inputValue(), 'CRM sync');
      await page.getByRole('checkbox', { name: 'keys:read' }).check();
      await page.getByRole('button', { name: 'Create key' }).click();
      const secretBox = page.getByRole('region', { name: 'New key CRM sync' });
      await secretBox.waitFor();
      assert.match((await secretBox.textContent()) ?? '', /only time Parley shows this key/);
      const key = await secretBox.getByRole('textbox').inputValue();
      assert.match(key, /^prl_/);
      await secretBox.getByRole('button', { name: 'Copy' }).click();
      await secretBox.getByText('Copied to the clipboard.').waitFor();
      assert.equal(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText()), key);
      const keysTable = page.getByRole('table', { name: 'API keys' });
      await keysTable.getByRole('rowheader', { name: 'CRM sync' }).waitFor();
      assert.equal(await page.getByLabel('Name').inputValue(), '', 'the form is cleared once the key exists');
      await checkPage(page, 'settings-api-keys', fx.dialect);
      const listed = await fetch(`${base}/v1/api-keys`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(listed.status, 200, 'the new key reads the API with its scope');
      assert.ok(((await listed.json()) as { data: Array<{ name: string }> }).data.some((k) => k.name === 'CRM sync'));
      // Away and back: the secret is gone for good.
      await openSection(page, 'Users');
      await openSection(page, 'API keys');
      await keysTable.getByRole('rowheader', { name: 'CRM sync' }).waitFor();
      assert.equal(await page.getByRole('region', { name: 'New key CRM sync' }).count(), 0);
      assert.ok(!((await page.content()).includes(key)), 'the key appears nowhere on the page any more');

      // Teams: created, then given a member when someone is invited into it.
      await openSection(page, 'Teams');
      await page.getByText('No team yet.').waitFor();
      await page.getByLabel('New team name').fill('Night shift');
      await page.getByRole('button', { name: 'Create team' }).click();
      await page.getByRole('heading', { level: 3, name: 'Night shift' }).waitFor();
      assert.equal(await page.getByLabel('New team name').inputValue(), '');

      // Users: a refused invitation keeps what was typed and shows the API's words.
      await openSection(page, 'Users');
      await page.getByLabel('Email').fill(admin.email);
      await page.getByLabel('Name (optional)').fill('Nadia Night');
      await page.getByLabel('Role', { exact: true }).selectOption('agent');
      await page.getByRole('checkbox', { name: 'Night shift' }).check();
      await page.getByRole('button', { name: 'Invite' }).click();
      await page.getByRole('alert').waitFor();
      assert.equal(await page.getByLabel('Name (optional)').inputValue(), 'Nadia Night', 'nothing typed is lost');
      assert.equal(await page.getByLabel('Email').inputValue(), admin.email);
      assert.ok(await page.getByRole('checkbox', { name: 'Night shift' }).isChecked());
      await page.getByLabel('Email').fill('nadia@example.com');
      await page.getByRole('button', { name: 'Invite' }).click();
      const invitation = page.getByRole('region', { name: 'Invitation link for nadia@example.com' });
      await invitation.waitFor();
      assert.match(await invitation.getByRole('textbox').inputValue(), /token=/);
      const usersTable = page.getByRole('table', { name: 'Users' });
      const nadia = usersTable.getByRole('row').filter({ hasText: 'nadia@example.com' });
      await nadia.waitFor();
      assert.match((await nadia.textContent()) ?? '', /Night shift/);
      // Role change, then deactivation behind a confirmation.
      await page.getByLabel('Role of Nadia Night').selectOption('supervisor');
      await until(async () => (await fx.db.selectFrom('users').select('role').where('workspace_id', '=', workspaceId).where('status', '=', 'invited').executeTakeFirst())?.role === 'supervisor', 'the role change reached the API');
      const agentRow = usersTable.getByRole('row').filter({ hasText: agent.email });
      await agentRow.getByRole('button', { name: 'Deactivate' }).click();
      await agentRow.getByRole('button', { name: `Deactivate ${agent.name}` }).click();
      await agentRow.getByRole('button', { name: 'Reactivate' }).waitFor();
      assert.match((await agentRow.textContent()) ?? '', /disabled/);
      await checkPage(page, 'settings-users', fx.dialect);

      await openSection(page, 'Teams');
      const members = page.getByRole('list', { name: 'Members of Night shift' });
      await members.getByText('Nadia Night').waitFor();
      await page.getByLabel('Add a member').selectOption({ label: `${admin.name} (${admin.email})` });
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await members.getByText(admin.name).waitFor();
      await checkPage(page, 'settings-teams', fx.dialect);

      await openSection(page, 'Roles');
      const matrix = page.getByRole('table', { name: 'Permissions of each role' });
      assert.match((await matrix.getByRole('row').filter({ hasText: 'users.manage' }).textContent()) ?? '', /users\.manage✓yes(no){4}/);
      await checkPage(page, 'settings-roles', fx.dialect);

      await openSection(page, 'Business hours');
      await page.getByLabel('Time zone').fill('Europe/Berlin');
      await page.getByRole('button', { name: 'Save business hours' }).click();
      await page.getByText('Saved.').waitFor();
      await checkPage(page, 'settings-business-hours', fx.dialect);

      await openSection(page, 'SLA policies');
      await page.getByRole('button', { name: 'New policy' }).click();
      await page.getByLabel('Name').fill('Standard');
      await page.getByLabel('First response target, minutes (empty: none)').fill('30');
      await page.getByLabel('Count only business hours').check();
      await page.getByRole('button', { name: 'Create policy' }).click();
      await page.getByRole('table', { name: 'SLA policies' }).getByRole('rowheader', { name: 'Standard' }).waitFor();
      await checkPage(page, 'settings-sla-policies', fx.dialect);

      // Event webhooks: a subscription, its signing secret once, a dead letter and its replay.
      await openSection(page, 'Event webhooks');
      await page.getByRole('textbox', { name: 'URL', exact: true }).fill(sink.url);
      await page.getByRole('checkbox', { name: 'message.status', exact: true }).check();
      await page.getByRole('button', { name: 'Subscribe' }).click();
      const signing = page.getByRole('region', { name: `Signing secret for ${sink.url}` });
      await signing.waitFor();
      assert.match(await signing.getByRole('textbox').inputValue(), /^whsec_/);
      const subscriptions = page.getByRole('table', { name: 'Event subscriptions' });
      await subscriptions.getByRole('rowheader', { name: sink.url }).waitFor();
      await page.getByText('No dead letter').waitFor();

      // An event published while the subscription is paused at delivery time is given up at once.
      const eventId = await publishEvent(fx.db, { workspaceId, type: 'message.status', data: { messageId: 'msg_console' } }, ctx.clock.now());
      assert.ok(eventId);
      await subscriptions.getByRole('button', { name: /^Pause/ }).click();
      await subscriptions.getByRole('button', { name: /^Resume/ }).waitFor();
      assert.equal(await worker.runOnce(), 1);
      await page.reload();
      const dead = page.getByRole('table', { name: 'Dead letters' });
      const letter = dead.getByRole('row').filter({ hasText: eventId });
      await letter.waitFor();
      assert.match((await letter.textContent()) ?? '', /message\.status.*the subscription is disabled or deleted/);
      await checkPage(page, 'settings-event-webhooks', fx.dialect);

      await subscriptions.getByRole('button', { name: /^Resume/ }).click();
      await subscriptions.getByRole('button', { name: /^Pause/ }).waitFor();
      await letter.getByRole('button', { name: /^Replay/ }).click();
      await page.getByText('1 delivery is queued again.').waitFor();
      await page.getByText('No dead letter').waitFor();
      assert.equal(await worker.runOnce(), 1);
      assert.ok(sink.received.some((body) => body.includes(eventId)), 'the replayed event reached the business system');

      // Deleting asks first.
      await subscriptions.getByRole('button', { name: 'Delete', exact: true }).click();
      await subscriptions.getByRole('button', { name: 'Delete subscription' }).click();
      await page.getByText('No subscription yet.').waitFor();

      // Revoking a key asks first; then the key stops working.
      await openSection(page, 'API keys');
      const crm = keysTable.getByRole('row').filter({ hasText: 'CRM sync' });
      await crm.getByRole('button', { name: 'Revoke', exact: true }).click();
      await crm.getByRole('button', { name: 'Revoke CRM sync' }).click();
      await crm.getByText(/^revoked/).waitFor();
      assert.equal((await fetch(`${base}/v1/api-keys`, { headers: { authorization: `Bearer ${key}` } })).status, 401);
      await page.close();
    });
  });

  it('shows an agent only the settings their role reads, with no way to change them', { skip: skipBrowser }, async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const { workspaceId } = await fx.workspace();
    const agent = await makeUser(ctx, workspaceId, 'agent');
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await signIn(page, base, agent, '/console/settings');
      const nav = page.getByRole('navigation', { name: 'Settings' });
      await nav.getByRole('link').first().waitFor();
      assert.deepEqual(await nav.getByRole('link').allTextContents(), ['Roles', 'Business hours', 'SLA policies']);
      await page.getByRole('heading', { level: 2, name: 'Roles' }).waitFor();
      await openSection(page, 'SLA policies');
      assert.equal(await page.getByRole('button', { name: 'New policy' }).count(), 0);
      await page.goto(base + '/console/settings/api-keys');
      await page.getByText('There is no such settings page for your role.').waitFor();
      await page.close();
    });
  });
});
