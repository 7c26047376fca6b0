import type { Kysely, ColumnDefinitionBuilder, CreateTableBuilder } from 'kysely';
import type { DialectName } from '../dialect.js';

/**
 * A numbered, append-only migration. Never edit one that has shipped: add the next number.
 * `up` receives the dialect so the few type differences can be chosen through `columns()`.
 */
export interface Migration {
  up(db: Kysely<any>, dialect: DialectName): Promise<void>;
}

/** Column types that differ between dialects, chosen in one place. */
export function columns(dialect: DialectName) {
  return {
    /** Epoch milliseconds and counters. */
    bigint: 'bigint' as const,
    /** JSON documents, stored as text on both dialects and parsed in code. */
    json: 'text' as const,
    bytes: dialect === 'postgres' ? ('bytea' as const) : ('blob' as const),
    /** An auto-incrementing integer primary key: a strictly increasing sequence for logs. */
    serialPk<T extends string>(table: CreateTableBuilder<any, any>, name: T) {
      return dialect === 'postgres'
        ? table.addColumn(name, 'bigserial', (c: ColumnDefinitionBuilder) => c.primaryKey())
        : table.addColumn(name, 'integer', (c: ColumnDefinitionBuilder) => c.primaryKey().autoIncrement());
    },
  };
}
