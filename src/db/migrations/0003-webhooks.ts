import { sql } from 'kysely';
import type { Migration } from './types.js';
import { columns } from './types.js';

// Webhook ingestion (the durable delivery log and what processing it produces) and event webhooks to
// business systems (subscriptions, the event outbox, deliveries). Terminology: src/webhooks/tables.ts
// and src/events/tables.ts.
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);

    // The log: every authenticated provider delivery, committed before the 200.
    await c
      .serialPk(db.schema.createTable('webhook_log'), 'seq')
      .addColumn('provider', 'text', (col) => col.notNull())
      .addColumn('received_at', c.bigint, (col) => col.notNull())
      .addColumn('sender_id', 'text')
      .addColumn('body', c.bytes, (col) => col.notNull())
      .addColumn('headers', c.json, (col) => col.notNull().defaultTo('{}'))
      .addColumn('state', 'text', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('next_attempt_at', c.bigint, (col) => col.notNull())
      .addColumn('claimed_by', 'text')
      .addColumn('claimed_at', c.bigint)
      .addColumn('processed_at', c.bigint)
      .addColumn('error', 'text')
      .addColumn('outcome', c.json)
      .execute();
    await db.schema.createIndex('webhook_log_due').on('webhook_log').columns(['state', 'next_attempt_at', 'seq']).execute();
    await db.schema.createIndex('webhook_log_received').on('webhook_log').columns(['received_at']).execute();

    // Domain events announced by processing, written in the same transaction, removed once emitted.
    await c
      .serialPk(db.schema.createTable('webhook_domain_events'), 'seq')
      .addColumn('event', c.json, (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .execute();

    // One row per (message, provider status) ever applied: redeliveries dedupe on the primary key.
    // On SQLite the key is the table (WITHOUT ROWID): one B-tree write per receipt instead of two.
    await db.schema
      .createTable('status_receipts')
      .addColumn('message_id', 'text', (col) => col.notNull().references('messages.id'))
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('received_at', c.bigint, (col) => col.notNull())
      .addPrimaryKeyConstraint('status_receipts_pk', ['message_id', 'status'])
      .$call((table) => (dialect === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table))
      .execute();

    // Statuses that arrived before Parley stored the provider's id of their message.
    await c
      .serialPk(db.schema.createTable('pending_statuses'), 'id')
      .addColumn('provider', 'text', (col) => col.notNull())
      .addColumn('provider_message_id', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('sender_id', 'text', (col) => col.notNull())
      .addColumn('parley_message_id', 'text')
      .addColumn('item', c.json, (col) => col.notNull())
      .addColumn('received_at', c.bigint, (col) => col.notNull())
      .addColumn('expires_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('pending_statuses_key').on('pending_statuses').columns(['provider_message_id', 'status', 'provider']).unique().execute();
    await db.schema.createIndex('pending_statuses_parley_id').on('pending_statuses').columns(['parley_message_id']).execute();
    await db.schema.createIndex('pending_statuses_expiry').on('pending_statuses').columns(['expires_at']).execute();

    // Inbound media: downloaded through the provider's media API and stored encrypted.
    await db.schema
      .createTable('media')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull().references('workspaces.id'))
      .addColumn('message_id', 'text', (col) => col.notNull().references('messages.id'))
      .addColumn('sender_id', 'text', (col) => col.notNull().references('senders.id'))
      .addColumn('provider', 'text', (col) => col.notNull())
      .addColumn('provider_media_id', 'text')
      .addColumn('source_url', 'text')
      .addColumn('mime_type', 'text')
      .addColumn('sha256', 'text')
      .addColumn('filename', 'text')
      .addColumn('size', 'integer')
      .addColumn('state', 'text', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('next_attempt_at', c.bigint, (col) => col.notNull())
      .addColumn('error', 'text')
      .addColumn('data', 'text')
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('media_message').on('media').columns(['message_id']).unique().execute();
    await db.schema.createIndex('media_due').on('media').columns(['state', 'next_attempt_at']).execute();

    // Template status and quality updates, for the templates module.
    await c
      .serialPk(db.schema.createTable('template_updates'), 'id')
      .addColumn('kind', 'text', (col) => col.notNull())
      .addColumn('waba_id', 'text', (col) => col.notNull())
      .addColumn('template_key', 'text', (col) => col.notNull())
      .addColumn('template_id', 'text')
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('language', 'text', (col) => col.notNull())
      .addColumn('event', 'text', (col) => col.notNull())
      .addColumn('previous', 'text')
      .addColumn('reason', 'text')
      .addColumn('category', 'text')
      .addColumn('detail', c.json, (col) => col.notNull().defaultTo('{}'))
      .addColumn('at', c.bigint, (col) => col.notNull())
      .addColumn('received_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('template_updates_key').on('template_updates').columns(['kind', 'waba_id', 'template_key', 'event', 'at']).unique().execute();
    await db.schema.createIndex('template_updates_template').on('template_updates').columns(['waba_id', 'name', 'language', 'at']).execute();

    // Phone number quality and messaging-limit updates.
    await c
      .serialPk(db.schema.createTable('phone_number_updates'), 'id')
      .addColumn('sender_id', 'text')
      .addColumn('waba_id', 'text', (col) => col.notNull())
      .addColumn('display_phone', 'text', (col) => col.notNull())
      .addColumn('event', 'text', (col) => col.notNull())
      .addColumn('current_limit', 'text')
      .addColumn('detail', c.json, (col) => col.notNull().defaultTo('{}'))
      .addColumn('at', c.bigint, (col) => col.notNull())
      .addColumn('received_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('phone_number_updates_key').on('phone_number_updates').columns(['waba_id', 'display_phone', 'event', 'at']).unique().execute();

    // Errors a provider reports in a webhook outside any message (`value.errors[]`).
    await c
      .serialPk(db.schema.createTable('provider_errors'), 'id')
      .addColumn('log_seq', c.bigint, (col) => col.notNull())
      .addColumn('position', 'integer', (col) => col.notNull())
      .addColumn('provider', 'text', (col) => col.notNull())
      .addColumn('sender_id', 'text')
      .addColumn('code', 'text', (col) => col.notNull())
      .addColumn('title', 'text')
      .addColumn('detail', c.json, (col) => col.notNull().defaultTo('{}'))
      .addColumn('at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('provider_errors_key').on('provider_errors').columns(['log_seq', 'position']).unique().execute();
    await db.schema.createIndex('provider_errors_sender').on('provider_errors').columns(['sender_id', 'at']).execute();

    // Per sender: when its webhooks last arrived, and how late.
    await db.schema
      .createTable('webhook_sender_health')
      .addColumn('sender_id', 'text', (col) => col.primaryKey().references('senders.id'))
      .addColumn('last_webhook_at', c.bigint)
      .addColumn('last_status_at', c.bigint)
      .addColumn('last_inbound_at', c.bigint)
      .addColumn('last_lag_ms', c.bigint)
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    // The silence alarm looks for a sender's recent sends still waiting for a status. Partial, so only
    // messages in those statuses are indexed: delivered, read and inbound messages cost it nothing.
    await db.schema
      .createIndex('messages_awaiting_status')
      .on('messages')
      .columns(['sender_id', 'status_at'])
      .where(sql.ref('status'), 'in', [sql.lit('sending'), sql.lit('accepted'), sql.lit('sent')])
      .execute();

    // Event webhooks to business systems.
    await db.schema
      .createTable('event_subscriptions')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull().references('workspaces.id'))
      .addColumn('url', 'text', (col) => col.notNull())
      .addColumn('event_types', c.json, (col) => col.notNull())
      .addColumn('secret', 'text', (col) => col.notNull())
      .addColumn('description', 'text')
      .addColumn('enabled', 'integer', (col) => col.notNull().defaultTo(1))
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('event_subscriptions_workspace').on('event_subscriptions').columns(['workspace_id']).execute();

    await db.schema
      .createTable('event_outbox')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull().references('workspaces.id'))
      .addColumn('type', 'text', (col) => col.notNull())
      .addColumn('payload', c.json, (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('event_outbox_created').on('event_outbox').columns(['created_at']).execute();

    await db.schema
      .createTable('event_deliveries')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('event_id', 'text', (col) => col.notNull().references('event_outbox.id'))
      .addColumn('subscription_id', 'text', (col) => col.notNull().references('event_subscriptions.id'))
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull())
      .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('next_attempt_at', c.bigint, (col) => col.notNull())
      .addColumn('last_status_code', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('delivered_at', c.bigint)
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('event_deliveries_due').on('event_deliveries').columns(['state', 'next_attempt_at']).execute();
    await db.schema.createIndex('event_deliveries_workspace').on('event_deliveries').columns(['workspace_id', 'state', 'created_at']).execute();
    await db.schema.createIndex('event_deliveries_event').on('event_deliveries').columns(['event_id']).execute();
  },
};
