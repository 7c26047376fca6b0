import { sql } from 'kysely';
import type { Migration } from './types.js';
import { columns } from './types.js';

// UltraMsg acks matched on what UltraMsg is known to send (issue 18, decision 0007).
//
// - messages: `provider_alt_id_hash` and `provider_alt_id_sealed`, the provider's second id of a
//   message, stored like `provider_id_*` (0008): a keyed hash to match (unique) and the value sealed.
//   For UltraMsg it is the WhatsApp id (`true_<chat>@c.us_<key>`), learnt from `message_create` and
//   from the instance's message list; its send answer gives only the numeric id (`provider_id_*`).
// - receipt_checks: per UltraMsg send still without a delivery receipt, how often the dispatcher
//   looked it up in the instance's message list and when it looks next (it backs off, then stops).
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);
    await db.schema.alterTable('messages').addColumn('provider_alt_id_hash', 'text').execute();
    await db.schema.alterTable('messages').addColumn('provider_alt_id_sealed', 'text').execute();
    await db.schema.createIndex('messages_provider_alt_hash').on('messages').column('provider_alt_id_hash').unique().where(sql.ref('provider_alt_id_hash'), 'is not', null).execute();

    await db.schema
      .createTable('receipt_checks')
      .addColumn('message_id', 'text', (col) => col.primaryKey())
      .addColumn('checks', 'integer', (col) => col.notNull())
      .addColumn('next_check_at', c.bigint, (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('receipt_checks_created').on('receipt_checks').column('created_at').execute();
  },
};
