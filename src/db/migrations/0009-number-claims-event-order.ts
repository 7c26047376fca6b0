import { sql } from 'kysely';
import type { Migration } from './types.js';
import { columns } from './types.js';

/**
 * Two changes of the "survive what production brings" work:
 *
 * a) One provider number, one sender. `senders.number_key` (`cloud:<phone_number_id>` or
 *    `ultramsg:<instance id without the "instance" prefix>`) gets a unique index, because webhooks are
 *    routed by that id alone: a second sender with the same id never heard its statuses. A database
 *    that already holds duplicates keeps the oldest sender of each number (the one webhooks were routed
 *    to) with its key; the younger duplicates keep their rows and messages but get no key and are
 *    disabled, so the index can be built and nothing is deleted (docs/decisions/0009-one-number-one-sender.md).
 *
 * b) Event webhooks in order per resource. Each event carries an ordering key (the conversation: sender
 *    and contact) and a sequence number from `event_sequences`; a delivery waits (`state = 'waiting'`)
 *    while an earlier delivery of the same key to the same subscription is unfinished.
 */
// As `senders/number-key.ts` computes it today, copied so that this migration never changes.
function senderNumberKey(provider: string, phoneNumberId: string | null, instanceId: string | null): string | null {
  if (provider === 'cloud') return phoneNumberId ? `cloud:${phoneNumberId.trim()}` : null;
  const id = instanceId ? instanceId.trim().replace(/^instance/i, '') : '';
  return id ? `ultramsg:${id}` : null;
}

export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);

    // a) number claims
    await db.schema.alterTable('senders').addColumn('number_key', 'text').execute();
    const senders = await db.selectFrom('senders').select(['id', 'provider', 'phone_number_id', 'instance_id']).orderBy('created_at').orderBy('id').execute();
    const claimed = new Set<string>();
    for (const s of senders as Array<{ id: string; provider: string; phone_number_id: string | null; instance_id: string | null }>) {
      const key = senderNumberKey(s.provider, s.phone_number_id, s.instance_id);
      if (!key) continue;
      if (claimed.has(key)) {
        await db.updateTable('senders').set({ status: 'disabled' }).where('id', '=', s.id).execute();
        continue;
      }
      claimed.add(key);
      await db.updateTable('senders').set({ number_key: key }).where('id', '=', s.id).execute();
    }
    await db.schema.createIndex('senders_number_key').on('senders').column('number_key').unique().execute();

    // b) per-resource order of event deliveries
    await db.schema
      .createTable('event_sequences')
      .addColumn('ordering_key', 'text', (col) => col.primaryKey())
      .addColumn('last_sequence', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.alterTable('event_outbox').addColumn('ordering_key', 'text').execute();
    await db.schema.alterTable('event_outbox').addColumn('sequence', c.bigint).execute();
    await db.schema.alterTable('event_deliveries').addColumn('ordering_key', 'text').execute();
    await db.schema.alterTable('event_deliveries').addColumn('sequence', c.bigint).execute();
    // Unfinished deliveries by key: "is an earlier one still open?" and "which one is next?".
    await db.schema
      .createIndex('event_deliveries_open_by_key')
      .on('event_deliveries')
      .columns(['ordering_key', 'subscription_id', 'sequence'])
      .where(sql.ref('state'), 'in', ['pending', 'waiting'])
      .execute();
  },
};
