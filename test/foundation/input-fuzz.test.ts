import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import AjvCompiler from '@fastify/ajv-compiler';
import { sql } from 'kysely';
import { describeStorage } from '../harness/storage.js';
import type { ParleyApp } from '../../src/http/types.js';
import { CHARS_KEYWORD, parleyInputRules } from '../../src/http/input-rules.js';
import { branches, isObject, sample, typesOf, type Json, type Schema } from '../harness/schema-sample.js';

// Bad input on every route, generated from the app's own OpenAPI document: for every path parameter,
// query value, declared header and body field, values no field may take (NUL and other control
// characters, a lone surrogate, DEL, 1e308 and -1e308, one character or item too many, a value of
// the wrong type, a control character in a property name) are sent one at a time into an otherwise
// valid request. Every answer must be a 4xx with an error code, never a 500 or a 2xx, on both
// databases, and no row may be added by a refused request. The document itself must say that every
// string has a character rule and every number has bounds, so a new route cannot slip past.

interface Operation {
  method: string;
  path: string;
  parameters: Array<{ in: 'path' | 'query' | 'header'; name: string; required?: boolean; schema: Schema }>;
  body?: { type: string; schema: Schema; required: boolean };
}
interface Case {
  label: string;
  field: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  contentType?: string;
}

// Validates a generated base request the way the app does (same Ajv options and plugin), so a case
// is only counted as "reaching the field" when the rest of the request is valid.
const compile = (AjvCompiler as unknown as () => (ext: unknown, opts: unknown) => (r: { schema: unknown }) => ((d: unknown) => boolean))()({}, {
  customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false, strict: false },
  plugins: [parleyInputRules],
});
const validates = (schema: Schema, value: Json) => compile({ schema })(structuredClone(value));

const STRINGS_ALWAYS_BAD: Array<[string, string]> = [
  ['NUL', 'a\u0000b'],
  ['control U+0001', 'a\u0001b'],
  ['escape U+001B', '\u001b[31m'],
  ['DEL', 'a\u007fb'],
  ['lone high surrogate', 'rel-\ud800-x'],
  ['lone low surrogate', '\udc00'],
];

/** Values that no field described by `s` may take, each with a label. */
function badValues(s: Schema): Array<[string, Json]> {
  if ('const' in s || Array.isArray(s.enum)) return [['not one of the values', 'a\u0000b'], ['wrong type', { x: 1 }]];
  const alts = branches(s).filter((b) => !typesOf(b).includes('null'));
  const types = new Set(alts.length ? alts.flatMap(typesOf) : typesOf(s));
  const out: Array<[string, Json]> = [];
  const stringSchema = alts.find((b) => typesOf(b).includes('string')) ?? (types.has('string') ? s : undefined);
  if (stringSchema || types.size === 0) {
    out.push(...STRINGS_ALWAYS_BAD);
    if ((stringSchema?.[CHARS_KEYWORD] ?? 'line') === 'line' && stringSchema) out.push(['line feed in a one-line field', 'a\nb']);
    if (typeof stringSchema?.maxLength === 'number') out.push(['one character too many', 'x'.repeat(stringSchema.maxLength + 1)]);
  }
  // (A number where a string is also allowed is not wrong: Ajv coerces it to its string form.)
  if ((types.has('integer') || types.has('number')) && !types.has('string')) {
    out.push(['1e308', 1e308], ['-1e308', -1e308]);
    const numeric = alts.find((b) => typesOf(b).some((t) => t === 'integer' || t === 'number')) ?? s;
    const nullable = numeric.nullable === true || branches(s).some((b) => typesOf(b).includes('null'));
    if (typeof numeric.maximum === 'number' && numeric.maximum < 1e300) out.push(['maximum + 1', numeric.maximum + 1]);
    // (0 where null is allowed is coerced to null by Ajv, as '' and false are: not tried.)
    if (typeof numeric.minimum === 'number' && numeric.minimum > -1e300 && !(nullable && numeric.minimum - 1 === 0)) out.push(['minimum - 1', numeric.minimum - 1]);
    if (types.has('integer') && !types.has('number')) out.push(['a fraction', 1.5]);
  }
  if (types.size && !types.has('object')) out.push(['wrong type', { x: 1 }]);
  if (types.has('boolean') && !types.has('string')) out.push(['wrong type (string)', 'maybe']);
  // (A string where an array is expected is not wrong: Fastify's Ajv coerces it to a one-item array.)
  if (types.has('object') && !types.has('string') && !types.has('array')) out.push(['wrong type (string)', 'not-an-object']);
  if (types.has('object') || types.size === 0) out.push(['control character in a property name', { 'k\u0000ey': 'v' }], ['lone surrogate in a value', { key: 'x\udfff' }]);
  if (types.has('array') || types.size === 0) out.push(['NUL in an item', ['a\u0000b']]);
  return out;
}

