import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { describeStorage } from '../harness/storage.js';
import type { ParleyApp } from '../../src/http/types.js';
import { CHARS_KEYWORD, charsProblem, secureRouteSchema } from '../../src/http/input-rules.js';
import { MultilineText } from '../../src/http/schemas.js';

it('secureRouteSchema marks every request string and reports every unbounded number', () => {
  const schema = {
    params: Type.Object({ id: Type.String() }),
    querystring: Type.Object({ limit: Type.Integer({ minimum: 1 }) }),
    body: Type.Object({ name: Type.String(), text: MultilineText(), meta: Type.Record(Type.String(), Type.Unknown()), count: Type.Number({ minimum: 0, maximum: 10 }) }),
    response: { 200: Type.Object({ total: Type.Integer() }) },
  };
  const problems = secureRouteSchema(schema as unknown as Record<string, unknown>);
  assert.deepEqual(problems, ['querystring/limit: integer without maximum']);
  assert.equal((schema.params.properties.id as Record<string, unknown>)[CHARS_KEYWORD], 'line');
  assert.equal((schema.body.properties.name as Record<string, unknown>)[CHARS_KEYWORD], 'line');
  assert.equal((schema.body.properties.text as Record<string, unknown>)[CHARS_KEYWORD], 'text', 'free text keeps its rule');
  assert.equal((schema.body.properties.meta as Record<string, unknown>)[CHARS_KEYWORD], 'text', 'free-form objects are checked deeply');
  assert.equal((schema.response[200].properties.total as Record<string, unknown>)[CHARS_KEYWORD], undefined, 'responses are not touched');
});

it('line refuses every C0 control and DEL; text allows tab and line breaks; both refuse lone surrogates', () => {
  for (const bad of ['\u0000', '\u0001', '\u001f', '\u007f', '\t', '\n', '\r']) assert.ok(charsProblem(`a${bad}b`, 'line'), JSON.stringify(bad));
  for (const bad of ['\u0000', '\u0008', '\u000b', '\u001b', '\u007f', '\ud800', '\udc00', 'x\ud800']) assert.ok(charsProblem(`a${bad}b`, 'text'), JSON.stringify(bad));
  for (const good of ['line one\nline two\r\n\tindented', 'emoji \ud83d\ude00', 'acentuação', '']) assert.equal(charsProblem(good, 'text'), undefined, JSON.stringify(good));
  assert.equal(charsProblem('plain id_01-x.y', 'line'), undefined);
});

// The examples of issue "Right by default" (bad input answered with 5xx), one by one.
describeStorage('bad input from the issue is a 400 naming the field', (fx) => {
  let app: ParleyApp;
  let authorization: string;
  let contactId: string;
  let senderId: string;
  let templateId: string;

  before(async () => {
    app = await fx.app();
    ({ authorization } = await fx.workspace(['admin']));
    contactId = (await app.inject({ method: 'POST', url: '/v1/contacts', headers: { authorization }, payload: { phone: '+5511987650000' } })).json().id;
    senderId = (await app.inject({ method: 'POST', url: '/v1/senders', headers: { authorization }, payload: { name: 's', provider: 'ultramsg', instanceId: 'instance9', token: 't' } })).json().id;
    const template = await app.inject({ method: 'POST', url: '/v1/templates', headers: { authorization }, payload: { wabaId: 'waba_1', name: 'rules_test', language: 'en', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hello\nthere.' }] } });
    assert.equal(template.statusCode, 201, template.body);
    templateId = template.json().template.id;
  });

  const send = (method: string, url: string, payload?: unknown) => app.inject({ method: method as 'GET', url, headers: { authorization }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const refused = async (method: string, url: string, payload: unknown, field: string) => {
    const res = await send(method, url, payload);
    assert.equal(res.statusCode, 400, `${method} ${url}: ${res.body}`);
    assert.equal(res.json().error.code, 'REQUEST_INVALID');
    assert.equal(res.json().error.field, field);
    assert.ok(res.json().error.hint);
  };

  it('NUL in a path parameter, a query value and a string field', async () => {
    await refused('GET', '/v1/contacts/%00', undefined, '/id');
    await refused('GET', '/v1/contacts?tag=a%00b', undefined, '/tag');
    const invalidUtf8 = await send('GET', '/v1/contacts?tag=a%ED%A0%80b');
    assert.equal(invalidUtf8.statusCode, 400);
    assert.equal(invalidUtf8.json().error.code, 'REQUEST_INVALID');
    assert.equal((await send('GET', '/v1/contacts?tag=50%')).statusCode, 200, 'a stray % is a literal %, as the query parser reads it');
    await refused('PATCH', `/v1/contacts/${contactId}`, { tags: ['a\u0000b'] }, '/tags/0');
    await refused('PATCH', `/v1/contacts/${contactId}`, { attributes: { plan: 'gold\u0000' } }, '/attributes/plan');
    const contact = (await send('GET', `/v1/contacts/${contactId}`)).json();
    assert.deepEqual(contact.tags, [], 'nothing stored');
  });

  it('numbers outside a column’s range', async () => {
    await refused('PATCH', `/v1/senders/${senderId}`, { messagingLimit: 1e308 }, '/messagingLimit');
    await refused('PATCH', `/v1/senders/${senderId}`, { messagingLimit: 2_147_483_648 }, '/messagingLimit');
    await refused('POST', `/v1/templates/${templateId}/preview`, { version: 1e308 }, '/version');
    await refused('GET', `/v1/templates/${templateId}/versions/99999999999`, undefined, '/number');
    const ok = await send('PATCH', `/v1/senders/${senderId}`, { messagingLimit: 2_147_483_647 });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().messagingLimit, 2_147_483_647, 'the largest value the column holds is stored as given');
  });

  it('a lone surrogate in an idempotency key is refused, and retrying never turns into a 500', async () => {
    const body = { purpose: 'marketing', channel: 'whatsapp', status: 'granted', idempotencyKey: 'rel-\ud800-x' };
    for (let attempt = 0; attempt < 2; attempt++) await refused('POST', `/v1/contacts/${contactId}/consent`, body, '/idempotencyKey');
    const history = (await send('GET', `/v1/contacts/${contactId}/consent/history`)).json();
    assert.equal(history.records.length, 0, 'nothing recorded');
    const good = { ...body, idempotencyKey: 'rel-\ud83d\ude00-x' };
    assert.equal((await send('POST', `/v1/contacts/${contactId}/consent`, good)).statusCode, 201);
    assert.equal((await send('POST', `/v1/contacts/${contactId}/consent`, good)).statusCode, 200, 'a well-formed key (a surrogate pair) replays');
  });

  it('free text keeps line breaks and tabs; one-line fields refuse them', async () => {
    const wording = await send('POST', `/v1/contacts/${contactId}/consent`, { purpose: 'utility', channel: 'whatsapp', status: 'granted', wording: 'I agree:\n\t- updates' });
    assert.equal(wording.statusCode, 201, wording.body);
    assert.equal(wording.json().record.wording, 'I agree:\n\t- updates');
    const text = await send('POST', '/v1/messages', { to: '+5511987650000', type: 'text', text: { body: 'Hello\n\tthere' } });
    assert.notEqual(text.json().error?.code, 'REQUEST_INVALID', text.body);
    await refused('PATCH', `/v1/contacts/${contactId}`, { name: 'Ana\nMaria' }, '/name');
    await refused('POST', '/v1/messages', { to: '+5511987650000', type: 'text', text: { body: 'Hello\u0000' } }, '/text/body');
  });
});
