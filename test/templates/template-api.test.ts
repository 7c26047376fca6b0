import { it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { FakeGraph } from './harness/fake-graph.js';
import { api } from './harness/api.js';
import { FIXTURE_WABA, deliver, insertCloudSender, readFixture, secondKey, templateQualityEvent } from './harness/setup.js';
import { liveTemplate } from './harness/seed.js';

describeStorage('template API', (fx) => {
  const graph = new FakeGraph();
  before(() => graph.start());
  after(() => graph.stop());

  async function setUp() {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const ws = await fx.workspace(['admin']);
    await insertCloudSender(ctx, ws.workspaceId, { baseUrl: graph.url, token: graph.token });
    return { ctx, app, ws, client: api(app, ws.authorization) };
  }

  it('previews a version as the exact Cloud API object, the UltraMsg payload and the text; wrong parameters are a 400', async () => {
    const { client } = await setUp();
    const { template } = await client.ok('POST', '/v1/templates', {
      wabaId: FIXTURE_WABA, name: 'preview_me', language: 'en_US', category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'DOCUMENT', example: { header_handle: ['4::x'] } },
        { type: 'BODY', text: 'Hi {{1}}, your invoice {{2}} is attached.', example: { body_text: [['Asha', 'INV-1']] } },
        { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Thanks' }] },
      ],
    }, 201);
    const preview = await client.ok('POST', `/v1/templates/${template.id}/preview`, { params: { header: { document: { link: 'https://files.example.com/INV-1.pdf' } }, body: ['Asha', 'INV-1'] } });
    assert.equal(preview.version, 1);
    assert.equal(preview.text, 'Hi Asha, your invoice INV-1 is attached.');
    assert.deepEqual(preview.cloud, {
      name: 'preview_me',
      language: { code: 'en_US' },
      components: [
        { type: 'header', parameters: [{ type: 'document', document: { link: 'https://files.example.com/INV-1.pdf' } }] },
        { type: 'body', parameters: [{ type: 'text', text: 'Asha' }, { type: 'text', text: 'INV-1' }] },
      ],
    });
    assert.deepEqual(preview.ultramsg, { endpoint: 'messages/document', document: 'https://files.example.com/INV-1.pdf', filename: 'INV-1.pdf', caption: 'Hi Asha, your invoice INV-1 is attached.' });
    const byId = await client.ok('POST', `/v1/templates/${template.id}/preview`, { params: { header: { document: { id: '1479537139650973' } }, body: ['Asha', 'INV-1'] } });
    assert.equal(byId.ultramsg, null);
    assert.equal(byId.ultramsgError.code, 'TEMPLATE_RENDER_UNSUPPORTED');
    const wrong = await client.fails('POST', `/v1/templates/${template.id}/preview`, { params: { header: { document: { link: 'https://x.example/a.pdf' } }, body: ['Asha'] } }, 400, 'TEMPLATE_PARAMETERS_MISMATCH');
    assert.deepEqual(wrong.details.expected.body, ['1', '2']);
  });

  it('lints a body without saving it, and lists, filters and pages templates', async () => {
    const { client } = await setUp();
    const lint = await client.ok('POST', '/v1/templates/lint', { name: 'Bad', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: '{{1}} hi' }] });
    assert.equal(lint.ok, false);
    assert.deepEqual([...new Set(lint.findings.map((f: { ruleId: string }) => f.ruleId))].sort(), ['name-format', 'variable-at-edge', 'variable-density', 'variable-examples']);
    for (const name of ['list_a', 'list_b', 'list_c']) await client.ok('POST', '/v1/templates', { wabaId: FIXTURE_WABA, name, language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello there.' }] }, 201);
    const page1 = await client.ok('GET', '/v1/templates?limit=2');
    assert.equal(page1.data.length, 2);
    const page2 = await client.ok('GET', `/v1/templates?limit=2&cursor=${page1.nextCursor}`);
    assert.deepEqual([...page1.data, ...page2.data].map((t: { name: string }) => t.name), ['list_a', 'list_b', 'list_c']);
    assert.equal(page2.nextCursor, null);
    assert.deepEqual((await client.ok('GET', '/v1/templates?name=list_b')).data.map((t: { name: string }) => t.name), ['list_b']);
    assert.deepEqual((await client.ok('GET', '/v1/templates?status=APPROVED')).data, []);
  });

  it('lints with the configured words-per-placeholder ratio (PARLEY_TEMPLATE_MIN_WORDS_PER_VARIABLE), over HTTP and on drafts', async () => {
    const body = { wabaId: FIXTURE_WABA, language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi {{1}}, your parcel {{2}} is here.', example: { body_text: [['Asha', 'P1']] } }] };
    const densityAt = async (ratio: number, name: string) => {
      const app = await fx.app(fx.context({ templateMinWordsPerVariable: ratio }));
      const ws = await fx.workspace(['admin']);
      const client = api(app, ws.authorization);
      const linted = await client.ok('POST', '/v1/templates/lint', { name, ...body });
      const { version } = await client.ok('POST', '/v1/templates', { name, ...body }, 201);
      return [linted.findings, version.lint].map((findings: Array<{ ruleId: string; severity: string }>) => findings.filter((f) => f.ruleId === 'variable-density').map((f) => f.severity));
    };
    // 2 placeholders, 5 words of fixed text.
    assert.deepEqual(await densityAt(2, 'parcel_default'), [[], []]);
    assert.deepEqual(await densityAt(3, 'parcel_strict'), [['warning'], ['warning']]);
    assert.deepEqual(await densityAt(0, 'parcel_off'), [[], []]);
  });

  it('stores Meta\'s lower-case spelling of formats and button types upper-cased, so lint and rendering both see the URL button', async () => {
    const { client } = await setUp();
    const { template, version } = await client.ok('POST', '/v1/templates', {
      wabaId: FIXTURE_WABA, name: 'lower_case', language: 'en_US', category: 'UTILITY',
      components: [
        { type: 'HEADER', format: 'text', text: 'Order {{1}}', example: { header_text: ['A1'] } },
        { type: 'BODY', text: 'Hi {{1}}, your order has shipped and is on its way.', example: { body_text: [['Asha']] } },
        { type: 'BUTTONS', buttons: [{ type: 'url', text: 'Track', url: 'https://example.com/t/{{1}}', example: ['https://example.com/t/A1'] }] },
      ],
    }, 201);
    assert.equal(version.components[0].format, 'TEXT');
    assert.equal(version.components[2].buttons[0].type, 'URL');
    assert.deepEqual(version.lint, []);
    const wrong = await client.fails('POST', `/v1/templates/${template.id}/preview`, { params: { header: 'A1', body: ['Asha'] } }, 400, 'TEMPLATE_PARAMETERS_MISMATCH');
    assert.ok(JSON.stringify(wrong.details.expected).includes('url'), 'the URL button asks for its suffix');
  });

  it('keeps workspaces apart and requires the templates scopes', async () => {
    const { client } = await setUp();
    const { template } = await client.ok('POST', '/v1/templates', { wabaId: FIXTURE_WABA, name: 'mine', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello there.' }] }, 201);
    const other = await fx.workspace(['admin']);
    await api(await fx.app(), other.authorization).fails('GET', `/v1/templates/${template.id}`, undefined, 404, 'TEMPLATE_NOT_FOUND');
    const readOnly = await fx.workspace(['templates:read']);
    const ro = api(await fx.app(), readOnly.authorization);
    await ro.ok('GET', '/v1/templates');
    await ro.fails('POST', '/v1/templates', { wabaId: FIXTURE_WABA, name: 'x', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi.' }] }, 403, 'AUTH_SCOPE_MISSING');
  });

  it('a quality drop to RED raises an alert; delete removes the translation at the provider and in Parley', async () => {
    const { ctx, client, ws, app } = await setUp();
    const reviewer = api(app, await secondKey(fx, ws.workspaceId));
    const { template } = await client.ok('POST', '/v1/templates', { wabaId: FIXTURE_WABA, name: 'welcome_template', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Welcome aboard, we are glad you are here.' }] }, 201);
    await reviewer.ok('POST', `/v1/templates/${template.id}/versions/1/approve`, {});
    await client.ok('POST', `/v1/templates/${template.id}/versions/1/submit`, {});
    await deliver(ctx, templateQualityEvent(readFixture('cloud-template-quality-update.json')));
    assert.equal((await client.ok('GET', `/v1/templates/${template.id}`)).template.quality, 'YELLOW');
    const red = readFixture('cloud-template-quality-update.json');
    red.entry[0].changes[0].value.previous_quality_score = 'YELLOW';
    red.entry[0].changes[0].value.new_quality_score = 'RED';
    await deliver(ctx, templateQualityEvent(red));
    await deliver(ctx, templateQualityEvent(red));
    const alerts = (await client.ok('GET', '/v1/templates/alerts?type=template.quality_low')).data;
    assert.equal(alerts.length, 1, 'raised once');
    assert.deepEqual([alerts[0].data.previousScore, alerts[0].data.newScore], ['YELLOW', 'RED']);

    assert.ok(graph.find('welcome_template', 'en_US'));
    await client.ok('DELETE', `/v1/templates/${template.id}`, undefined, 204);
    assert.equal(graph.find('welcome_template', 'en_US'), undefined);
    await client.fails('GET', `/v1/templates/${template.id}`, undefined, 404, 'TEMPLATE_NOT_FOUND');
    // A template never submitted is removed from Parley only.
    const local = await liveTemplate(ctx, ws.workspaceId, { wabaId: 'waba_x', name: 'local_only', language: 'en', components: [{ type: 'BODY', text: 'Hello there.' }] }, 'DELETED');
    await client.ok('DELETE', `/v1/templates/${local.id}`, undefined, 204);
  });

  it('publishes every template and intent route in the OpenAPI document', async () => {
    const { app } = await setUp();
    const paths = Object.keys((await app.inject('/openapi.json')).json().paths);
    for (const p of ['/v1/templates', '/v1/templates/matrix', '/v1/templates/{id}/preview', '/v1/templates/{id}/versions/{number}/submit', '/v1/intents/{name}/rollouts', '/v1/intents/{name}/results']) {
      assert.ok(paths.includes(p), p);
    }
  });
});
