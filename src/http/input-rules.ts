import type { Ajv } from 'ajv';

// Rules every request schema obeys, enforced once for the whole app rather than route by route:
//
// - Every string a client sends (body, query, path parameters, headers, and every string inside a
//   free-form object such as `metadata`) is checked by the `x-parley-chars` keyword. `line` (the
//   default, which `secureRouteSchemas` puts on every string that names no rule) refuses all C0
//   control characters and DEL; `text` (opted into by free-text fields with `MultilineText`) allows
//   tab, line feed and carriage return. Both refuse unpaired UTF-16 surrogates, which neither
//   database can store as given: PostgreSQL refuses NUL outright, and SQLite's UTF-8 conversion
//   turns a lone surrogate into U+FFFD, so a key stored with one is never found again.
// - Every integer and number has a minimum and a maximum: a route schema without them refuses to
//   boot, so 1e308 is a 400, never a database error or a silently stored number.

export const CHARS_KEYWORD = 'x-parley-chars';
export type CharsRule = 'line' | 'text';

// C0 controls and DEL; `text` keeps tab (09), line feed (0A) and carriage return (0D).
const LINE_FORBIDDEN = /[\u0000-\u001F\u007F]/;
const TEXT_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

type JsonSchema = Record<string, unknown>;

const isSchema = (value: unknown): value is JsonSchema => typeof value === 'object' && value !== null && !Array.isArray(value);
const typesOf = (schema: JsonSchema): string[] => (Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : []);

/** Why a string breaks the rule, or undefined when it is fine. */
export function charsProblem(value: string, rule: CharsRule): string | undefined {
  if (LONE_SURROGATE.test(value)) return 'must not contain unpaired UTF-16 surrogates (invalid Unicode)';
  if ((rule === 'line' ? LINE_FORBIDDEN : TEXT_FORBIDDEN).test(value)) {
    return rule === 'line' ? 'must not contain control characters (U+0000 to U+001F, U+007F)' : 'must not contain NUL or control characters other than tab and line breaks';
  }
  return undefined;
}

