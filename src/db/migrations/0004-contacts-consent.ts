import { sql } from 'kysely';
import type { Migration } from './types.js';
import { columns } from './types.js';

// Contacts, identity and consent (M2): search indexes for contacts (tags, attributes), the
// append-only consent ledger with its erasable proofs, merge and erasure logs, and the retention
// watermark. Ledger-like tables refuse UPDATE and DELETE in the database itself, so "append-only"
// does not rest on code review alone.
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);

    // Cursor pagination walks a workspace's contacts by id; merged contacts are found by survivor.
    await db.schema.createIndex('contacts_workspace_id').on('contacts').columns(['workspace_id', 'id']).execute();
    await db.schema.createIndex('contacts_merged_into').on('contacts').column('merged_into').execute();

    await db.schema
      .createTable('contact_tags')
      .addColumn('contact_id', 'text', (col) => col.notNull().references('contacts.id'))
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('tag', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('contact_tags_pk', ['contact_id', 'tag'])
      .execute();
    await db.schema.createIndex('contact_tags_search').on('contact_tags').columns(['workspace_id', 'tag', 'contact_id']).execute();

    await db.schema
      .createTable('contact_attributes')
      .addColumn('contact_id', 'text', (col) => col.notNull().references('contacts.id'))
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('key', 'text', (col) => col.notNull())
      .addColumn('value', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('contact_attributes_pk', ['contact_id', 'key'])
      .execute();
    await db.schema.createIndex('contact_attributes_search').on('contact_attributes').columns(['workspace_id', 'key', 'value', 'contact_id']).execute();

    await db.schema
      .createTable('consent_records')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull().references('workspaces.id'))
      .addColumn('contact_id', 'text', (col) => col.notNull().references('contacts.id'))
      .addColumn('purpose', 'text', (col) => col.notNull())
      .addColumn('channel', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('source', 'text', (col) => col.notNull())
      .addColumn('effective_at', c.bigint, (col) => col.notNull())
      .addColumn('recorded_at', c.bigint, (col) => col.notNull())
      .addColumn('wording', 'text')
      .addColumn('actor', c.json, (col) => col.notNull())
      .addColumn('dedup_key', 'text')
      .execute();
    await db.schema.createIndex('consent_records_contact').on('consent_records').columns(['contact_id', 'effective_at']).execute();
    // A redelivered opt-out (same inbound message) or a retried API call cannot record twice.
    await db.schema.createIndex('consent_records_dedup').on('consent_records').columns(['workspace_id', 'dedup_key']).unique().execute();

    // Proof (IP, user agent, receipt number, ...) is personal data: encrypted, and kept apart from
    // the ledger so erasure can destroy it while the ledger rows themselves stay untouched.
    await db.schema
      .createTable('consent_proofs')
      .addColumn('record_id', 'text', (col) => col.primaryKey().references('consent_records.id'))
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('contact_id', 'text', (col) => col.notNull())
      .addColumn('proof', 'text', (col) => col.notNull())
      .execute();
    await db.schema.createIndex('consent_proofs_contact').on('consent_proofs').column('contact_id').execute();

    await db.schema
      .createTable('contact_merges')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull().references('workspaces.id'))
      .addColumn('survivor_id', 'text', (col) => col.notNull().references('contacts.id'))
      .addColumn('merged_id', 'text', (col) => col.notNull().references('contacts.id'))
      .addColumn('actor', c.json, (col) => col.notNull())
      .addColumn('merged_at', c.bigint, (col) => col.notNull())
      .addColumn('detail', c.json, (col) => col.notNull().defaultTo('{}'))
      .execute();
    await db.schema.createIndex('contact_merges_survivor').on('contact_merges').columns(['survivor_id', 'merged_at']).execute();
    await db.schema.createIndex('contact_merges_merged').on('contact_merges').column('merged_id').execute();

    await db.schema
      .createTable('contact_erasures')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull().references('workspaces.id'))
      .addColumn('contact_id', 'text', (col) => col.notNull().references('contacts.id'))
      .addColumn('actor', c.json, (col) => col.notNull())
      .addColumn('erased_at', c.bigint, (col) => col.notNull())
      .addColumn('detail', c.json, (col) => col.notNull().defaultTo('{}'))
      .execute();
    await db.schema.createIndex('contact_erasures_workspace').on('contact_erasures').columns(['workspace_id', 'erased_at']).execute();

    await db.schema
      .createTable('retention_watermarks')
      .addColumn('workspace_id', 'text', (col) => col.primaryKey().references('workspaces.id'))
      .addColumn('purged_before', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();

    for (const table of ['consent_records', 'contact_merges', 'contact_erasures']) await refuseChanges(db, dialect, table);
  },
};

/** Makes a table append-only in the database: UPDATE and DELETE fail with a message naming it. */
async function refuseChanges(db: Parameters<Migration['up']>[0], dialect: Parameters<Migration['up']>[1], table: string): Promise<void> {
  if (dialect === 'sqlite') {
    for (const op of ['update', 'delete']) {
      await sql
        .raw(`create trigger ${table}_no_${op} before ${op} on ${table} begin select raise(abort, '${table} is append-only: ${op} refused'); end`)
        .execute(db);
    }
    return;
  }
  await sql
    .raw(
      `create or replace function parley_refuse_change() returns trigger language plpgsql as $$ begin raise exception '% is append-only: % refused', TG_TABLE_NAME, lower(TG_OP); end $$`,
    )
    .execute(db);
  await sql.raw(`create trigger ${table}_append_only before update or delete on ${table} for each row execute function parley_refuse_change()`).execute(db);
}
