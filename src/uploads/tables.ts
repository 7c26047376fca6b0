/**
 * Terminology
 * - upload: a file given to Parley (`POST /v1/media`) to send in messages by its id (`mediaId`);
 *   the bytes are stored base64 and encrypted with the workspace's data key, as inbound media is.
 * - use: a message that sends an upload (one upload may go to many recipients).
 * - provider media id: what a provider answered to the upload of the file for one sender (Meta's
 *   media id, valid 30 days), kept so that a resend does not upload the file again.
 */
export interface MediaUploadsTable {
  id: string;
  workspace_id: string;
  /** The declared MIME type, checked against Meta's table and the file's signature. */
  mime_type: string;
  size: number;
  /** Hex SHA-256 of the file's bytes. */
  sha256: string;
  /** The file name given at upload, sealed with the workspace's data key (it can name a person). */
  filename: string | null;
  /** The file, base64, encrypted with the workspace's data key. */
  data: string;
  /** Who uploaded it: `user:<id>` or `key:<id>`. */
  created_by: string;
  created_at: number;
  /** When a message first named it; null: unused (purged 24 hours after its upload). */
  used_at: number | null;
}

export interface MediaUploadUsesTable {
  upload_id: string;
  message_id: string;
  workspace_id: string;
  created_at: number;
}

export interface MediaUploadProvidersTable {
  upload_id: string;
  sender_id: string;
  provider_media_id: string;
  uploaded_at: number;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    media_uploads: MediaUploadsTable;
    media_upload_uses: MediaUploadUsesTable;
    media_upload_providers: MediaUploadProvidersTable;
  }
}
