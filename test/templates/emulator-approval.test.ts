import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import { describeStorage } from '../harness/storage.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import type { ParleyApp } from '../../src/http/types.js';
import type { OutboundDraft } from '../../src/outbound/gates/gate.js';
import { checkTemplateUsable, resolveIntent, templateGate } from '../../src/templates/index.js';
import { reconcileAll } from '../../src/templates/sync/reconcile.js';
import { api } from './harness/api.js';
import { insertCloudSender, secondKey } from './harness/setup.js';
import { WebhookProcessor } from '../../src/webhooks/processor.js';
import { APP_SECRET } from '../webhooks/helpers.js';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { SECOND } from '../../src/shared/time.js';
import { waitFor } from './harness/wait.js';

// Against the real emulator (src/emulator/): its template endpoints with a review step, its signed status
// webhooks posted to Parley's webhook endpoint and processed by webhook ingestion (src/webhooks/, its
// processor running as in `parley start`), and its control API for pauses.
describeStorage('templates against the emulator', (fx) => {
  let emulator: RunningEmulator;
  let processor: WebhookProcessor;
  let ctx: ParleyContext;
  let app: ParleyApp;
  let workspaceId: string;
  let senderId: string;
  let author: ReturnType<typeof api>;
  let reviewer: ReturnType<typeof api>;

  before(async () => {
    ctx = fx.context({ whatsappAppSecrets: APP_SECRET });
    app = await fx.app(ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as AddressInfo;
    processor = new WebhookProcessor(ctx);
    processor.start();
    emulator = await startEmulator({ cloudWebhookUrl: `http://127.0.0.1:${port}/webhooks/whatsapp/cloud`, appSecret: APP_SECRET, config: { behaviour: { templateReview: { delayMs: 20 } } }, seed: 7 });
    const ws = await fx.workspace(['admin']);
    workspaceId = ws.workspaceId;
    senderId = await insertCloudSender(ctx, workspaceId, { baseUrl: emulator.info.url, token: emulator.info.accessToken, wabaId: emulator.info.wabaId, graphVersion: 'v23.0', phoneNumberId: emulator.info.phoneNumberIds[0] });
    author = api(app, ws.authorization);
    reviewer = api(app, await secondKey(fx, workspaceId));
  });
  after(async () => {
    await emulator?.close();
    await processor?.stop();
  });

  const body = (text: string, example: string[]) => ({ type: 'BODY', text, example: { body_text: [example] } });

  /** Creates, reviews and submits a template; resolves once the emulator's verdict reached Parley. */
  async function submitted(name: string, components: unknown[], category = 'UTILITY') {
    const { template } = await author.ok('POST', '/v1/templates', { wabaId: emulator.info.wabaId, name, language: 'en_US', category, components }, 201);
    await reviewer.ok('POST', `/v1/templates/${template.id}/versions/1/approve`, {});
    const sent = await author.ok('POST', `/v1/templates/${template.id}/versions/1/submit`, { acknowledgedWarnings: ['marketing-opt-out-hint'] });
    assert.equal(sent.template.status, 'PENDING');
    return waitFor(`the review verdict for ${name}`, async () => {
      const shown = await author.ok('GET', `/v1/templates/${template.id}`);
      return shown.template.status !== 'PENDING' && shown;
    });
  }

  it('submit → the emulator’s review approves → its status webhook makes the version live', async () => {
    const shown = await submitted('delivery_update', [body('Hi {{1}}, your parcel {{2}} arrives today.', ['Asha', 'P1'])]);
    assert.equal(shown.template.status, 'APPROVED');
    assert.equal(shown.template.sendable, true);
    assert.equal(shown.template.liveVersion, 1);
    assert.ok(shown.template.providerTemplateId);
    assert.deepEqual(shown.statusHistory.map((h: { source: string; status: string }) => `${h.source}:${h.status}`), ['submit:PENDING', 'webhook:APPROVED']);
    const failed = await ctx.db.selectFrom('webhook_log').select('error').where('state', '=', 'failed').execute();
    assert.deepEqual(failed, [], 'every webhook was processed');
    const usable = await checkTemplateUsable(ctx, { workspaceId, senderId, name: 'delivery_update', language: 'en_US', parameterCount: 2 });
    assert.equal(usable.outcome, 'usable');
  });

  it('submit → the emulator’s review rejects → the reason is stored and an alert raised', async () => {
    const shown = await submitted('promo_reject_me', [body('Hi {{1}}, our new range is in store.', ['Asha']), { type: 'FOOTER', text: 'Reply STOP to opt out' }], 'MARKETING');
    assert.equal(shown.template.status, 'REJECTED');
    assert.deepEqual(shown.template.rejection, { reason: 'ABUSIVE_CONTENT', info: null });
    assert.equal(shown.latestVersion.state, 'rejected');
    assert.equal(shown.latestVersion.providerReason, 'ABUSIVE_CONTENT');
    const alerts = (await author.ok('GET', '/v1/templates/alerts?type=template.rejected')).data;
    assert.ok(alerts.some((a: { templateId: string }) => a.templateId === shown.template.id));
  });

  it('a pause announced by the emulator reroutes sends to the backup template, raises an alert, and ends with the unpause', async () => {
    const components = (lead: string) => [body(`${lead} {{1}}, order {{2}} is on its way.`, ['Asha', 'A1'])];
    const main = await submitted('ship_notice', components('Hi'));
    const backup = await submitted('ship_notice_backup', components('Hello'));
    assert.equal(backup.template.status, 'APPROVED');
    await author.ok('PUT', `/v1/templates/${main.template.id}/backup`, { backup: { kind: 'template', name: 'ship_notice_backup' } });
    await author.ok('POST', '/v1/intents', { name: 'order_shipped', text: 'Order {{order_id}} shipped!', template: { name: 'ship_notice', body: ['customer', 'order_id'] } }, 201);
    const intentInput = { workspaceId, senderId, contactId: 'ct_1', contactLanguage: 'en_US', intent: 'order_shipped', params: { customer: 'Asha', order_id: 'A1' }, windowOpen: false };
    const draft: OutboundDraft = { workspaceId, senderId, provider: 'cloud', contactId: 'ct_1', to: '+16505551234', lane: 'transactional', type: 'template', template: { name: 'ship_notice', language: 'en_US' }, purpose: 'utility', channel: 'whatsapp', createdAt: Date.now() };
    assert.equal(templateGate.decide(draft, await templateGate.load(ctx, draft), Date.now()).outcome, 'pass');

    const paused = await request(`${emulator.info.url}/_emulator/templates/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ship_notice', language: 'en_US', status: 'PAUSED' }) });
    assert.equal(paused.statusCode, 200);
    await paused.body.dump();
    await waitFor('the pause to reach Parley', async () => (await author.ok('GET', `/v1/templates/${main.template.id}`)).template.status === 'PAUSED');

    const verdict = templateGate.decide(draft, await templateGate.load(ctx, draft), Date.now());
    assert.deepEqual(verdict, { outcome: 'reroute', to: { kind: 'template', template: { name: 'ship_notice_backup', language: 'en_US' } }, code: 'template_paused', reason: 'ship_notice (en_US) is PAUSED; rerouting to the backup template ship_notice_backup (en_US)' });
    const resolved = await resolveIntent(ctx, intentInput);
    assert.equal(resolved.kind, 'template');
    assert.ok(resolved.kind === 'template');
    assert.equal(resolved.name, 'ship_notice_backup');
    assert.equal(resolved.decision.reroute?.code, 'template_paused');

    // At the provider: the paused template is refused (132015), the rerouted one is accepted.
    const send = (template: unknown) =>
      request(`${emulator.info.url}/v23.0/106540352242922/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${emulator.info.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ messaging_product: 'whatsapp', to: '16505551234', type: 'template', template }),
      });
    const refused = await send({ ...resolved.template, name: 'ship_notice' });
    assert.equal(((await refused.body.json()) as { error: { code: number } }).error.code, 132015);
    const accepted = await send(resolved.template);
    assert.equal(accepted.statusCode, 200, JSON.stringify(await accepted.body.json()));

    const alert = (await author.ok('GET', '/v1/templates/alerts?type=template.paused')).data.find((a: { templateId: string }) => a.templateId === main.template.id);
    assert.ok(alert, 'a template.paused alert was raised');
    assert.deepEqual(alert.data.backup, { kind: 'template', name: 'ship_notice_backup', language: 'en_US' });
    assert.equal(alert.data.detail.otherInfo.title, 'FIRST_PAUSE');

    // Meta stamps webhooks in whole seconds, and ingestion treats the same event for the same template in
    // the same second as a redelivery: let the unpause's APPROVED fall in a later second than the review's.
    await delay(SECOND - (Date.now() % SECOND) + 10);
    const unpaused = await request(`${emulator.info.url}/_emulator/templates/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'ship_notice', language: 'en_US', status: 'APPROVED' }) });
    await unpaused.body.dump();
    await waitFor('the unpause to reach Parley', async () => (await author.ok('GET', `/v1/templates/${main.template.id}`)).template.status === 'APPROVED');
    assert.equal(templateGate.decide(draft, await templateGate.load(ctx, draft), Date.now()).outcome, 'pass');
    assert.ok((await author.ok('GET', '/v1/templates/alerts?type=template.reinstated')).data.some((a: { templateId: string }) => a.templateId === main.template.id));
  });

  it('the reconciliation poll catches a status whose webhook was lost, and imports templates created outside Parley', async () => {
    const shown = await submitted('poll_me', [body('Hi {{1}}, your appointment is confirmed.', ['Asha'])]);
    assert.equal(shown.template.status, 'APPROVED');
    emulator.core.config.faults.webhookOutage = true;
    try {
      const res = await request(`${emulator.info.url}/_emulator/templates/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'poll_me', language: 'en_US', status: 'DISABLED' }) });
      await res.body.dump();
      assert.equal((await author.ok('GET', `/v1/templates/${shown.template.id}`)).template.status, 'APPROVED', 'the webhook did not arrive');
      const reports = await reconcileAll(ctx, { workspaceId });
      assert.equal(reports.length, 1);
      assert.equal(reports[0].error, undefined);
      assert.ok(reports[0].imported >= 12, `the emulator's seeded templates are imported (${reports[0].imported})`);
    } finally {
      emulator.core.config.faults.webhookOutage = false;
    }
    const after = await author.ok('GET', `/v1/templates/${shown.template.id}`);
    assert.equal(after.template.status, 'DISABLED');
    assert.equal(after.statusHistory.at(-1).source, 'poll');
    assert.ok((await author.ok('GET', '/v1/templates/alerts?type=template.disabled')).data.some((a: { templateId: string }) => a.templateId === shown.template.id));

    const imported = (await author.ok('GET', '/v1/templates?name=order_update')).data;
    assert.deepEqual(imported.map((t: { language: string }) => t.language).sort(), ['en_US', 'es', 'pt_BR']);
    assert.ok(imported.every((t: { status: string; sendable: boolean; liveVersion: number }) => t.status === 'APPROVED' && t.sendable && t.liveVersion === 1));
    const again = await reconcileAll(ctx, { workspaceId });
    assert.deepEqual([again[0].imported, again[0].updated], [0, 0], 'a second poll finds everything in step');
  });
});
