import { sql } from 'kysely';
import type { Migration } from './types.js';
import { columns } from './types.js';

// Personal data at rest (issue "Right by default", items 1-3): provider message ids, contact
// attributes and tags are no longer stored in clear.
//
// - messages: `provider_message_id` becomes `provider_id_sealed` (the id encrypted with the
//   workspace's data key) beside `provider_id_hash` (a keyed hash, unique: what statuses,
//   redeliveries and replies match on).
// - pending_statuses: `provider_message_id` becomes `provider_id_hash`; `item` is sealed.
// - contacts: `attributes` and `tags` hold ciphertext; their search rows hold keyed hashes
//   (`contact_tags.tag_hash`, `contact_attributes.value_hash`; attribute keys stay readable).
//
// A migration has no keys (the master key is not the database's), so it only changes the schema.
// Rows written before it are converted by `privacy/seal-legacy-data.ts`, which every Parley process
// runs at boot right after migrating, with the master key, until the `data_backfills` row this
// migration adds is marked done. Until then readers accept both forms (clear JSON, `v1.` ciphertext).
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);

    await db.schema.dropIndex('messages_provider_id').execute();
    await db.schema.alterTable('messages').renameColumn('provider_message_id', 'provider_id_sealed').execute();
    await db.schema.alterTable('messages').addColumn('provider_id_hash', 'text').execute();
    await db.schema.createIndex('messages_provider_hash').on('messages').column('provider_id_hash').unique().where(sql.ref('provider_id_hash'), 'is not', null).execute();

    await db.schema.alterTable('pending_statuses').renameColumn('provider_message_id', 'provider_id_hash').execute();

    await db.schema.alterTable('contact_tags').renameColumn('tag', 'tag_hash').execute();
    await db.schema.alterTable('contact_attributes').renameColumn('value', 'value_hash').execute();

    // One-off data conversions that need keys, run by the application at boot (see above).
    await db.schema
      .createTable('data_backfills')
      .addColumn('name', 'text', (col) => col.primaryKey())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('done_at', c.bigint)
      .execute();
    await db.insertInto('data_backfills').values({ name: '0008-seal-personal-data', created_at: Date.now(), done_at: null }).execute();
  },
};
