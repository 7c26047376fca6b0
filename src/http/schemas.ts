import { Type, type TSchema, type SchemaOptions } from '@sinclair/typebox';

/**
 * Schema helpers shared by route modules. `StringEnum` gives a plain JSON-schema `enum`, so a bad
 * value is reported as "must be one of ..." rather than a union's "must be equal to constant".
 */
export const StringEnum = <const T extends readonly string[]>(values: T, options: SchemaOptions = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

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