/** Checks a value and, for objects and arrays, every key and string inside it (free-form JSON). */
function deepProblem(value: unknown, rule: CharsRule, depth = 0): string | undefined {
  if (typeof value === 'string') return charsProblem(value, rule);
  if (typeof value !== 'object' || value === null || depth > 64) return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = deepProblem(item, rule, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const key in value) {
    const problem = keyProblem(key) ?? deepProblem((value as Record<string, unknown>)[key], rule, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

function keyProblem(key: string): string | undefined {
  const problem = charsProblem(key, 'line');
  return problem && `has a property name that ${problem}`;
}

/**
 * An object's own check: every property name, and deeply every value no sub-schema describes (those
 * that one does are checked by it).
 */
function objectProblem(value: Record<string, unknown>, rule: CharsRule, parent: JsonSchema): string | undefined {
  const declared = isSchema(parent.properties) ? parent.properties : {};
  const governed = isSchema(parent.patternProperties) || isSchema(parent.additionalProperties);
  for (const key in value) {
    const problem = keyProblem(key) ?? (governed || Object.hasOwn(declared, key) ? undefined : deepProblem(value[key], rule, 1));
    if (problem) return problem;
  }
  return undefined;
}

interface KeywordValidate {
  (rule: CharsRule, data: unknown, parent?: JsonSchema): boolean;
  errors?: Array<{ keyword: string; message: string; params: Record<string, unknown> }>;
}

/** Ajv plugin: registers `x-parley-chars` (given to Fastify as `ajv.plugins`). */
export function parleyInputRules(ajv: Ajv): Ajv {
  const validate: KeywordValidate = (rule, data, parent) => {
    const problem = typeof data === 'object' && data !== null && !Array.isArray(data) && parent && typesOf(parent).includes('object') ? objectProblem(data as Record<string, unknown>, rule, parent) : deepProblem(data, rule);
    validate.errors = problem ? [{ keyword: CHARS_KEYWORD, message: problem, params: { rule } }] : undefined;
    return problem === undefined;
  };
  ajv.addKeyword({ keyword: CHARS_KEYWORD, schemaType: 'string', metaSchema: { enum: ['line', 'text'] }, errors: true, validate });
  return ajv;
}

/**
 * Walks one request schema (in place): puts `x-parley-chars: line` on every string without a rule
 * and `text` on every free-form value (no type, or an object open to any property), and reports each
 * integer or number without both bounds. Returns the problems, as JSON pointers with a reason.
 */
export function secureSchema(schema: unknown, at: string, problems: string[], seen = new Set<unknown>()): void {
  if (!isSchema(schema) || seen.has(schema)) return;
  seen.add(schema);
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    if (Array.isArray(schema[key])) (schema[key] as unknown[]).forEach((sub) => secureSchema(sub, at, problems, seen));
  }
  if (isSchema(schema.not)) secureSchema(schema.not, at, problems, seen);
  const types = typesOf(schema);
  const combined = ['anyOf', 'oneOf', 'allOf'].some((k) => Array.isArray(schema[k]));
  const fixed = 'const' in schema || Array.isArray(schema.enum);

  if (types.includes('string') && !fixed && schema[CHARS_KEYWORD] === undefined) schema[CHARS_KEYWORD] = 'line';
  for (const numeric of ['integer', 'number']) {
    if (!types.includes(numeric) || fixed) continue;
    const low = typeof schema.minimum === 'number' || typeof schema.exclusiveMinimum === 'number';
    const high = typeof schema.maximum === 'number' || typeof schema.exclusiveMaximum === 'number';
    if (!low || !high) problems.push(`${at || '/'}: ${numeric} without ${!low && !high ? 'minimum and maximum' : !low ? 'minimum' : 'maximum'}`);
  }
  if (types.includes('object')) {
    if (isSchema(schema.properties)) for (const [name, sub] of Object.entries(schema.properties)) secureSchema(sub, `${at}/${name}`, problems, seen);
    if (isSchema(schema.patternProperties)) for (const sub of Object.values(schema.patternProperties)) secureSchema(sub, `${at}/*`, problems, seen);
    if (isSchema(schema.additionalProperties)) secureSchema(schema.additionalProperties, `${at}/*`, problems, seen);
    const open = schema.additionalProperties === undefined || schema.additionalProperties === true || isSchema(schema.patternProperties) || isSchema(schema.additionalProperties);
    // Property names are strings too; values no schema describes are checked deeply.
    if (open && schema[CHARS_KEYWORD] === undefined) schema[CHARS_KEYWORD] = 'text';
  }
  if (types.includes('array')) {
    if (isSchema(schema.items)) secureSchema(schema.items, `${at}/*`, problems, seen);
    else if (Array.isArray(schema.items)) (schema.items as unknown[]).forEach((sub, i) => secureSchema(sub, `${at}/${i}`, problems, seen));
  }
  if (!types.length && !combined && !fixed && schema[CHARS_KEYWORD] === undefined) schema[CHARS_KEYWORD] = 'text';
}

/** The parts of a route schema that describe what a client sends. */
export const REQUEST_PARTS = ['body', 'querystring', 'params', 'headers'] as const;

/**
 * Secures every request part of a route's schema, including per-content-type bodies
 * (`body.content[type].schema`). Returns the problems found (unbounded numbers).
 */
export function secureRouteSchema(schema: Record<string, unknown> | undefined): string[] {
  const problems: string[] = [];
  if (!schema) return problems;
  for (const part of REQUEST_PARTS) {
    const value = schema[part];
    if (!isSchema(value)) continue;
    if (part === 'body' && isSchema(value.content)) {
      for (const [type, media] of Object.entries(value.content)) if (isSchema(media)) secureSchema(media.schema, `body(${type})`, problems);
    } else {
      secureSchema(value, part, problems);
    }
  }
  return problems;
}
