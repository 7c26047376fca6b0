import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { resolveIntent } from '../../src/templates/index.js';
import { applyProviderFact } from '../../src/templates/status/apply-provider-fact.js';
import { getTemplate } from '../../src/templates/store/template-queries.js';
import { api } from './harness/api.js';
import { insertCloudSender, insertUltraMsgSender } from './harness/setup.js';
import { liveTemplate } from './harness/seed.js';

const WABA = 'waba_intents';
const shippedBody = (lead: string) => [
  { type: 'HEADER' as const, format: 'TEXT' as const, text: `${lead} {{1}}`, example: { header_text: ['A1'] } },
  { type: 'BODY' as const, text: `${lead}: {{1}}, your order {{2}} ships {{3}}. Thanks!`, example: { body_text: [['Asha', 'A1', 'today']] } },
  { type: 'BUTTONS' as const, buttons: [{ type: 'URL' as const, text: 'Track', url: 'https://example.com/t/{{1}}', example: ['https://example.com/t/A1'] }] },
];

// Intent sending (M1.2): text in an open window, the template per language when closed, backups, variants.
describeStorage('intent resolution', (fx) => {
  async function setUp() {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const ws = await fx.workspace(['admin']);
    const senderId = await insertCloudSender(ctx, ws.workspaceId, { baseUrl: 'http://127.0.0.1:9', token: 't', wabaId: WABA });
    const client = api(app, ws.authorization);
    for (const language of ['en_US', 'pt_BR', 'pt']) await liveTemplate(ctx, ws.workspaceId, { wabaId: WABA, name: 'order_shipped', language, components: shippedBody(language) });
    await client.ok('POST', '/v1/intents', {
      name: 'order_shipped',
      description: 'An order left the warehouse',
      text: 'Hi {{customer}}, order {{order_id}} is on its way: {{tracking}}',
      template: { name: 'order_shipped', header: 'order_id', body: ['customer', 'order_id', 'when'], buttons: { '0': 'order_id' } },
    }, 201);
    const input = { workspaceId: ws.workspaceId, senderId, contactId: 'ct_a', contactLanguage: 'pt_BR', intent: 'order_shipped', params: { customer: 'Ana', order_id: 'A9', when: 'hoje', tracking: 'https://example.com/t/A9' }, windowOpen: false };
    return { ctx, ws, senderId, client, input };
  }

  it('sends the text while the 24-hour window is open', async () => {
    const { ctx, input } = await setUp();
    const result = await resolveIntent(ctx, { ...input, windowOpen: true });
    assert.deepEqual(result, { kind: 'text', body: 'Hi Ana, order A9 is on its way: https://example.com/t/A9', decision: { intent: 'order_shipped', windowOpen: true, variant: null, steps: ['the 24-hour window is open: free-form text'] } });
    const missing = await resolveIntent(ctx, { ...input, windowOpen: true, params: { customer: 'Ana' } });
    assert.deepEqual(missing.kind === 'unavailable' && [missing.code, missing.reason], ['intent_parameters_missing', 'The intent text needs order_id, tracking.']);
  });

  it('sends the template in the contact’s language when the window is closed, rendered to the exact send shape, and logs why', async () => {
    const { ctx, input } = await setUp();
    const result = await resolveIntent(ctx, input);
    assert.equal(result.kind, 'template');
    assert.ok(result.kind === 'template');
    assert.equal(result.language, 'pt_BR');
    assert.deepEqual(result.template, {
      name: 'order_shipped',
      language: { code: 'pt_BR' },
      components: [
        { type: 'header', parameters: [{ type: 'text', text: 'A9' }] },
        { type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: 'A9' }, { type: 'text', text: 'hoje' }] },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A9' }] },
      ],
    });
    assert.deepEqual(result.ultramsg, { endpoint: 'messages/chat', body: 'pt_BR A9\n\npt_BR: Ana, your order A9 ships hoje. Thanks!\n\nTrack: https://example.com/t/A9' });
    assert.deepEqual(result.decision.language, { contact: 'pt_BR', chosen: 'pt_BR', rule: 'exact', why: "the contact's language pt_BR is available" });
    assert.match(result.decision.steps.join('\n'), /window is closed: template order_shipped\nlanguage pt_BR \(exact\)/);

    const base = await resolveIntent(ctx, { ...input, contactLanguage: 'pt_PT' });
    assert.deepEqual(base.kind === 'template' && [base.language, base.decision.language?.rule], ['pt', 'base']);
    const none = await resolveIntent(ctx, { ...input, contactLanguage: 'de' });
    assert.deepEqual(none.kind === 'unavailable' && none.code, 'template_not_live', 'no fallback configured, several translations: nothing fits');
  });

  it('uses the workspace fallback language, and shows the localisation matrix with missing languages flagged', async () => {
    const { ctx, client, input } = await setUp();
    await client.fails('PUT', '/v1/templates/settings', { fallbackLanguage: 'not a language' }, 400, 'TEMPLATE_SETTINGS_INVALID');
    const settings = await client.ok('PUT', '/v1/templates/settings', { requiredLanguages: ['en-US', 'pt_BR', 'es'], fallbackLanguage: 'en_US' });
    assert.deepEqual(settings, { requiredLanguages: ['en_US', 'pt_BR', 'es'], fallbackLanguage: 'en_US' });
    const result = await resolveIntent(ctx, { ...input, contactLanguage: 'de_DE' });
    assert.deepEqual(result.kind === 'template' && [result.language, result.decision.language?.rule], ['en_US', 'fallback']);

    const matrix = await client.ok('GET', '/v1/templates/matrix');
    assert.deepEqual(matrix.requiredLanguages, ['en_US', 'pt_BR', 'es']);
    const row = matrix.templates.find((t: { name: string }) => t.name === 'order_shipped');
    assert.deepEqual(row.languages.map((l: { language: string; sendable: boolean }) => `${l.language}:${l.sendable}`), ['en_US:true', 'pt:true', 'pt_BR:true']);
    assert.deepEqual(row.missing, ['es']);
  });

  it('when the contact’s translation is paused it goes to its backup template, or the best sendable translation, or a backup channel', async () => {
    const { ctx, ws, client, input } = await setUp();
    await client.ok('PUT', '/v1/templates/settings', { fallbackLanguage: 'en_US' });
    const ptBr = (await client.ok('GET', '/v1/templates?name=order_shipped&language=pt_BR')).data[0];
    const backup = await liveTemplate(ctx, ws.workspaceId, { wabaId: WABA, name: 'order_shipped_alt', language: 'pt_BR', components: shippedBody('alt') });
    await client.ok('PUT', `/v1/templates/${ptBr.id}/backup`, { backup: { kind: 'template', name: backup.name } });
    await applyProviderFact(ctx, (await getTemplate(ctx.db, ws.workspaceId, ptBr.id))!, { event: 'PAUSED', detail: {}, at: Date.now() + 1000, source: 'webhook' });
    const rerouted = await resolveIntent(ctx, input);
    assert.deepEqual(rerouted.kind === 'template' && [rerouted.name, rerouted.language, rerouted.decision.reroute?.code], ['order_shipped_alt', 'pt_BR', 'template_paused']);

    await client.ok('PUT', `/v1/templates/${ptBr.id}/backup`, { backup: null });
    const instead = await resolveIntent(ctx, input);
    assert.ok(instead.kind === 'template');
    assert.equal(instead.language, 'pt', 'the best sendable translation: the base language');
    assert.match(instead.decision.steps.join('\n'), /order_shipped \(pt_BR\) is PAUSED and no backup is configured\ninstead language pt \(base\)/);

    await client.ok('PUT', `/v1/templates/${ptBr.id}/backup`, { backup: { kind: 'channel', channel: 'sms' } });
    const channel = await resolveIntent(ctx, input);
    assert.deepEqual(channel.kind === 'unavailable' && [channel.code, channel.fallbackChannel], ['template_paused', 'sms']);
  });

  it('refuses a backup that is the template itself, unknown, or takes other parameters', async () => {
    const { ctx, ws, client } = await setUp();
    const en = (await client.ok('GET', '/v1/templates?name=order_shipped&language=en_US')).data[0];
    await client.fails('PUT', `/v1/templates/${en.id}/backup`, { backup: { kind: 'template', name: 'order_shipped' } }, 400, 'TEMPLATE_BACKUP_INVALID');
    await client.fails('PUT', `/v1/templates/${en.id}/backup`, { backup: { kind: 'template', name: 'nope' } }, 400, 'TEMPLATE_BACKUP_INVALID');
    await liveTemplate(ctx, ws.workspaceId, { wabaId: WABA, name: 'short_one', language: 'en_US', components: [{ type: 'BODY', text: 'Your order {{1}} shipped.', example: { body_text: [['A1']] } }] });
    const mismatch = await client.fails('PUT', `/v1/templates/${en.id}/backup`, { backup: { kind: 'template', name: 'short_one' } }, 400, 'TEMPLATE_BACKUP_INVALID');
    assert.match(mismatch.message, /takes different parameters/);
  });

  it('reports missing intent parameters for the template as unavailable with the 132000-equivalent code', async () => {
    const { ctx, input } = await setUp();
    const result = await resolveIntent(ctx, { ...input, params: { customer: 'Ana', order_id: 'A9' } });
    assert.deepEqual(result.kind === 'unavailable' && result.code, 'template_parameters_mismatch');
    const unknown = await resolveIntent(ctx, { ...input, intent: 'nope' });
    assert.deepEqual(unknown.kind === 'unavailable' && unknown.code, 'intent_not_found');
  });

  it('an UltraMsg sender (no WABA) gets the template of the workspace rendered as text', async () => {
    const { ctx, ws, input } = await setUp();
    const ultramsg = await insertUltraMsgSender(ctx, ws.workspaceId, { baseUrl: 'http://127.0.0.1:9', token: 'u' });
    const result = await resolveIntent(ctx, { ...input, senderId: ultramsg, contactLanguage: 'en_US' });
    assert.deepEqual(result.kind === 'template' && result.ultramsg, { endpoint: 'messages/chat', body: 'en_US A9\n\nen_US: Ana, your order A9 ships hoje. Thanks!\n\nTrack: https://example.com/t/A9' });
  });

  it('manages intents through the API, with a dry-run resolve', async () => {
    const { client, senderId } = await setUp();
    await client.fails('POST', '/v1/intents', { name: 'empty' }, 400, 'INTENT_INVALID');
    await client.fails('POST', '/v1/intents', { name: 'order_shipped', text: 'x' }, 409, 'INTENT_EXISTS');
    await client.fails('POST', '/v1/intents', { name: 'Bad Name', text: 'x' }, 400, 'REQUEST_INVALID');
    const updated = await client.ok('PUT', '/v1/intents/order_shipped', { text: 'Order {{order_id}} shipped.' });
    assert.equal(updated.text, 'Order {{order_id}} shipped.');
    assert.equal(updated.template.name, 'order_shipped', 'fields not given stay');
    await client.fails('PUT', '/v1/intents/order_shipped', { text: null, template: null }, 400, 'INTENT_INVALID');
    const dry = await client.ok('POST', '/v1/intents/order_shipped/resolve', { senderId, contactId: 'ct_1', params: { order_id: 'A1' }, windowOpen: true });
    assert.deepEqual([dry.kind, dry.body], ['text', 'Order A1 shipped.']);
    await client.fails('POST', '/v1/intents/order_shipped/resolve', { senderId: 'snd_nope', contactId: 'ct_1', windowOpen: true }, 404, 'NOT_FOUND');
    assert.deepEqual((await client.ok('GET', '/v1/intents')).data.map((i: { name: string }) => i.name), ['order_shipped']);
    await client.ok('DELETE', '/v1/intents/order_shipped', undefined, 204);
    await client.fails('GET', '/v1/intents/order_shipped', undefined, 404, 'INTENT_NOT_FOUND');
  });
});
