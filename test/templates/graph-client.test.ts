import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FakeGraph } from './harness/fake-graph.js';
import { createMessageTemplate, deleteMessageTemplate, listMessageTemplates } from '../../src/channels/whatsapp-cloud/templates/template-client.js';
import { graphErrorToParley } from '../../src/channels/whatsapp-cloud/templates/graph-errors.js';
import { parseGraphJson } from '../../src/channels/whatsapp-cloud/templates/graph-json.js';
import type { ParleyError } from '../../src/errors/parley-error.js';
import { readFixture } from './harness/setup.js';

describe('Graph template client', () => {
  const graph = new FakeGraph();
  before(() => graph.start());
  after(() => graph.stop());
  const connection = () => ({ baseUrl: `${graph.url}/`, graphVersion: 'v23.0', wabaId: '102290129340398', accessToken: graph.token });

  it('creates with the bearer token at /{version}/{waba_id}/message_templates and returns id and status', async () => {
    const result = await createMessageTemplate(connection(), { name: 'a_one', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello.' }] });
    assert.equal(result.status, 'PENDING');
    assert.match(result.id, /^\d{16}$/);
    const req = graph.requests.at(-1)!;
    assert.deepEqual([req.method, req.path, req.authorization], ['POST', '/v23.0/102290129340398/message_templates', `Bearer ${graph.token}`]);
  });

  it('lists every page by following the cursors', async () => {
    for (let i = 0; i < 5; i++) graph.add({ name: `page_${i}`, language: 'en_US', status: 'APPROVED', category: 'MARKETING', components: [], quality_score: { score: 'GREEN', date: 1 } });
    const all = await listMessageTemplates(connection(), { pageSize: 2 });
    assert.equal(all.length, graph.templates.length);
    assert.deepEqual(all.filter((t) => t.name.startsWith('page_')).map((t) => t.qualityScore), ['GREEN', 'GREEN', 'GREEN', 'GREEN', 'GREEN']);
    assert.ok(graph.requests.filter((r) => r.method === 'GET').length >= 3, 'several pages were fetched');
    assert.equal(graph.requests.at(-1)!.query.fields, 'id,name,language,status,category,components,rejected_reason,quality_score');
  });

  it('deletes one translation by name and hsm_id', async () => {
    const t = graph.add({ name: 'to_delete', language: 'en', status: 'APPROVED', category: 'UTILITY', components: [] });
    graph.add({ name: 'to_delete', language: 'es', status: 'APPROVED', category: 'UTILITY', components: [] });
    await deleteMessageTemplate(connection(), { name: 'to_delete', hsmId: t.id });
    assert.deepEqual(graph.templates.filter((x) => x.name === 'to_delete').map((x) => x.language), ['es']);
    assert.deepEqual(graph.requests.at(-1)!.query, { name: 'to_delete', hsm_id: t.id });
  });

  it('maps Meta’s error envelope by code: token, rate limit, transient, refusal; unreachable is unavailable', async () => {
    const code = (status: number, body: unknown) => graphErrorToParley(status, body).code;
    const envelope = (c: number) => ({ error: { message: `(#${c}) x`, type: 'OAuthException', code: c, fbtrace_id: 'f' } });
    assert.equal(code(401, envelope(190)), 'TEMPLATE_PROVIDER_AUTH');
    assert.equal(code(403, envelope(200)), 'TEMPLATE_PROVIDER_AUTH');
    assert.equal(code(400, envelope(80007)), 'TEMPLATE_PROVIDER_RATE_LIMITED');
    assert.equal(code(400, envelope(4)), 'TEMPLATE_PROVIDER_RATE_LIMITED');
    assert.equal(code(429, readFixture('api/cloud-error-response-130429.json')), 'TEMPLATE_PROVIDER_RATE_LIMITED');
    assert.equal(code(500, envelope(2)), 'TEMPLATE_PROVIDER_UNAVAILABLE');
    assert.equal(code(400, envelope(100)), 'TEMPLATE_PROVIDER_REJECTED');
    assert.equal(code(502, 'bad gateway'), 'TEMPLATE_PROVIDER_UNAVAILABLE');
    const detailed = graphErrorToParley(400, { error: { message: 'Invalid parameter', code: 100, error_user_msg: 'Template name is too long', fbtrace_id: 'z' } });
    assert.deepEqual(detailed.details, { httpStatus: 400, providerCode: 100, providerMessage: 'Template name is too long', fbtraceId: 'z' });
    await assert.rejects(createMessageTemplate({ ...connection(), baseUrl: 'http://127.0.0.1:1' }, {}), (e: ParleyError) => e.code === 'TEMPLATE_PROVIDER_UNAVAILABLE');
    await assert.rejects(createMessageTemplate({ ...connection(), accessToken: 'wrong' }, {}), (e: ParleyError) => e.code === 'TEMPLATE_PROVIDER_AUTH' && e.details?.providerCode === 190);
  });

  it('keeps long numeric template ids exact', () => {
    const parsed = parseGraphJson('{"id": 12345678901234567890, "data": [{"message_template_id": 98765432109876543210, "count": 1}]}') as { id: string; data: Array<{ message_template_id: string; count: number }> };
    assert.equal(parsed.id, '12345678901234567890');
    assert.equal(parsed.data[0].message_template_id, '98765432109876543210');
    assert.equal(parsed.data[0].count, 1);
  });
});
