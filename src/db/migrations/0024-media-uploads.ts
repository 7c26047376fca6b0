import type { Migration } from './types.js';
import { columns } from './types.js';

/**
 * Uploaded media for outbound messages (docs/decisions/0028-outbound-media.md), owned by `uploads/`:
 * - media_uploads: one file a person or a system uploaded (`POST /v1/media`), its bytes base64 and
 *   encrypted with the workspace's data key, its file name sealed; `used_at` is set when a message
 *   first names it (an upload never used within 24 hours is purged);
 * - media_upload_uses: which messages send which upload (erasure of a contact deletes the uploads of
 *   their messages);
 * - media_upload_providers: the provider's media id of an upload per sender (Meta keeps an uploaded
 *   file 30 days), so a resend does not upload again.
 */
export const migration: Migration = {
  async up(db, dialect) {
    const c = columns(dialect);
    await db.schema
      .createTable('media_uploads')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('mime_type', 'text', (col) => col.notNull())
      .addColumn('size', c.bigint, (col) => col.notNull())
      .addColumn('sha256', 'text', (col) => col.notNull())
      .addColumn('filename', 'text')
      .addColumn('data', 'text', (col) => col.notNull())
      .addColumn('created_by', 'text', (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addColumn('used_at', c.bigint)
      .execute();
    await db.schema.createIndex('media_uploads_unused').on('media_uploads').columns(['used_at', 'created_at']).execute();
    await db.schema
      .createTable('media_upload_uses')
      .addColumn('upload_id', 'text', (col) => col.notNull())
      .addColumn('message_id', 'text', (col) => col.notNull())
      .addColumn('workspace_id', 'text', (col) => col.notNull())
      .addColumn('created_at', c.bigint, (col) => col.notNull())
      .addPrimaryKeyConstraint('media_upload_uses_pk', ['upload_id', 'message_id'])
      .execute();
    await db.schema.createIndex('media_upload_uses_message').on('media_upload_uses').columns(['message_id']).execute();
    await db.schema
      .createTable('media_upload_providers')
      .addColumn('upload_id', 'text', (col) => col.notNull())
      .addColumn('sender_id', 'text', (col) => col.notNull())
      .addColumn('provider_media_id', 'text', (col) => col.notNull())
      .addColumn('uploaded_at', c.bigint, (col) => col.notNull())
      .addPrimaryKeyConstraint('media_upload_providers_pk', ['upload_id', 'sender_id'])
      .execute();
  },
};