/** Every field of a body schema with its JSON pointer (depth-limited), for one-at-a-time fuzzing. */
function fields(s: Schema, at = '', depth = 0, out: Array<{ pointer: string; schema: Schema }> = []) {
  out.push({ pointer: at, schema: s });
  if (depth > 5) return out;
  const alts = branches(s).filter((b) => !typesOf(b).includes('null'));
  const target = alts.length ? alts[0] : s;
  if (isObject(target.properties)) for (const [name, sub] of Object.entries(target.properties)) if (isObject(sub)) fields(sub, `${at}/${name}`, depth + 1, out);
  if (isObject(target.items)) fields(target.items, `${at}/0`, depth + 1, out);
  if (isObject(target.additionalProperties)) fields(target.additionalProperties, `${at}/key`, depth + 1, out);
  return out;
}

function setAt(base: Json, pointer: string, value: Json, schema: Schema): Json {
  if (!pointer) return value;
  const root = structuredClone(base) as Record<string, Json>;
  const parts = pointer.split('/').slice(1);
  let node: Record<string, Json> | Json[] = root;
  let nodeSchema = schema;
  for (const [i, part] of parts.entries()) {
    const alts = branches(nodeSchema).filter((b) => !typesOf(b).includes('null'));
    const s = alts.length ? alts[0] : nodeSchema;
    const child = (isObject(s.properties) && isObject(s.properties[part]) ? s.properties[part] : isObject(s.items) ? s.items : isObject(s.additionalProperties) ? s.additionalProperties : {}) as Schema;
    const key = Array.isArray(node) ? Number(part) : part;
    if (i === parts.length - 1) {
      (node as Record<string | number, Json>)[key] = value;
    } else {
      const existing = (node as Record<string | number, Json>)[key];
      if (typeof existing !== 'object' || existing === null) (node as Record<string | number, Json>)[key] = typesOf(child).includes('array') || (isObject(child.items) && !child.properties) ? [] : sample(child) ?? {};
      const next = (node as Record<string | number, Json>)[key];
      node = (typeof next === 'object' && next !== null ? next : {}) as Record<string, Json>;
    }
    nodeSchema = child;
  }
  return root;
}

// Path and query values are sent as the bytes a client would put in a URL: a lone surrogate as the
// UTF-8-style bytes ED A0 80 (which decode to nothing valid), controls percent-encoded.
const urlEncode = (value: string) =>
  Array.from(value)
    .map((ch) => {
      const code = ch.charCodeAt(0);
      if (ch.length === 1 && code >= 0xd800 && code <= 0xdfff) return `%${(0xe0 | (code >> 12)).toString(16)}%${(0x80 | ((code >> 6) & 63)).toString(16)}%${(0x80 | (code & 63)).toString(16)}`.toUpperCase();
      return encodeURIComponent(ch);
    })
    .join('');

const scalarBad = (s: Schema): Array<[string, string]> => {
  const out: Array<[string, string]> = [];
  const types = typesOf(s);
  if (types.includes('string') && !Array.isArray(s.enum)) {
    out.push(...STRINGS_ALWAYS_BAD);
    if ((s[CHARS_KEYWORD] ?? 'line') === 'line') out.push(['line feed', 'a\nb']);
    if (typeof s.maxLength === 'number') out.push(['one character too many', 'x'.repeat(s.maxLength + 1)]);
  }
  if (Array.isArray(s.enum)) out.push(['not one of the values', 'a\u0000b'], ['not one of the values (plain)', 'no-such-value']);
  if (types.includes('integer') || types.includes('number')) out.push(['1e308', '1e308'], ['-1e308', '-1e308'], ['huge', '99999999999999999999999'], ['not a number', 'abc'], ['NUL', '1\u0000']);
  if (types.includes('boolean')) out.push(['not a boolean', 'maybe']);
  return out;
};

function operations(doc: { paths: Record<string, Record<string, Schema>> }): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const requestBody = op.requestBody as { required?: boolean; content?: Record<string, { schema: Schema }> } | undefined;
      const [type, media] = Object.entries(requestBody?.content ?? {})[0] ?? [];
      out.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters as Operation['parameters'] | undefined) ?? [],
        body: type && media ? { type, schema: media.schema, required: requestBody?.required ?? false } : undefined,
      });
    }
  }
  return out;
}

