import { sql, type RawBuilder } from 'kysely';
import type { DialectName } from './dialect.js';

/**
 * One top-level field of a JSON text column, as text (`metadata` → `$.variant`). JSON is stored as
 * text on both dialects; reading into it differs, so the difference lives here.
 */
export function jsonTextField(dialect: DialectName, column: string, key: string): RawBuilder<string | null> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`Unsupported JSON key ${JSON.stringify(key)}`);
  return dialect === 'postgres' ? sql<string | null>`(${sql.ref(column)}::jsonb ->> ${sql.lit(key)})` : sql<string | null>`json_extract(${sql.ref(column)}, ${sql.lit('$.' + key)})`;
}
