import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { Kind, Type, TypeRegistry, type Static, type StringOptions, type TSchema, type SchemaOptions } from '@sinclair/typebox';
import { ParleyError } from '../errors/parley-error.js';
import { CHARS_KEYWORD } from './input-rules.js';

/**
 * Schema helpers shared by route modules. `StringEnum` gives a plain JSON-schema `enum`, so a bad
 * value is reported as "must be one of ..." rather than a union's "must be equal to constant".
 */
export const StringEnum = <const T extends readonly string[]>(values: T, options: SchemaOptions = {}) =>
  Type.Unsafe<T[number]>({ [Kind]: 'StringEnum', type: 'string', enum: [...values], ...options });

// Lets TypeBox's own checker (used by `assertMatches`) understand StringEnum; Fastify validates with Ajv.
if (!TypeRegistry.Has('StringEnum')) {
  TypeRegistry.Set('StringEnum', (schema: { enum: string[] }, value) => typeof value === 'string' && schema.enum.includes(value));
}

/**
 * A free-text string: tab, line feed and carriage return are allowed (message bodies, template text,
 * wording, notes). Every other request string is single-line by default (`input-rules.ts`): no
 * control characters at all. Both refuse NUL, other C0 controls and unpaired surrogates.
 */
export const MultilineText = (options: StringOptions = {}) => Type.String({ ...options, [CHARS_KEYWORD]: 'text' });

/**
 * The bounds of a request integer stored in an `integer` column (PostgreSQL int4; SQLite would
 * store anything). Every request number needs bounds: the app refuses to boot otherwise.
 */
export const INT32_MAX = 2_147_483_647;

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** ISO-8601 timestamp string in responses. */
export const Timestamp = (options: SchemaOptions = {}) => Type.String({ format: 'date-time', ...options });

export const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

/** Cursor pagination query shared by list endpoints. */
export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ description: 'The `nextCursor` of the previous page.' })),
});

export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    hint: Type.String(),
    field: Type.Optional(Type.String()),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    requestId: Type.Optional(Type.String()),
  }),
});

/**
 * Validates a value built in code (not a request body Fastify already checked) against a schema,
 * throwing REQUEST_INVALID naming the first bad field, as route validation does.
 */
/** Each schema checked on a hot path (every bot and conversation send) compiled once; the errors are walked only for a value that fails. */
const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

export function assertMatches<T extends TSchema>(schema: T, value: unknown, prefix = ''): asserts value is Static<T> {
  let check = compiled.get(schema);
  if (!check) compiled.set(schema, (check = TypeCompiler.Compile(schema)));
  if (check.Check(value)) return;
  const first = check.Errors(value).First();
  if (!first) return;
  throw new ParleyError('REQUEST_INVALID', { message: `Invalid field ${prefix}${first.path || '/'}: ${first.message}.`, field: `${prefix}${first.path || '/'}` });
}
