import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { pipeline } from './helpers.js';
import { FakeProvider, waitFor } from './fake-provider.js';
import { liveTemplate } from '../templates/harness/seed.js';
import { api } from '../templates/harness/api.js';
import { applyProviderFact } from '../../src/templates/status/apply-provider-fact.js';
import { getTemplate } from '../../src/templates/store/template-queries.js';

const WABA = 'waba1';
const body = (lead: string) => [{ type: 'BODY' as const, text: `${lead}: hello {{1}}, your order {{2}} is ready.`, example: { body_text: [['Ana', 'A1']] } }];
const send = (name: string, params = ['Ana', 'A1'], language = 'en_US') => ({
  type: 'template',
  template: { name, language: { code: language }, components: [{ type: 'body', parameters: params.map((text) => ({ type: 'text', text })) }] },
});

describeStorage('templates and intents in the outbound pipeline', (fx) => {
  it('intent sending: the template in the contact’s language while the window is closed, text once it is open; the choice is logged', async (t) => {
    const p = await pipeline(fx, t);
    const client = api(p.app, p.authorization);
    for (const language of ['en_US', 'pt_BR']) await liveTemplate(p.ctx, p.workspaceId, { wabaId: WABA, name: 'order_ready', language, components: body(language) });
    await client.ok('POST', '/v1/intents', { name: 'order_ready', text: 'Hi {{customer}}, order {{order_id}} is ready', template: { name: 'order_ready', body: ['customer', 'order_id'] } }, 201);
    const contact = await client.ok('POST', '/v1/contacts', { phone: '+5511987650001', language: 'pt_BR' }, 201);

    const closed = await p.send({ contactId: contact.id, intent: { name: 'order_ready', params: { customer: 'Ana', order_id: 'A9' } } });
    assert.equal(closed.statusCode, 202, closed.body);
    assert.equal(closed.json().type, 'template');
    assert.equal(closed.json().intent.decision.windowOpen, false);
    await p.openWindow('+5511987650001');
    const open = (await p.send({ contactId: contact.id, intent: { name: 'order_ready', params: { customer: 'Ana', order_id: 'A9' } } })).json();
    assert.equal(open.type, 'text');
    await p.start();
    await waitFor(() => p.provider.calls.length === 2, 10_000, 'both sent');
    const [first, second] = p.provider.calls.map((c) => c.request);
    assert.deepEqual([first.type, (first.payload as any).name, (first.payload as any).language.code], ['template', 'order_ready', 'pt_BR']);
    assert.deepEqual([second.type, (second.payload as any).body], ['text', 'Hi Ana, order A9 is ready']);
    const row = await p.ctx.db.selectFrom('messages').select(['intent', 'template_language']).where('id', '=', closed.json().id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { intent: 'order_ready', template_language: 'pt_BR' });
    const unknown = await p.send({ contactId: contact.id, intent: { name: 'no_such_intent' } });
    assert.equal(unknown.statusCode, 422);
    assert.equal(unknown.json().error.details.decisions[0].gate, 'intent');
  });

  it('a paused template reroutes to its backup at accept; without a backup it is refused with the reason', async (t) => {
    const p = await pipeline(fx, t);
    const client = api(p.app, p.authorization);
    const main = await liveTemplate(p.ctx, p.workspaceId, { wabaId: WABA, name: 'ready_notice', language: 'en_US', components: body('main') });
    const backup = await liveTemplate(p.ctx, p.workspaceId, { wabaId: WABA, name: 'ready_notice_alt', language: 'en_US', components: body('alt') });
    await applyProviderFact(p.ctx, (await getTemplate(p.ctx.db, p.workspaceId, main.id))!, { event: 'PAUSED', detail: {}, at: Date.now() + 1000, source: 'webhook' });
    const refused = await p.send({ to: '+15550005001', ...send('ready_notice') });
    assert.equal(refused.statusCode, 422);
    assert.equal(refused.json().error.details.code, 'template_paused');
    await client.ok('PUT', `/v1/templates/${main.id}/backup`, { backup: { kind: 'template', name: backup.name } });
    const rerouted = await p.send({ to: '+15550005001', ...send('ready_notice') });
    assert.equal(rerouted.statusCode, 202, rerouted.body);
    assert.ok(rerouted.json().decisions.some((d: { gate: string; outcome: string }) => d.gate === 'template' && d.outcome === 'reroute'));
    await p.start();
    await waitFor(() => p.provider.calls.length === 1, 10_000, 'sent');
    assert.equal((p.provider.calls[0].request.payload as any).name, 'ready_notice_alt');
  });

  it('a template paused after accept: dispatch sends its backup instead and records what was sent', async (t) => {
    const p = await pipeline(fx, t);
    const client = api(p.app, p.authorization);
    const main = await liveTemplate(p.ctx, p.workspaceId, { wabaId: WABA, name: 'late_pause', language: 'en_US', components: body('main') });
    const backup = await liveTemplate(p.ctx, p.workspaceId, { wabaId: WABA, name: 'late_pause_alt', language: 'en_US', components: body('alt') });
    await client.ok('PUT', `/v1/templates/${main.id}/backup`, { backup: { kind: 'template', name: backup.name } });
    const accepted = (await p.send({ to: '+15550005002', ...send('late_pause') })).json();
    await applyProviderFact(p.ctx, (await getTemplate(p.ctx.db, p.workspaceId, main.id))!, { event: 'PAUSED', detail: {}, at: Date.now() + 1000, source: 'webhook' });
    await p.start();
    await waitFor(async () => (await p.status(accepted.id)) === 'accepted', 10_000, 'sent');
    assert.equal((p.provider.calls[0].request.payload as any).name, 'late_pause_alt');
    const row = await p.ctx.db.selectFrom('messages').select('template_name').where('id', '=', accepted.id).executeTakeFirstOrThrow();
    assert.equal(row.template_name, 'late_pause_alt');
    const view = (await p.app.inject({ url: `/v1/messages/${accepted.id}`, headers: { authorization: p.authorization } })).json();
    const attempt = view.history.find((h: { kind: string }) => h.kind === 'attempt');
    assert.deepEqual(attempt.detail.rerouted.from, { name: 'late_pause', language: 'en_US' });
  });

  it('a template with the wrong number of parameters is refused at accept, before the provider says 132000', async (t) => {
    const p = await pipeline(fx, t);
    await liveTemplate(p.ctx, p.workspaceId, { wabaId: WABA, name: 'two_params', language: 'en_US', components: body('x') });
    const res = await p.send({ to: '+15550005003', ...send('two_params', ['only one']) });
    assert.equal(res.statusCode, 422);
    assert.equal(res.json().error.details.code, 'template_parameters_mismatch');
  });

  it('UltraMsg senders send the rendered text of a template', async (t) => {
    const provider = new FakeProvider('ultramsg', () => ({ ok: true, providerMessageId: String(Math.floor(Math.random() * 1e6)) }));
    const p = await pipeline(fx, t, { provider, sender: { provider: 'ultramsg', instanceId: 'instance1150', phoneNumberId: null, wabaId: WABA, credentials: { token: 'x' }, mps: 5 } });
    await liveTemplate(p.ctx, p.workspaceId, { wabaId: WABA, name: 'um_ready', language: 'en_US', components: body('Shop') });
    const accepted = await p.send({ to: '+15550005004', ...send('um_ready', ['Ana', 'B7']) });
    assert.equal(accepted.statusCode, 202, accepted.body);
    await p.start();
    await waitFor(() => provider.calls.length === 1, 10_000, 'sent');
    assert.equal(provider.calls[0].request.renderedText, 'Shop: hello Ana, your order B7 is ready.');
    const unknown = await p.send({ to: '+15550005004', ...send('never_created') });
    assert.equal(unknown.statusCode, 422);
    assert.equal(unknown.json().error.code, 'TEMPLATE_RENDER_UNSUPPORTED');
  });
});
