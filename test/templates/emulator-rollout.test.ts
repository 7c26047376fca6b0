import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { describeStorage } from '../harness/storage.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import { WebhookProcessor } from '../../src/webhooks/processor.js';
import { findOrCreateContactByPhone } from '../../src/contacts/contact-queries.js';
import { resolveIntent } from '../../src/templates/index.js';
import { checkRollouts } from '../../src/templates/variants/rollout-guard.js';
import { APP_SECRET } from '../webhooks/helpers.js';
import { api } from './harness/api.js';
import { insertCloudSender, secondKey } from './harness/setup.js';
import { recordSend } from './harness/seed.js';
import { applyPendingStatuses } from '../../src/webhooks/pending-statuses.js';
import { STATUS_RANK } from '../../src/messages/status.js';
import { providerIdHash, sealProviderId } from '../../src/messages/provider-ids.js';
import { waitFor } from './harness/wait.js';

// A canary rollout against the emulator with webhook ingestion and the consent module running: sends
// reach simulated customers, statuses come back as signed webhooks, and customers with the emulator's
// "stopper" persona answer STOP, which becomes an opt-out of the variant they received. The send itself
// is made by the test (resolveIntent, then the Cloud API call, then the `messages` row the outbound
// pipeline records), because the pipeline does not take intents yet.
describeStorage('a canary rollout against the emulator', (fx) => {
  let emulator: RunningEmulator;
  let processor: WebhookProcessor;
  let ctx: ParleyContext;

  before(async () => {
    ctx = fx.context({ whatsappAppSecrets: APP_SECRET });
    const app = await fx.app(ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    processor = new WebhookProcessor(ctx);
    processor.start();
    emulator = await startEmulator({
      cloudWebhookUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/webhooks/whatsapp/cloud`,
      appSecret: APP_SECRET,
      seed: 11,
      // No reads: when the guard runs, some reads would still be on their way, and the read-rate
      // guardrail would judge the variants on timing rather than on their opt-outs.
      config: { behaviour: { templateReview: { delayMs: 20 }, deliveredRate: 1, readRate: 0 }, personas: { stopper: { stopMarketingShare: 1, replyDelayMs: [20, 80] } } },
    });
  });
  after(async () => {
    await emulator?.close();
    await processor?.stop();
  });

  const emu = async (method: 'POST' | 'PUT', path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await request(`${emulator.info.url}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const json = (await res.body.json()) as any;
    assert.ok(res.statusCode < 300, `${path}: ${JSON.stringify(json)}`);
    return json;
  };

  it('advances through its stages, then halts the variant whose recipients opt out', { timeout: 120_000 }, async () => {
    const ws = await fx.workspace(['admin']);
    const senderId = await insertCloudSender(ctx, ws.workspaceId, { baseUrl: emulator.info.url, token: emulator.info.accessToken, wabaId: emulator.info.wabaId, graphVersion: 'v23.0', phoneNumberId: emulator.info.phoneNumberIds[0] });
    const app = await fx.app(ctx);
    const author = api(app, ws.authorization);
    const reviewer = api(app, await secondKey(fx, ws.workspaceId));

    for (const [name, lead] of [['spring_a', 'Hi'], ['spring_b', 'Hey']]) {
      const { template } = await author.ok('POST', '/v1/templates', {
        wabaId: emulator.info.wabaId, name, language: 'en_US', category: 'MARKETING',
        components: [{ type: 'BODY', text: `${lead} {{1}}, spring prices are in this week.`, example: { body_text: [['Asha']] } }, { type: 'FOOTER', text: 'Reply STOP to opt out' }],
      }, 201);
      await reviewer.ok('POST', `/v1/templates/${template.id}/versions/1/approve`, {});
      await author.ok('POST', `/v1/templates/${template.id}/versions/1/submit`, {});
      await waitFor(`${name} approved`, async () => (await author.ok('GET', `/v1/templates/${template.id}`)).template.status === 'APPROVED');
    }
    await author.ok('POST', '/v1/intents', { name: 'spring_promo', template: { name: 'spring_a', body: ['name'] } }, 201);
    await author.ok('POST', '/v1/intents/spring_promo/variants', { name: 'control', weight: 100 }, 201);
    const bold = await author.ok('POST', '/v1/intents/spring_promo/variants', { name: 'bold', weight: 0, template: { name: 'spring_b', body: ['name'] } }, 201);
    await author.ok('POST', '/v1/intents/spring_promo/rollouts', {
      variantId: bold.id,
      stages: [{ percent: 30, minMessages: 3 }, { percent: 60, minMessages: 3 }, { percent: 100 }],
      guardrails: { minSample: 5, maxOptOutRateIncrease: 0.2 },
    }, 201);

    /** Sends the intent to new customers; `persona` picks each one's emulator persona from its variant. */
    const sendTo = async (from: number, count: number, persona: (variant: string) => string | null) => {
      const sent: Array<{ messageId: string; variant: string; contactId: string }> = [];
      for (let i = from; i < from + count; i++) {
        const phone = `1555010${String(i).padStart(4, '0')}`;
        const contact = await findOrCreateContactByPhone(ctx.db, ctx.keyring, ws.workspaceId, `+${phone}`);
        const r = await resolveIntent(ctx, { workspaceId: ws.workspaceId, senderId, contactId: contact.id, contactLanguage: 'en_US', intent: 'spring_promo', params: { name: 'Asha' }, windowOpen: false });
        assert.ok(r.kind === 'template' && r.variant);
        await emu('PUT', `/_emulator/customers/${phone}`, { persona: persona(r.variant.name) });
        // As the pipeline does: the message is stored first, its id travels in biz_opaque_callback_data.
        const messageId = await recordSend(ctx, { workspaceId: ws.workspaceId, senderId, contactId: contact.id, intent: 'spring_promo', templateName: r.name, language: r.language, variantId: r.variant.id, status: 'sending' });
        const accepted = await emu('POST', '/v23.0/106540352242922/messages', { messaging_product: 'whatsapp', to: phone, type: 'template', template: r.template, biz_opaque_callback_data: messageId }, { authorization: `Bearer ${emulator.info.accessToken}` });
        const wamid = accepted.messages[0].id as string;
        const hash = providerIdHash(ctx.keyring, wamid);
        await ctx.db.updateTable('messages').set({ provider_id_hash: hash, provider_id_sealed: await sealProviderId(ctx.keyring, ws.workspaceId, wamid), status: 'accepted', status_rank: STATUS_RANK.accepted }).where('id', '=', messageId).execute();
        await applyPendingStatuses(ctx, [hash]);
        sent.push({ messageId, variant: r.variant.name, contactId: contact.id });
      }
      await waitFor('delivery statuses by webhook', async () => {
        const rows = await ctx.db.selectFrom('messages').select('status').where('id', 'in', sent.map((s) => s.messageId)).execute();
        return rows.every((row) => row.status === 'delivered' || row.status === 'read');
      }).catch(async (error) => {
        const rows = await ctx.db.selectFrom('messages').select(['status']).where('id', 'in', sent.map((s) => s.messageId)).execute();
        const log = await ctx.db.selectFrom('webhook_log').select(['state', 'error']).execute();
        const pending = await ctx.db.selectFrom('pending_statuses').select('item').execute();
        throw new Error(`${error.message}: ${JSON.stringify({ statuses: rows.map((r) => r.status), log: log.slice(-5), pending: pending.length })}`);
      });
      return sent;
    };

    const first = await sendTo(0, 50, () => null);
    assert.ok(first.filter((s) => s.variant === 'bold').length >= 3, 'the canary got its stage-1 share');
    assert.deepEqual((await checkRollouts(ctx)).map((r) => r.action), ['advance']);
    assert.equal((await author.ok('GET', '/v1/intents/spring_promo/rollouts')).data[0].currentPercent, 60);

    // The canary's recipients in this stage answer STOP; the control's do not.
    const second = await sendTo(50, 30, (variant) => (variant === 'bold' ? 'stopper' : null));
    const stoppers = second.filter((s) => s.variant === 'bold');
    assert.ok(stoppers.length >= 5, `enough canary sends to judge (${stoppers.length})`);
    await waitFor('the STOP replies to count against the canary', async () => {
      const rows = await ctx.db.selectFrom('variant_optouts').select('contact_id').where('variant_id', '=', bold.id).execute();
      return rows.length === stoppers.length;
    });
    const ledger = await ctx.db.selectFrom('consent_records').select(['contact_id', 'status']).where('contact_id', '=', stoppers[0].contactId).execute();
    assert.ok(ledger.some((r) => r.status === 'withdrawn'), 'the consent module recorded the opt-out too');

    const [halt] = await checkRollouts(ctx);
    assert.equal(halt.action, 'halt');
    assert.equal((await author.ok('GET', '/v1/intents/spring_promo/rollouts')).data[0].state, 'halted');
    const alert = (await author.ok('GET', '/v1/templates/alerts?type=variant.halted')).data[0];
    assert.equal(alert.data.variant, 'bold');
    const results = (await author.ok('GET', '/v1/intents/spring_promo/results')).data;
    assert.equal(results.find((r: { name: string }) => r.name === 'bold').counts.optedOut, stoppers.length);
    assert.equal(results.find((r: { name: string }) => r.name === 'control').counts.optedOut, 0);
  });
});
