import { sql } from 'kysely';
import type { Migration } from './types.js';
import { columns } from './types.js';

// The core of messaging shared by every module: sender numbers, contacts, messages with their
// event history (statuses and decisions), and the 24-hour customer-service windows.
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);

    await db.schema
      .createTable('senders')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull().references('workspaces.id'))
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('provider', 'text', (col) => col.notNull())
      .addColumn('base_url', 'text', (col) => col.notNull())
      .addColumn('graph_version', 'text')
      .addColumn('phone_number_id', 'text')
      .addColumn('waba_id', 'text')
      .addColumn('instance_id', 'text')
      .addColumn('display_phone', 'text')
      .addColumn('credentials', 'text', (col) => col.notNull())
      .addColumn('webhook_secret', 'text')
      .addColumn('mps', 'integer', (col) => col.notNull())
      .addColumn('messaging_limit', 'integer')
      .addColumn('portfolio_id', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull().defaultTo('active'))
      .addColumn('quality', 'text')
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('senders_workspace').on('senders').column('workspace_id').execute();
    await db.schema.createIndex('senders_phone_number_id').on('senders').column('phone_number_id').execute();
    await db.schema.createIndex('senders_instance_id').on('senders').column('instance_id').execute();

    await db.schema
      .createTable('contacts')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull().references('workspaces.id'))
      .addColumn('phone_hash', 'text')
      .addColumn('phone', 'text')
      .addColumn('wa_id_hash', 'text')
      .addColumn('wa_id', 'text')
      .addColumn('name', 'text')
      .addColumn('email_hash', 'text')
      .addColumn('email', 'text')
      .addColumn('language', 'text')
      .addColumn('time_zone', 'text')
      .addColumn('country', 'text')
      .addColumn('attributes', c.json, (col) => col.notNull().defaultTo('{}'))
      .addColumn('tags', c.json, (col) => col.notNull().defaultTo('[]'))
      .addColumn('merged_into', 'text')
      .addColumn('erased_at', c.bigint)
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('contacts_phone').on('contacts').columns(['workspace_id', 'phone_hash']).unique().execute();
    await db.schema.createIndex('contacts_wa_id').on('contacts').columns(['workspace_id', 'wa_id_hash']).execute();
    await db.schema.createIndex('contacts_email').on('contacts').columns(['workspace_id', 'email_hash']).execute();

    await db.schema
      .createTable('messages')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull().references('workspaces.id'))
      .addColumn('direction', 'text', (col) => col.notNull())
      .addColumn('channel', 'text', (col) => col.notNull().defaultTo('whatsapp'))
      .addColumn('sender_id', 'text', (col) => col.references('senders.id'))
      .addColumn('contact_id', 'text', (col) => col.references('contacts.id'))
      .addColumn('category', 'text')
      .addColumn('lane_priority', 'integer', (col) => col.notNull().defaultTo(9))
      .addColumn('type', 'text', (col) => col.notNull())
      .addColumn('content', 'text')
      .addColumn('template_name', 'text')
      .addColumn('template_language', 'text')
      .addColumn('intent', 'text')
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('status_rank', 'integer', (col) => col.notNull())
      .addColumn('status_at', c.bigint, (col) => col.notNull())
      .addColumn('provider_message_id', 'text')
      .addColumn('idempotency_key', 'text')
      .addColumn('request_hash', 'text')
      .addColumn('send_at', c.bigint, (col) => col.notNull())
      .addColumn('valid_until', c.bigint)
      .addColumn('next_attempt_at', c.bigint, (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('claimed_by', 'text')
      .addColumn('claimed_at', c.bigint)
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('metadata', c.json, (col) => col.notNull().defaultTo('{}'))
      .addColumn('reply_to', 'text')
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    // Partial unique indexes: most rows have no key yet (or ever), and need no index entry.
    await db.schema.createIndex('messages_provider_id').on('messages').column('provider_message_id').unique().where(sql.ref('provider_message_id'), 'is not', null).execute();
    await db.schema.createIndex('messages_idempotency').on('messages').columns(['workspace_id', 'idempotency_key']).unique().where(sql.ref('idempotency_key'), 'is not', null).execute();
    // The dispatcher's claim: queued work per sender, by lane, then by due time.
    await db.schema.createIndex('messages_due').on('messages').columns(['status', 'sender_id', 'lane_priority', 'next_attempt_at']).execute();
    await db.schema.createIndex('messages_contact').on('messages').columns(['contact_id', 'created_at']).execute();
    await db.schema.createIndex('messages_workspace_created').on('messages').columns(['workspace_id', 'created_at']).execute();

    await c
      .serialPk(db.schema.createTable('message_events'), 'seq')
      .addColumn('message_id', 'text', (col) => col.notNull().references('messages.id'))
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('status', 'text')
      .addColumn('at', c.bigint, (col) => col.notNull())
      .addColumn('detail', c.json, (col) => col.notNull().defaultTo('{}'))
      .execute();
    await db.schema.createIndex('message_events_message').on('message_events').columns(['message_id', 'seq']).execute();

    await db.schema
      .createTable('service_windows')
      .addColumn('sender_id', 'text', (col) => col.notNull().references('senders.id'))
      .addColumn('contact_id', 'text', (col) => col.notNull().references('contacts.id'))
      .addColumn('last_inbound_at', c.bigint, (col) => col.notNull())
      .addPrimaryKeyConstraint('service_windows_pk', ['sender_id', 'contact_id'])
      .execute();
  },
};
