import type { Migration } from './types.js';
import { columns } from './types.js';

// Workspaces, their API keys and their data keys (envelope encryption).
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);
    await db.schema
      .createTable('workspaces')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('region', 'text', (col) => col.notNull().defaultTo('default'))
      .addColumn('settings', c.json, (col) => col.notNull().defaultTo('{}'))
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull().references('workspaces.id'))
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('prefix', 'text', (col) => col.notNull())
      .addColumn('key_hash', 'text', (col) => col.notNull().unique())
      .addColumn('scopes', c.json, (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('last_used_at', c.bigint)
      .addColumn('revoked_at', c.bigint)
      .execute();
    await db.schema.createIndex('api_keys_workspace').on('api_keys').column('workspace_id').execute();

    await db.schema
      .createTable('data_keys')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull().references('workspaces.id'))
      .addColumn('wrapped_key', 'text', (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('retired_at', c.bigint)
      .execute();
    await db.schema.createIndex('data_keys_workspace').on('data_keys').columns(['workspace_id', 'created_at']).execute();
  },
};