/** Every schema node in a request part (for the document-level checks). */
function* nodes(s: unknown, at: string): Generator<[string, Schema]> {
  if (!isObject(s)) return;
  yield [at, s];
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) if (Array.isArray(s[k])) for (const sub of s[k] as unknown[]) yield* nodes(sub, at);
  if (isObject(s.properties)) for (const [n, sub] of Object.entries(s.properties)) yield* nodes(sub, `${at}/${n}`);
  if (isObject(s.items)) yield* nodes(s.items, `${at}/*`);
  if (isObject(s.additionalProperties)) yield* nodes(s.additionalProperties, `${at}/*`);
}

/**
 * A clean refusal: a 4xx with Parley's error code; on the Cloud-API-compatible gateway, Meta's error
 * envelope (a numeric code) is also accepted; on a batch, a 200 whose every item was refused with a code.
 */
function refused(op: Operation, status: number, body: string): boolean {
  let json: { error?: { code?: unknown }; rejected?: number; results?: Array<{ status: number; error?: { code?: unknown } }> };
  try {
    json = JSON.parse(body);
  } catch {
    return false;
  }
  // (The gateway answers in Meta's envelope once a route runs; the router's own refusals are Parley's.)
  if (status >= 400 && status < 500) return typeof json.error?.code === 'string' || (op.path.startsWith('/graph/') && typeof json.error?.code === 'number');
  if (status === 200 && op.path.endsWith(':batch') && json.results?.length) return json.results.every((r) => r.status >= 400 && r.status < 500 && typeof r.error?.code === 'string');
  return false;
}

