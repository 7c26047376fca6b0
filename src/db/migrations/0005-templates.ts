import type { Migration } from './types.js';
import { columns } from './types.js';

// Template governance (M3): templates per WABA and language with versions, provider status history,
// alerts, intents with A/B variants and guarded rollouts, and opt-outs attributed to variants.
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);

    await db.schema
      .createTable('templates')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull().references('workspaces.id'))
      .addColumn('waba_id', 'text', (col) => col.notNull())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('language', 'text', (col) => col.notNull())
      .addColumn('category', 'text', (col) => col.notNull())
      .addColumn('latest_version', 'integer', (col) => col.notNull())
      .addColumn('live_version_id', 'text')
      .addColumn('submitted_version_id', 'text')
      .addColumn('provider_template_id', 'text')
      .addColumn('provider_status', 'text')
      .addColumn('provider_status_at', c.bigint)
      .addColumn('provider_status_detail', c.json)
      .addColumn('quality', 'text')
      .addColumn('rejection_reason', 'text')
      .addColumn('rejection_info', c.json)
      .addColumn('backup', c.json)
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    // Meta's identity of a template is (WABA, name, language): one row each per workspace.
    await db.schema.createIndex('templates_identity').on('templates').columns(['workspace_id', 'waba_id', 'name', 'language']).unique().execute();
    // Status webhooks carry the WABA, not the workspace.
    await db.schema.createIndex('templates_waba').on('templates').columns(['waba_id', 'name', 'language']).execute();

    await db.schema
      .createTable('template_versions')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('template_id', 'text', (col) => col.notNull().references('templates.id'))
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('number', 'integer', (col) => col.notNull())
      .addColumn('category', 'text', (col) => col.notNull())
      .addColumn('parameter_format', 'text', (col) => col.notNull())
      .addColumn('allow_category_change', 'integer', (col) => col.notNull())
      .addColumn('message_send_ttl_seconds', 'integer')
      .addColumn('components', c.json, (col) => col.notNull())
      .addColumn('diff', c.json)
      .addColumn('lint', c.json, (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull())
      .addColumn('author_key_id', 'text')
      .addColumn('reviewer_key_id', 'text')
      .addColumn('review_note', 'text')
      .addColumn('reviewed_at', c.bigint)
      .addColumn('submitted_by_key_id', 'text')
      .addColumn('submitted_at', c.bigint)
      .addColumn('acknowledged_warnings', c.json)
      .addColumn('provider_reason', 'text')
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('template_versions_number').on('template_versions').columns(['template_id', 'number']).unique().execute();

    await db.schema
      .createTable('template_status_events')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('template_id', 'text', (col) => col.notNull().references('templates.id'))
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('reason', 'text')
      .addColumn('detail', c.json, (col) => col.notNull())
      .addColumn('source', 'text', (col) => col.notNull())
      .addColumn('at', c.bigint, (col) => col.notNull())
      .addColumn('dedupe_key', 'text', (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('template_status_events_dedupe').on('template_status_events').columns(['template_id', 'dedupe_key']).unique().execute();

    await db.schema
      .createTable('template_alerts')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull().references('workspaces.id'))
      .addColumn('type', 'text', (col) => col.notNull())
      .addColumn('template_id', 'text')
      .addColumn('intent_id', 'text')
      .addColumn('data', c.json, (col) => col.notNull())
      .addColumn('dedupe_key', 'text', (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('template_alerts_dedupe').on('template_alerts').columns(['workspace_id', 'dedupe_key']).unique().execute();
    await db.schema.createIndex('template_alerts_created').on('template_alerts').columns(['workspace_id', 'created_at']).execute();

    await db.schema
      .createTable('intents')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull().references('workspaces.id'))
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('description', 'text')
      .addColumn('text', 'text')
      .addColumn('template', c.json)
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('intents_name').on('intents').columns(['workspace_id', 'name']).unique().execute();

    await db.schema
      .createTable('intent_variants')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('intent_id', 'text', (col) => col.notNull().references('intents.id'))
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('weight', 'integer', (col) => col.notNull())
      .addColumn('is_control', 'integer', (col) => col.notNull())
      .addColumn('text', 'text')
      .addColumn('template', c.json)
      .addColumn('state', 'text', (col) => col.notNull())
      .addColumn('halted_reason', 'text')
      .addColumn('halted_at', c.bigint)
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('intent_variants_name').on('intent_variants').columns(['intent_id', 'name']).unique().execute();

    await db.schema
      .createTable('intent_rollouts')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('intent_id', 'text', (col) => col.notNull().references('intents.id'))
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('variant_id', 'text', (col) => col.notNull().references('intent_variants.id'))
      .addColumn('stages', c.json, (col) => col.notNull())
      .addColumn('guardrails', c.json, (col) => col.notNull())
      .addColumn('current_stage', 'integer', (col) => col.notNull())
      .addColumn('stage_started_at', c.bigint, (col) => col.notNull())
      .addColumn('state', 'text', (col) => col.notNull())
      .addColumn('halted_reason', 'text')
      .addColumn('started_at', c.bigint, (col) => col.notNull())
      .addColumn('updated_at', c.bigint, (col) => col.notNull())
      .execute();
    await db.schema.createIndex('intent_rollouts_state').on('intent_rollouts').columns(['state', 'intent_id']).execute();

    await db.schema
      .createTable('variant_optouts')
      .addColumn('variant_id', 'text', (col) => col.notNull().references('intent_variants.id'))
      .addColumn('contact_id', 'text', (col) => col.notNull())
      .addColumn('intent_id', 'text', (col) => col.notNull())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('message_id', 'text')
      .addColumn('at', c.bigint, (col) => col.notNull())
      .addPrimaryKeyConstraint('variant_optouts_pk', ['variant_id', 'contact_id'])
      .execute();
    await db.schema.createIndex('variant_optouts_intent').on('variant_optouts').columns(['intent_id', 'at']).execute();
  },
};
