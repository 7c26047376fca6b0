import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { buildConsole, checkPage, signIn, skipBrowser, withBrowser } from './chromium.js';
import { describeStorage } from '../harness/storage.js';
import { insertSender, webhookContext } from '../webhooks/helpers.js';
import { customerWrites } from '../conversations/helpers.js';
import { makeUser } from '../people/helpers.js';
import { indexWorkspace, SETTLE_MS } from '../../src/search/indexer.js';
import { messagesForIndexing } from '../../src/messages/messages-for-indexing.js';
import { contactsForIndexing } from '../../src/contacts/contacts-for-indexing.js';

let senders = 0;

describeStorage('web console: contacts and the audit log', (fx) => {
  before(buildConsole);

  it('lists and searches contacts, shows a contact\'s timeline and consent, downloads its export, erases it after a typed confirmation, then lists the audit entries and verifies the chain', { skip: skipBrowser }, async () => {
    const ctx = webhookContext(fx);
    const app = await fx.app(ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const { workspaceId, authorization } = await fx.workspace();
    const phoneNumberId = `1099${String(++senders).padStart(11, '0')}`;
    await insertSender(fx.db, ctx.keyring, { workspaceId, phoneNumberId });
    const admin = await makeUser(ctx, workspaceId, 'admin');
    const agent = await makeUser(ctx, workspaceId, 'agent');
    await customerWrites(app, ctx, { from: '16505550701', phoneNumberId, text: 'Do you ship to Lisbon?' });
    await customerWrites(app, ctx, { from: '16505550702', phoneNumberId, text: 'Hi' });
    const contact = (await app.inject({ url: '/v1/contacts', query: { phone: '+16505550701' }, headers: { authorization } })).json().data[0];
    const tagged = await app.inject({ method: 'PATCH', url: `/v1/contacts/${contact.id}`, headers: { authorization }, payload: { name: 'Ana Lisboa', tags: ['vip'], attributes: { plan: 'gold' } } });
    assert.equal(tagged.statusCode, 200);
    const consent = await app.inject({ method: 'POST', url: `/v1/contacts/${contact.id}/consent`, headers: { authorization }, payload: { purpose: 'marketing', channel: 'whatsapp', status: 'granted', source: 'web', wording: 'Send me offers' } });
    assert.equal(consent.statusCode, 201);
    // The search indexer's pass (a background worker in a running Parley), late enough that every row has settled.
    await indexWorkspace(ctx.db, ctx.keyring, { messages: messagesForIndexing, contacts: contactsForIndexing }, workspaceId, { owner: 'test', now: ctx.clock.now() + SETTLE_MS + 1 });

    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await signIn(page, base, admin);
      const nav = page.getByRole('navigation', { name: 'Console' });
      await nav.getByRole('link', { name: 'Contacts' }).click();
      await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
      const rows = page.getByRole('table', { name: 'Contacts' }).locator('tbody tr');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 2, 'both customers are contacts');
      await checkPage(page, 'contacts', fx.dialect);

      // A tag narrows the list; a phone number (another form of it) finds exactly the one contact.
      await page.getByLabel('Tag').fill('vip');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/\/console\/contacts\?tag=vip$/);
      await page.getByRole('link', { name: 'Ana Lisboa' }).waitFor();
      assert.equal(await rows.count(), 1);
      await page.getByLabel('Tag').fill('');
      await page.getByLabel('Phone number').fill('+1 650 555 0701');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/phone=/);
      await page.getByRole('link', { name: 'Ana Lisboa' }).waitFor();
      assert.equal(await rows.count(), 1);
      // The start of a word of the name finds the contact too.
      await page.getByLabel('Phone number').fill('');
      await page.getByLabel('Name', { exact: true }).fill('LISB');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/\/console\/contacts\?name=LISB$/);
      await page.getByRole('link', { name: 'Ana Lisboa' }).waitFor();
      assert.equal(await rows.count(), 1);
      await page.getByRole('link', { name: 'Ana Lisboa' }).click();

      await page.getByRole('heading', { level: 1, name: /Ana Lisboa/ }).waitFor();
      assert.equal(new URL(page.url()).pathname, `/console/contacts/${contact.id}`);
      const timeline = page.getByRole('list', { name: 'Timeline' });
      await timeline.getByText('Message from the contact (text)').waitFor();
      await timeline.getByText('Consent granted: marketing on whatsapp').waitFor();
      await timeline.getByText('Conversation opened').waitFor();
      const ledger = page.getByRole('table', { name: 'Consent ledger' });
      await ledger.getByText(/source web, by/).waitFor();
      assert.match((await ledger.textContent()) ?? '', /Send me offers/, 'the ledger shows the wording');
      await page.getByText('vip', { exact: true }).waitFor();
      assert.equal(await page.getByRole('definition').filter({ hasText: 'gold' }).count(), 1, 'the attribute is shown');
      await checkPage(page, 'contact', fx.dialect);

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download export (JSON)' }).click()]);
      assert.equal(download.suggestedFilename(), `contact-${contact.id}.json`);
      const exported = JSON.parse(readFileSync((await download.path())!, 'utf8'));
      assert.equal(exported.contact.id, contact.id);
      assert.equal(exported.contact.name, 'Ana Lisboa');

      await page.getByRole('button', { name: 'Erase contact…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Erase this contact?' });
      await dialog.waitFor();
      const confirm = dialog.getByRole('button', { name: 'Erase contact' });
      assert.equal(await confirm.isDisabled(), true, 'nothing typed: the erasure cannot be confirmed');
      await dialog.getByLabel('Type ERASE to confirm').fill('erase');
      assert.equal(await confirm.isDisabled(), true, 'the word must be typed exactly');
      await dialog.getByLabel('Type ERASE to confirm').fill('ERASE');
      await checkPage(page, 'contact-erase', fx.dialect);
      await confirm.click();
      await page.getByRole('heading', { level: 1, name: /Erased contact/ }).waitFor();
      await page.getByText(/This contact was erased on/).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Erase contact…' }).count(), 0, 'an erased contact offers no erasure');
      const erased = (await app.inject({ url: `/v1/contacts/${contact.id}`, headers: { authorization } })).json();
      assert.notEqual(erased.erasedAt, null);
      assert.equal(erased.name, null);

      await nav.getByRole('link', { name: 'Audit log' }).click();
      await page.getByRole('heading', { level: 1, name: 'Audit log' }).waitFor();
      const entries = page.getByRole('table', { name: 'Audit entries' });
      await entries.getByText('contact.erased').waitFor();
      await entries.getByText('contact.exported').waitFor();
      await page.getByLabel('Action').fill('contact.erased');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.waitForURL(/action=contact.erased/);
      await entries.getByText('contact.erased').waitFor();
      assert.equal(await entries.locator('tbody tr').count(), 1);
      await page.getByRole('button', { name: 'Verify chain' }).click();
      await page.getByRole('status').filter({ hasText: 'The chain is intact' }).waitFor();
      await checkPage(page, 'audit', fx.dialect);

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in to Parley' }).waitFor();

      // An agent reads contacts but not the audit log, and may neither export nor erase.
      await signIn(page, base, agent);
      await nav.getByRole('link', { name: 'Contacts' }).waitFor();
      assert.equal(await nav.getByRole('link', { name: 'Audit log' }).count(), 0);
      await page.goto(`${base}/console/contacts/${contact.id}`);
      await page.getByRole('heading', { level: 1, name: /Erased contact/ }).waitFor();
      assert.equal(await page.getByRole('button', { name: /Download export|Erase contact/ }).count(), 0);
      await page.close();
    });
  });
});