describeStorage('bad input on every route (generated from /openapi.json)', (fx) => {
  let app: ParleyApp;
  let authorization: string;
  let ops: Operation[];
  const ids: Record<string, string> = {};

  const tableCounts = async (): Promise<Record<string, number>> => {
    const tables =
      fx.dialect === 'sqlite'
        ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(fx.db)).rows
        : (await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema()`.execute(fx.db)).rows;
    // One round trip for every table's count.
    const counts = sql.join(tables.map(({ name }) => sql`select ${name} as name, count(*) as n from ${sql.table(name)}`), sql` union all `);
    const rows = (await sql<{ name: string; n: number | string }>`${counts}`.execute(fx.db)).rows;
    return Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
  };

  before(async () => {
    app = await fx.app(fx.context({ whatsappAppSecrets: 'fuzz-app-secret' }));
    ({ authorization } = await fx.workspace(['admin']));
    ops = operations((await app.inject('/openapi.json')).json());
    // Real resources, so requests whose bad value is elsewhere reach the handler for a real row.
    const create = async (url: string, payload: Record<string, unknown>) => {
      const res = await app.inject({ method: 'POST', url, headers: { authorization }, payload });
      assert.ok(res.statusCode < 300, `${url}: ${res.body}`);
      return res.json();
    };
    ids.contact = (await create('/v1/contacts', { phone: '+5511987654321', name: 'Fuzz' })).id;
    ids.sender = (await create('/v1/senders', { name: 'fuzz', provider: 'ultramsg', instanceId: 'instance1', token: 'tok' })).id;
    ids.subscription = (await create('/v1/event-subscriptions', { url: 'https://crm.example.com/hook', eventTypes: ['message.status'] })).id;
    ids.intent = (await create('/v1/intents', { name: 'fuzz_intent', text: 'Hello' })).name;
  });

  /** A valid value for a path parameter: a real resource where the path names one. */
  const pathValue = (path: string, name: string): string => {
    if (name === 'id' && path.startsWith('/v1/contacts/')) return ids.contact;
    if (name === 'id' && path.startsWith('/v1/senders/')) return ids.sender;
    if (name === 'id' && path.startsWith('/v1/event-subscriptions/')) return ids.subscription;
    if (name === 'name' && path.startsWith('/v1/intents/')) return ids.intent;
    if (name === 'number') return '1';
    if (name === 'version') return 'v23.0';
    return 'x_unknown';
  };

  const buildCases = (op: Operation): { cases: Case[]; baseValid: boolean } => {
    const pathParams = op.parameters.filter((p) => p.in === 'path');
    const url = (override?: { name: string; raw: string }, query = '') =>
      op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => (override?.name === name ? override.raw : encodeURIComponent(pathValue(op.path, name)))) + query;
    const headers = { authorization };
    const body = op.body;
    const base = body ? sample(body.schema) : undefined;
    const baseValid = body ? body.type !== 'application/json' || validates(body.schema, base) : true;
    const payloadOf = (value: Json) => (body?.type === 'application/json' ? JSON.stringify(value) : String(value));
    const basePayload = body && body.required ? payloadOf(base) : undefined;
    const contentType = body?.type;
    const cases: Case[] = [];
    for (const p of pathParams) {
      for (const [label, raw] of scalarBad(p.schema)) cases.push({ label, field: `params/${p.name}`, url: url({ name: p.name, raw: urlEncode(raw) }), headers, payload: basePayload, contentType });
    }
    for (const p of op.parameters.filter((q) => q.in === 'query')) {
      for (const [label, raw] of scalarBad(p.schema)) cases.push({ label, field: `query/${p.name}`, url: url(undefined, `?${encodeURIComponent(p.name)}=${urlEncode(raw)}`), headers, payload: basePayload, contentType });
    }
    for (const p of op.parameters.filter((q) => q.in === 'header')) {
      for (const [label, raw] of scalarBad(p.schema)) {
        // Node refuses to send control characters or characters above U+00FF in a header; a client
        // cannot send them either, so only what can travel is tried.
        if (/[^\u0020-\u007e\u00a0-\u00ff]/.test(raw)) continue;
        cases.push({ label, field: `headers/${p.name}`, url: url(), headers: { ...headers, [p.name]: raw }, payload: basePayload, contentType });
      }
    }
    if (body) {
      if (body.type === 'application/json') {
        for (const { pointer, schema } of fields(body.schema)) {
          for (const [label, value] of badValues(schema)) cases.push({ label, field: `body${pointer}`, url: url(), headers, payload: JSON.stringify(setAt(base, pointer, value, body.schema)), contentType });
        }
        cases.push({ label: 'malformed JSON', field: 'body', url: url(), headers, payload: '{"a":', contentType });
      } else {
        // A text body travels as UTF-8, which cannot carry a lone surrogate (the client's encoder
        // sends U+FFFD): only the control characters are tried.
        for (const [label, value] of STRINGS_ALWAYS_BAD.filter(([l]) => !l.includes('surrogate'))) cases.push({ label, field: 'body', url: url(), headers, payload: `phone,name\n+5511987654321,${value}\n`, contentType });
      }
    }
    return { cases, baseValid };
  };

  it('the document gives every request string a character rule and every number bounds', () => {
    const problems: string[] = [];
    for (const op of ops) {
      const parts: Array<[string, unknown]> = [...op.parameters.map((p): [string, unknown] => [`${p.in}/${p.name}`, p.schema]), ...(op.body ? [[`body(${op.body.type})`, op.body.schema] as [string, unknown]] : [])];
      for (const [where, schema] of parts) {
        for (const [at, node] of nodes(schema, where)) {
          const types = typesOf(node);
          if (types.includes('string') && !Array.isArray(node.enum) && !('const' in node) && !node[CHARS_KEYWORD]) problems.push(`${op.method} ${op.path} ${at}: string without ${CHARS_KEYWORD}`);
          if ((types.includes('integer') || types.includes('number')) && (![node.minimum, node.exclusiveMinimum].some((b) => typeof b === 'number') || ![node.maximum, node.exclusiveMaximum].some((b) => typeof b === 'number'))) problems.push(`${op.method} ${op.path} ${at}: number without bounds`);
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(ops.length > 60, `read ${ops.length} operations`);
  });

  it('answers every bad value on every route with a 4xx and an error code, storing nothing', async () => {
    const failures: string[] = [];
    const unreached: string[] = [];
    let sent = 0;
    for (const op of ops) {
      if (op.path === '/openapi.json' || op.path.startsWith('/docs')) continue;
      const { cases, baseValid } = buildCases(op);
      if (!cases.length) continue;
      if (!baseValid) unreached.push(`${op.method} ${op.path}`);
      const before = await tableCounts();
      for (const c of cases) {
        const headers = { ...c.headers, ...(c.payload !== undefined ? { 'content-type': c.contentType ?? 'application/json' } : {}) };
        const res = await app.inject({ method: op.method as 'GET', url: c.url, headers, payload: c.payload });
        sent++;
        const what = `${op.method} ${op.path} ${c.field} (${c.label}): ${res.statusCode}`;
        if (!refused(op, res.statusCode, res.body)) failures.push(`${what} ${res.body.slice(0, 200)}`);
      }
      const after = await tableCounts();
      for (const [table, n] of Object.entries(after)) if (n !== before[table]) failures.push(`${op.method} ${op.path}: ${table} went from ${before[table]} to ${n} rows on refused requests`);
    }
    assert.equal(failures.length, 0, `${failures.length} of ${sent} bad requests were not refused cleanly:\n${failures.join('\n')}`);
    assert.ok(sent > 1000, `sent ${sent} bad requests`);
    // A generated base body that does not validate would hide a field behind another error.
    assert.deepEqual(unreached, [], 'every operation with a body gets a valid base body, so each bad value is the only problem');
  });
});
