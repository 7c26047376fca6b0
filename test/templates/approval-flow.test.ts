import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { FakeGraph } from './harness/fake-graph.js';
import { api, orderConfirmation } from './harness/api.js';
import { FIXTURE_WABA, contextWithClock, deliver, ingestCloudWebhook, insertCloudSender, readFixture, secondKey, templateStatusEvent, templateStatusPayload, testClock } from './harness/setup.js';
import { templateGate } from '../../src/templates/index.js';
import { LOST_SUBMISSION_AFTER, reconcileAll } from '../../src/templates/sync/reconcile.js';
import type { OutboundDraft } from '../../src/outbound/gates/gate.js';

// Submit → approved / rejected, reflected through status webhooks: the recorded fixtures are posted, signed,
// to Parley's webhook endpoint and processed by webhook ingestion, which emits `template.status`. The
// provider here is an in-test server speaking Meta's template endpoints, including the edit endpoint the
// emulator does not have (emulator-approval.test.ts runs the same flow against the emulator).
describeStorage('template approval flow', (fx) => {
  const graph = new FakeGraph();
  const clock = testClock(Date.UTC(2025, 1, 12, 0, 0, 0)); // before the fixtures' webhook times
  before(() => graph.start());
  after(() => graph.stop());

  async function setUp() {
    const ctx = contextWithClock(fx, clock);
    const app = await fx.app(ctx);
    const ws = await fx.workspace(['admin']);
    const senderId = await insertCloudSender(ctx, ws.workspaceId, { baseUrl: graph.url, token: graph.token });
    return { ctx, app, ws, senderId, author: api(app, ws.authorization), reviewer: api(app, await secondKey(fx, ws.workspaceId)) };
  }

  it('a template goes draft → reviewed by a second key → submitted → approved by the status webhook', async () => {
    const { ctx, app, author, reviewer, ws, senderId } = await setUp();
    const created = await author.ok('POST', '/v1/templates', orderConfirmation(), 201);
    const id = created.template.id;
    assert.equal(created.template.language, 'en_US', 'the language is stored in Meta’s underscore form');
    assert.equal(created.template.status, 'DRAFT');
    assert.equal(created.version.state, 'draft');
    assert.deepEqual(created.version.lint.map((f: { ruleId: string }) => f.ruleId), ['promotional-in-utility']);

    await author.fails('POST', `/v1/templates/${id}/versions/1/submit`, {}, 409, 'TEMPLATE_REVIEW_STATE');
    await author.fails('POST', `/v1/templates/${id}/versions/1/approve`, {}, 403, 'TEMPLATE_SELF_APPROVAL');
    const approved = await reviewer.ok('POST', `/v1/templates/${id}/versions/1/approve`, { note: 'looks right' });
    assert.equal(approved.state, 'approved');
    assert.equal(approved.reviewNote, 'looks right');
    assert.notEqual(approved.reviewerKeyId, approved.authorKeyId);

    const unacked = await author.fails('POST', `/v1/templates/${id}/versions/1/submit`, { acknowledgedWarnings: [] }, 422, 'TEMPLATE_WARNINGS_UNACKNOWLEDGED');
    assert.deepEqual(unacked.details.ruleIds, ['promotional-in-utility']);
    assert.equal(graph.requests.filter((r) => r.method === 'POST').length, 0, 'nothing reached the provider');

    const submitted = await author.ok('POST', `/v1/templates/${id}/versions/1/submit`, { acknowledgedWarnings: ['promotional-in-utility'] });
    assert.equal(submitted.template.status, 'PENDING');
    assert.equal(submitted.template.submittedVersion, 1);
    assert.equal(submitted.template.sendable, false);
    assert.deepEqual(submitted.version.acknowledgedWarnings, ['promotional-in-utility']);
    const create = graph.requests.find((r) => r.method === 'POST')!;
    assert.equal(create.path, `/v21.0/${FIXTURE_WABA}/message_templates`);
    assert.equal(create.authorization, `Bearer ${graph.token}`);
    assert.deepEqual(create.body, { name: 'order_confirmation', language: 'en_US', category: 'UTILITY', components: orderConfirmation().components });
    await author.fails('POST', `/v1/templates/${id}/versions/1/submit`, { acknowledgedWarnings: ['promotional-in-utility'] }, 409, 'TEMPLATE_REVIEW_STATE');

    const draft: OutboundDraft = { workspaceId: ws.workspaceId, senderId, provider: 'cloud', contactId: 'ct_x', to: '+16505551234', lane: 'transactional', type: 'template', template: { name: 'order_confirmation', language: 'en_US' }, purpose: 'utility', channel: 'whatsapp', createdAt: clock.now() };
    assert.equal(templateGate.decide(draft, await templateGate.load(ctx, draft), clock.now()).outcome, 'refuse', 'not sendable while pending');

    await ingestCloudWebhook(app, ctx, templateStatusPayload('cloud-template-status-approved.json'));
    const shown = await author.ok('GET', `/v1/templates/${id}`);
    assert.equal(shown.template.status, 'APPROVED');
    assert.equal(shown.template.sendable, true);
    assert.equal(shown.template.liveVersion, 1);
    assert.equal(shown.template.submittedVersion, null);
    assert.equal(shown.liveVersion.state, 'live');
    assert.deepEqual(shown.statusHistory.map((h: { source: string; status: string }) => `${h.source}:${h.status}`), ['submit:PENDING', 'webhook:APPROVED']);
    assert.deepEqual(templateGate.decide(draft, await templateGate.load(ctx, draft), clock.now()), { outcome: 'pass', note: 'template order_confirmation (en_US) is approved and live' });

    // A redelivered webhook changes nothing and is recorded once; so does the domain event handled twice.
    await ingestCloudWebhook(app, ctx, templateStatusPayload('cloud-template-status-approved.json'));
    await deliver(ctx, templateStatusEvent(readFixture('cloud-template-status-approved.json')));
    await deliver(ctx, templateStatusEvent(readFixture('cloud-template-status-approved.json')));
    assert.equal((await author.ok('GET', `/v1/templates/${id}`)).statusHistory.length, 2);
    // An older fact arriving late is kept in the history but does not move the status back.
    await ingestCloudWebhook(app, ctx, templateStatusPayload('cloud-template-status-approved.json', { value: { event: 'PENDING' }, time: 1739321000 }));
    const afterStale = await author.ok('GET', `/v1/templates/${id}`);
    assert.equal(afterStale.template.status, 'APPROVED');
    assert.equal(afterStale.statusHistory.length, 3);
  });

  it('an edit is a new version with a diff; once approved it replaces the live one, which becomes superseded', async () => {
    const { ctx, app, author, reviewer } = await setUp();
    const { template } = await author.ok('POST', '/v1/templates', orderConfirmation({ name: 'order_edit' }), 201);
    await reviewer.ok('POST', `/v1/templates/${template.id}/versions/1/approve`);
    await author.ok('POST', `/v1/templates/${template.id}/versions/1/submit`, { acknowledgedWarnings: ['promotional-in-utility'] });
    const approvedAt = 1739321024;
    const metaId = graph.find('order_edit', 'en_US')!.id;
    await ingestCloudWebhook(app, ctx, templateStatusPayload('cloud-template-status-approved.json', { value: { message_template_name: 'order_edit', message_template_id: metaId } }));

    const components = [{ type: 'BODY', text: 'Hi {{1}}, your order {{2}} is confirmed and being packed.', example: { body_text: [['Asha', 'A123']] } }, { type: 'FOOTER', text: 'Lucky Shrub' }];
    const v2 = await author.ok('POST', `/v1/templates/${template.id}/versions`, { category: 'UTILITY', components }, 201);
    assert.equal(v2.number, 2);
    assert.match(v2.diff.text, /~ BODY.text\n {2}- Hi \{\{1\}\}, your order \{\{2\}\} is confirmed. Buy now and get 10% off your next order!\n {2}\+ Hi \{\{1\}\}, your order \{\{2\}\} is confirmed and being packed./);
    assert.deepEqual(v2.lint, []);
    await author.fails('POST', `/v1/templates/${template.id}/versions`, { category: 'UTILITY', components }, 409, 'CONFLICT');
    await author.fails('POST', `/v1/templates/${template.id}/versions/1/approve`, {}, 409, 'TEMPLATE_REVIEW_STATE');

    await reviewer.ok('POST', `/v1/templates/${template.id}/versions/2/approve`);
    const submitted = await author.ok('POST', `/v1/templates/${template.id}/versions/2/submit`, {});
    const providerId = submitted.template.providerTemplateId;
    const edit = graph.requests.at(-1)!;
    assert.deepEqual([edit.method, edit.path, edit.body], ['POST', `/v21.0/${providerId}`, { category: 'UTILITY', components }]);
    assert.equal(submitted.template.liveVersion, 1, 'the old version stays live while the edit is reviewed');

    await ingestCloudWebhook(app, ctx, templateStatusPayload('cloud-template-status-approved.json', { value: { message_template_name: 'order_edit', message_template_id: metaId }, time: approvedAt + 60 }));
    const versions = (await author.ok('GET', `/v1/templates/${template.id}/versions`)).data;
    assert.deepEqual(versions.map((v: { number: number; state: string }) => `${v.number}:${v.state}`), ['1:superseded', '2:live']);
    assert.equal((await author.ok('GET', `/v1/templates/${template.id}`)).template.liveVersion, 2);
  });

  it('a rejection by the provider is stored with its reason, the version is rejected, and an alert is raised', async () => {
    const { ctx, app, author, reviewer, ws, senderId } = await setUp();
    const { template } = await author.ok('POST', '/v1/templates', {
      wabaId: FIXTURE_WABA,
      name: 'abandoned_cart',
      language: 'en',
      category: 'MARKETING',
      components: [
        { type: 'BODY', text: 'Hi {{1}}, you left {{2}} in your cart. Complete your order today.', example: { body_text: [['Asha', 'a lamp']] } },
        { type: 'FOOTER', text: 'Reply STOP to unsubscribe' },
      ],
    }, 201);
    await reviewer.ok('POST', `/v1/templates/${template.id}/versions/1/approve`);
    await author.ok('POST', `/v1/templates/${template.id}/versions/1/submit`, {});
    await ingestCloudWebhook(app, ctx, templateStatusPayload('cloud-template-status-rejected.json', { value: { message_template_id: graph.find('abandoned_cart', 'en')!.id } }));

    const shown = await author.ok('GET', `/v1/templates/${template.id}`);
    assert.equal(shown.template.status, 'REJECTED');
    assert.deepEqual(shown.template.rejection, {
      reason: 'INVALID_FORMAT',
      info: { reason: 'Variable parameters are placed at the start or end of the template body.', recommendation: 'Add text before the first and after the last variable.' },
    });
    assert.equal(shown.latestVersion.state, 'rejected');
    assert.match(shown.latestVersion.providerReason, /INVALID_FORMAT — Variable parameters .* Recommendation: Add text before/);
    assert.equal(shown.liveVersion, null);

    const alerts = (await author.ok('GET', '/v1/templates/alerts')).data;
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].type, 'template.rejected');
    assert.equal(alerts[0].data.reason, 'INVALID_FORMAT');

    const draft: OutboundDraft = { workspaceId: ws.workspaceId, senderId, provider: 'cloud', contactId: 'ct_x', to: '+16505551234', lane: 'marketing', type: 'template', template: { name: 'abandoned_cart', language: 'en' }, purpose: 'marketing', channel: 'whatsapp', createdAt: clock.now() };
    const verdict = templateGate.decide(draft, await templateGate.load(ctx, draft), clock.now());
    assert.deepEqual(verdict.outcome === 'refuse' && verdict.code, 'template_rejected');

    // A fixed version can be submitted again: Meta takes it as an edit of the rejected template.
    const fixed = await author.ok('POST', `/v1/templates/${template.id}/versions`, { category: 'MARKETING', components: [{ type: 'BODY', text: 'Hi {{1}}, your cart is waiting for you. Reply STOP to opt out.', example: { body_text: [['Asha']] } }] }, 201);
    await reviewer.ok('POST', `/v1/templates/${template.id}/versions/${fixed.number}/approve`);
    const resubmitted = await author.ok('POST', `/v1/templates/${template.id}/versions/${fixed.number}/submit`, {});
    assert.equal(resubmitted.template.status, 'PENDING');
    assert.equal(graph.requests.at(-1)!.path, `/v21.0/${graph.find('abandoned_cart', 'en')!.id}`);
  });

  it('provider refusals are mapped from Meta’s error envelope and leave the version approved for a retry', async () => {
    const { author, reviewer } = await setUp();
    const { template } = await author.ok('POST', '/v1/templates', orderConfirmation({ name: 'retry_me', components: [{ type: 'BODY', text: 'Your order {{1}} is confirmed.', example: { body_text: [['A1']] } }] }), 201);
    await reviewer.ok('POST', `/v1/templates/${template.id}/versions/1/approve`);

    graph.nextFailure = { status: 400, body: { error: { message: 'Invalid parameter', type: 'OAuthException', code: 100, error_subcode: 2388043, error_user_msg: 'Message template "components" param is missing expected field(s).', fbtrace_id: 'AbC' } } };
    const refused = await author.fails('POST', `/v1/templates/${template.id}/versions/1/submit`, {}, 422, 'TEMPLATE_PROVIDER_REJECTED');
    assert.equal(refused.details.providerCode, 100);
    assert.match(refused.details.providerMessage, /components/);
    assert.equal((await author.ok('GET', `/v1/templates/${template.id}/versions/1`)).state, 'approved');

    graph.nextFailure = { status: 400, body: { error: { message: '(#80007) There have been too many calls to this WhatsApp Business account.', type: 'OAuthException', code: 80007, fbtrace_id: 'x' } } };
    await author.fails('POST', `/v1/templates/${template.id}/versions/1/submit`, {}, 429, 'TEMPLATE_PROVIDER_RATE_LIMITED');
    graph.nextFailure = { status: 500, body: { error: { message: 'An unknown error occurred', type: 'OAuthException', code: 1, fbtrace_id: 'x' } } };
    await author.fails('POST', `/v1/templates/${template.id}/versions/1/submit`, {}, 503, 'TEMPLATE_PROVIDER_UNAVAILABLE');

    const ok = await author.ok('POST', `/v1/templates/${template.id}/versions/1/submit`, {});
    assert.equal(ok.template.status, 'PENDING');
  });

  it('a bad token is TEMPLATE_PROVIDER_AUTH, and a WABA without a sender is TEMPLATE_NO_SENDER_FOR_WABA', async () => {
    const ctx = contextWithClock(fx, clock);
    const app = await fx.app(ctx);
    const ws = await fx.workspace(['admin']);
    const author = api(app, ws.authorization);
    const reviewer = api(app, await secondKey(fx, ws.workspaceId));
    const { template } = await author.ok('POST', '/v1/templates', orderConfirmation({ wabaId: 'waba_other', components: [{ type: 'BODY', text: 'Your order {{1}} is confirmed.', example: { body_text: [['A1']] } }] }), 201);
    await reviewer.ok('POST', `/v1/templates/${template.id}/versions/1/approve`);
    await author.fails('POST', `/v1/templates/${template.id}/versions/1/submit`, {}, 422, 'TEMPLATE_NO_SENDER_FOR_WABA');
    await insertCloudSender(ctx, ws.workspaceId, { baseUrl: graph.url, token: 'expired-token', wabaId: 'waba_other' });
    const auth = await author.fails('POST', `/v1/templates/${template.id}/versions/1/submit`, {}, 422, 'TEMPLATE_PROVIDER_AUTH');
    assert.equal(auth.details.providerCode, 190);
  });

  it('a submission lost before it reached the provider is released by the reconciliation poll', async () => {
    const { ctx, author, reviewer } = await setUp();
    const { template } = await author.ok('POST', '/v1/templates', orderConfirmation({ name: 'lost_submit', components: [{ type: 'BODY', text: 'Your order {{1}} is confirmed.', example: { body_text: [['A1']] } }] }), 201);
    const v1 = await reviewer.ok('POST', `/v1/templates/${template.id}/versions/1/approve`, {});
    // What a crash between marking the submission and calling the provider leaves behind.
    await ctx.db.updateTable('templates').set({ submitted_version_id: v1.id }).where('id', '=', template.id).execute();
    await ctx.db.updateTable('template_versions').set({ state: 'submitted', submitted_at: clock.now() }).where('id', '=', v1.id).execute();
    await reconcileAll(ctx, { workspaceId: (await ctx.db.selectFrom('templates').select('workspace_id').where('id', '=', template.id).executeTakeFirstOrThrow()).workspace_id });
    assert.equal((await author.ok('GET', `/v1/templates/${template.id}/versions/1`)).state, 'submitted', 'too recent to call it lost');
    clock.advance(LOST_SUBMISSION_AFTER + 1);
    await reconcileAll(ctx);
    assert.equal((await author.ok('GET', `/v1/templates/${template.id}/versions/1`)).state, 'approved');
    const resubmitted = await author.ok('POST', `/v1/templates/${template.id}/versions/1/submit`, {});
    assert.equal(resubmitted.template.status, 'PENDING');
  });

  it('refuses lint errors at submission and bad identities at creation', async () => {
    const { author } = await setUp();
    await author.fails('POST', '/v1/templates', orderConfirmation({ name: 'Order Confirmation' }), 400, 'TEMPLATE_INVALID');
    await author.fails('POST', '/v1/templates', orderConfirmation({ language: 'english' }), 400, 'TEMPLATE_INVALID');
    await author.ok('POST', '/v1/templates', orderConfirmation({ name: 'dupe' }), 201);
    await author.fails('POST', '/v1/templates', orderConfirmation({ name: 'dupe', language: 'en_US' }), 409, 'TEMPLATE_EXISTS');
  });
});
