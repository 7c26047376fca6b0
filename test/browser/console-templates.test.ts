import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { buildConsole, checkPage, signIn, skipBrowser, withBrowser } from './chromium.js';
import { describeStorage } from '../harness/storage.js';
import { webhookContext } from '../webhooks/helpers.js';
import { makeUser } from '../people/helpers.js';
import { FakeGraph } from '../templates/harness/fake-graph.js';
import { FIXTURE_WABA, ingestCloudWebhook, insertCloudSender, templateStatusPayload } from '../templates/harness/setup.js';
import { orderConfirmation } from '../templates/harness/api.js';
import { setTemplateSettings } from '../../src/templates/localisation/template-settings.js';

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sign in to Parley' }).waitFor();
}

describeStorage('template pages of the web console', (fx) => {
  const graph = new FakeGraph();
  before(async () => {
    buildConsole();
    await graph.start();
  });
  after(() => graph.stop());

  it('writes a template with live checks and a preview, shows missing translations and version changes, and lets each role review and submit as it may', { skip: skipBrowser }, async () => {
    const ctx = webhookContext(fx);
    const app = await fx.app(ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const { workspaceId } = await fx.workspace();
    await insertCloudSender(ctx, workspaceId, { baseUrl: graph.url, token: graph.token });
    await setTemplateSettings(fx.db, workspaceId, { requiredLanguages: ['en_US', 'es'] });
    const author = await makeUser(ctx, workspaceId, 'developer');
    const reviewer = await makeUser(ctx, workspaceId, 'admin');
    const reader = await makeUser(ctx, workspaceId, 'agent');

    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await signIn(page, base, author, '/console/');
      // A developer reads no conversations: the first page they may see is the templates.
      await page.getByRole('heading', { level: 1, name: 'Templates' }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/console/templates');
      await page.getByText('No templates yet.').waitFor();
      await checkPage(page, 'templates-empty', fx.dialect);

      await page.getByRole('link', { name: 'New template' }).click();
      await page.getByRole('heading', { level: 1, name: 'New template' }).waitFor();
      await page.getByLabel('Name').fill('order_update');
      assert.equal(await page.getByLabel('Language').inputValue(), 'en_US');
      const waba = page.getByLabel('WhatsApp Business Account');
      while ((await waba.inputValue()) === '') await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(await waba.inputValue(), FIXTURE_WABA, 'the WABA of the workspace’s sender is offered');

      // A body that starts with a placeholder: Meta rejects it, and the checks say so while typing.
      const body = page.getByLabel('Body', { exact: true });
      await body.fill('{{1}}, your order {{2}} has shipped.');
      const findings = page.getByRole('list', { name: 'Lint findings' });
      const edge = findings.locator('[data-rule-id="variable-at-edge"]');
      await edge.waitFor();
      assert.match((await edge.textContent()) ?? '', /Error\s*variable-at-edge/);
      assert.match((await edge.textContent()) ?? '', /Fix: Put some fixed text before the first placeholder/);
      assert.equal(await body.getAttribute('aria-invalid'), 'true', 'the body is marked as the field in error');
      await checkPage(page, 'template-new', fx.dialect);

      // A media header shows as a placeholder of its kind.
      await page.getByLabel('Header', { exact: true }).selectOption('IMAGE');
      const preview = page.getByRole('figure', { name: 'Preview of the message as WhatsApp shows it' });
      await preview.getByRole('img', { name: 'Image header' }).waitFor();
      await page.getByLabel('Header', { exact: true }).selectOption('NONE');
      await preview.getByRole('img', { name: 'Image header' }).waitFor({ state: 'detached' });

      await body.fill('Hi {{1}}, your order *{{2}}* has shipped. Thank you!');
      await page.getByLabel('{{1}}').fill('Asha');
      await page.getByLabel('{{2}}').fill('A123');
      await page.getByLabel('Footer (optional)').fill('Lucky Shrub');
      await page.getByRole('button', { name: 'Add a button' }).click();
      await page.getByLabel('Type').selectOption('URL');
      await page.getByLabel('Button text').fill('Track the parcel');
      await page.getByLabel(/^URL/).fill('https://shop.example.com/track/{{1}}');
      await page.getByLabel('Sample value for {{1}}').fill('A123');
      await edge.waitFor({ state: 'detached' });
      assert.equal(await body.getAttribute('aria-invalid'), null);
      await page.getByRole('status').filter({ hasText: 'No problems found' }).waitFor();

      // The preview: placeholders filled from the sample values, WhatsApp's *bold*, footer and button.
      assert.equal(await preview.locator('.wa-body').textContent(), 'Hi Asha, your order A123 has shipped. Thank you!');
      assert.equal(await preview.locator('.wa-body strong').textContent(), 'A123');
      assert.equal(await preview.locator('.wa-footer').textContent(), 'Lucky Shrub');
      assert.match((await preview.getByRole('list', { name: 'Buttons' }).textContent()) ?? '', /Track the parcel.*opens https:\/\/shop\.example\.com\/track\//);

      await page.getByRole('button', { name: 'Save as a draft' }).click();
      await page.getByRole('heading', { level: 1, name: 'order_update (en_US)' }).waitFor();
      assert.match(new URL(page.url()).pathname, /^\/console\/templates\/[^/]+$/);
      const templatePath = new URL(page.url()).pathname;

      // The locale matrix: Spanish is required and missing.
      const matrix = page.getByRole('table', { name: 'Languages of order_update' });
      const spanish = matrix.getByRole('row').filter({ hasText: 'Missing translation' });
      await spanish.waitFor();
      assert.match((await spanish.textContent()) ?? '', /^es/);
      assert.equal(await spanish.getByRole('link', { name: 'Translate into es' }).count(), 1);

      // An edit is version 2; the versions show what changed, word by word.
      await page.getByRole('status').filter({ hasText: 'No problems found' }).waitFor();
      await page.getByLabel('Body', { exact: true }).fill('Hi {{1}}, your order *{{2}}* has shipped today. Thank you!');
      await page.getByRole('button', { name: 'Save as version 2' }).click();
      await page.getByText('Saved as version 2.').waitFor();
      const diff = page.getByRole('list', { name: 'Changes from version 1 to version 2' });
      await diff.waitFor();
      assert.equal(await diff.locator('.diff-removed').textContent(), 'Removed: − Body: Hi {{1}}, your order *{{2}}* has shipped. Thank you!');
      assert.equal(await diff.locator('.diff-added').textContent(), 'Added: + Body: Hi {{1}}, your order *{{2}}* has shipped today. Thank you!');
      assert.deepEqual(await diff.locator('.diff-added ins').allTextContents(), [' today'], 'the added word is marked');
      assert.equal(await diff.locator('.diff-removed del').count(), 0, 'no word was removed');

      // The author may not approve their own version.
      const approve = page.getByRole('button', { name: 'Approve version 2' });
      assert.equal(await approve.isDisabled(), true);
      assert.equal(await page.getByRole('button', { name: /Submit version/ }).count(), 0, 'a draft is not submitted');
      await checkPage(page, 'template', fx.dialect);

      await page.getByRole('link', { name: 'All templates' }).click();
      // The list may show its cached page (version 1) for a moment while it reads the saved one again.
      const row = page.getByRole('row').filter({ hasText: 'order_update' }).filter({ hasText: 'latest v2' });
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /order_update\s*en_US\s*Utility\s*Draft\s*Not rated yet\s*none live, latest v2/);
      await checkPage(page, 'templates', fx.dialect);
      await signOut(page);

      // An agent reads templates: no form, no review, no submission, no translating.
      await signIn(page, base, reader, templatePath);
      await page.getByRole('heading', { level: 1, name: 'order_update (en_US)' }).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Version 2' }).waitFor();
      assert.equal(await page.getByRole('heading', { name: 'Edit' }).count(), 0);
      assert.equal(await page.getByRole('button', { name: /Approve|Request changes|Submit/ }).count(), 0);
      assert.equal(await page.getByRole('link', { name: /Translate into/ }).count(), 0);
      await page.getByText('Your role does not review templates').waitFor();
      await checkPage(page, 'template-read-only', fx.dialect);
      await signOut(page);

      // Someone else approves, then submits to the provider.
      await signIn(page, base, reviewer, templatePath);
      await page.getByRole('button', { name: 'Approve version 2' }).click();
      await page.getByText('Version 2 is approved inside Parley').waitFor();
      assert.equal(graph.requests.filter((r) => r.method === 'POST').length, 0, 'approval alone sends nothing to the provider');
      await page.getByRole('button', { name: 'Submit version 2 to WhatsApp' }).click();
      await page.getByText('Version 2 is submitted').waitFor();
      const created = graph.requests.filter((r) => r.method === 'POST');
      assert.equal(created.length, 1);
      assert.equal((created[0]!.body as { name: string }).name, 'order_update');
      assert.match((await page.locator('.facts').textContent()) ?? '', /Pending/);
      await checkPage(page, 'template-submitted', fx.dialect);

      // The missing translation, started from the English one.
      await page.getByRole('link', { name: 'Translate into es' }).click();
      await page.getByRole('heading', { level: 1, name: 'Translate order_update' }).waitFor();
      assert.equal(await page.getByLabel('Name').inputValue(), 'order_update');
      assert.equal(await page.getByLabel('Language').inputValue(), 'es');
      assert.equal(await page.getByLabel('Body', { exact: true }).inputValue(), 'Hi {{1}}, your order *{{2}}* has shipped today. Thank you!');
      await page.getByLabel('Body', { exact: true }).fill('Hola {{1}}, tu pedido *{{2}}* salió hoy. ¡Gracias!');
      await page.getByLabel('Button text').fill('Seguir el paquete');
      await page.getByRole('status').filter({ hasText: 'No problems found' }).waitFor();
      await checkPage(page, 'template-translate', fx.dialect);
      // A refused save shows the API's words and hint, and keeps what was typed.
      await page.getByLabel('Language').fill('en_US');
      await page.getByRole('button', { name: 'Save as a draft' }).click();
      const refusal = page.getByRole('alert');
      await refusal.waitFor();
      assert.match((await refusal.textContent()) ?? '', /already exists.*choose another name or language/);
      assert.equal(await page.getByLabel('Body', { exact: true }).inputValue(), 'Hola {{1}}, tu pedido *{{2}}* salió hoy. ¡Gracias!');
      await page.getByLabel('Language').fill('es');
      await page.getByRole('button', { name: 'Save as a draft' }).click();
      await page.getByRole('heading', { level: 1, name: 'order_update (es)' }).waitFor();
      // Its author may still send their own draft back, with a note.
      await page.getByLabel('Note for the author (optional)').fill('Check the accent on salió');
      await page.getByRole('button', { name: 'Request changes' }).click();
      await page.getByText('Version 1 was sent back with changes requested.').waitFor();
      await page.getByText('Review note: Check the accent on salió').waitFor();
      await page.getByRole('table', { name: 'Languages of order_update' }).getByRole('link', { name: 'en_US' }).waitFor();
      assert.equal(await page.getByText('Missing translation').count(), 0, 'no required language is missing any more');

      // The list by language, and a sync with the provider.
      await page.getByRole('link', { name: 'All templates' }).click();
      const rows = page.getByRole('table', { name: 'Templates by name and language' }).locator('tbody tr');
      await rows.nth(1).waitFor();
      await page.getByLabel('Language').selectOption('es');
      await rows.nth(1).waitFor({ state: 'detached' });
      assert.match((await rows.first().textContent()) ?? '', /order_update\s*es\s*Utility\s*Draft/);
      await page.getByRole('button', { name: 'Sync with WhatsApp' }).click();
      await page.getByRole('status').filter({ hasText: `${FIXTURE_WABA}:` }).waitFor();
      assert.match((await page.getByRole('status').filter({ hasText: `${FIXTURE_WABA}:` }).textContent()) ?? '', /\d+ checked, \d+ updated, \d+ imported/);
      assert.ok(graph.requests.some((r) => r.method === 'GET' && r.path.endsWith(`/${FIXTURE_WABA}/message_templates`)), 'the sync asked the provider');
      await checkPage(page, 'templates-synced', fx.dialect);
      await page.close();
    });
  });

  // Issue 17: the provider's verdict and quality rating show on the templates pages as their webhooks
  // arrive (the live stream's template.changed), with no reload: a developer, who reads no conversations.
  it('shows a template\'s provider status and quality as their webhooks arrive, without a reload', { skip: skipBrowser }, async () => {
    const ctx = webhookContext(fx);
    const app = await fx.app(ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const { workspaceId, authorization } = await fx.workspace();
    await insertCloudSender(ctx, workspaceId, { baseUrl: graph.url, token: graph.token });
    const name = 'live_status_update';
    const created = await app.inject({ method: 'POST', url: '/v1/templates', headers: { authorization }, payload: orderConfirmation({ name }) });
    assert.equal(created.statusCode, 201, created.body);
    const developer = await makeUser(ctx, workspaceId, 'developer');
    // Meta's fixtures, renamed to this template, signed and posted to Parley's webhook endpoint, then processed.
    const fact = (fixture: string, value: Record<string, unknown> = {}) =>
      ingestCloudWebhook(app, ctx, templateStatusPayload(fixture, { value: { message_template_name: name, message_template_language: 'en_US', message_template_id: 990000000000017, ...value } }));

    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await signIn(page, base, developer, '/console/');
      await page.getByRole('heading', { level: 1, name: 'Templates' }).waitFor();
      const row = page.getByRole('row').filter({ hasText: name });
      await row.waitFor();
      assert.match((await row.textContent()) ?? '', /Draft\s*Not rated yet/);
      // A mark on this document: a reload would lose it.
      await page.evaluate(() => Object.assign(globalThis, { sameDocument: true }));

      await fact('cloud-template-status-approved.json');
      await row.getByText('Approved').waitFor({ timeout: 10_000 });
      await fact('cloud-template-quality-update.json', { previous_quality_score: 'UNKNOWN', new_quality_score: 'YELLOW' });
      await row.getByText('Medium').waitFor({ timeout: 10_000 });
      await checkPage(page, 'templates-live-status', fx.dialect);

      // The template's own page follows too.
      await row.getByRole('link', { name }).click();
      await page.getByRole('heading', { level: 1, name: `${name} (en_US)` }).waitFor();
      const facts = page.locator('.facts');
      await facts.getByText('Medium').waitFor();
      await fact('cloud-template-quality-update.json', { previous_quality_score: 'YELLOW', new_quality_score: 'GREEN' });
      await facts.getByText('High').waitFor({ timeout: 10_000 });
      assert.equal(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument), true, 'no page was loaded again');
      await page.close();
    });
  });
});
