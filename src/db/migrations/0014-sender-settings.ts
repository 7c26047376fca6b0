import type { Migration } from './types.js';
import { columns } from './types.js';

/**
 * A sender's provider-specific settings become one JSON column, `senders.settings`, checked against
 * the provider's schema (`channels/<provider>/settings.ts`), so that a new provider (SMS, email) adds
 * no columns (docs/decisions/0014-sender-settings.md). Every row's provider columns are carried into
 * it (Cloud API `{ phoneNumberId, graphVersion }`, UltraMsg `{ instanceId }`, only the keys that
 * have a value) and the columns are dropped with their indexes (SQLite refuses to drop an indexed
 * column): lookups by number go through `number_key` (`cloud:<phone_number_id>`,
 * `ultramsg:<instance id>`), which every routable sender has since 0009. `waba_id` stays a column:
 * template management looks senders up by their WABA, and an UltraMsg sender may name one too.
 */
// The keys each provider kept, as they were when this migration was written, copied so that it never changes.
const CARRIED: Record<string, Array<[column: string, key: string]>> = {
  cloud: [
    ['phone_number_id', 'phoneNumberId'],
    ['graph_version', 'graphVersion'],
  ],
  ultramsg: [['instance_id', 'instanceId']],
};

export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);
    await db.schema.alterTable('senders').addColumn('settings', c.json, (col) => col.notNull().defaultTo('{}')).execute();
    const rows = (await db.selectFrom('senders').select(['id', 'provider', 'phone_number_id', 'graph_version', 'instance_id']).execute()) as Array<Record<string, string | null>>;
    for (const row of rows) {
      const settings: Record<string, string> = {};
      for (const [column, key] of CARRIED[row.provider!] ?? []) {
        const value = row[column];
        if (value) settings[key] = value;
      }
      await db.updateTable('senders').set({ settings: JSON.stringify(settings) }).where('id', '=', row.id).execute();
    }
    await db.schema.dropIndex('senders_phone_number_id').execute();
    await db.schema.dropIndex('senders_instance_id').execute();
    // One column per statement: SQLite drops one at a time.
    for (const column of ['phone_number_id', 'instance_id', 'graph_version']) await db.schema.alterTable('senders').dropColumn(column).execute();
  },
};
