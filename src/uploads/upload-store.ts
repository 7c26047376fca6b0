import { createHash } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import type { Actor } from '../access/actor.js';
import { ParleyError } from '../errors/parley-error.js';
import { newId } from '../shared/ids.js';
import { DAY, HOUR } from '../shared/time.js';
import { WHATSAPP_MEDIA, type WhatsAppMediaKind } from '../shared/whatsapp-media.js';

/**
 * The only queries of `media_uploads`, `media_upload_uses` and `media_upload_providers`: storing an
 * upload, reading it, linking it to the messages that send it, remembering a provider's media id per
 * sender, and the purge of unused uploads. The file is stored as inbound media is (`webhooks/`'s
 * `media.data`): base64, encrypted with the workspace's data key.
 */

/** An upload as the API shows it. */
export interface UploadView {
  id: string;
  mimeType: string;
  size: number;
  sha256: string;
  filename: string | null;
  createdAt: string;
}

/** An upload not named by any message within this long is purged. */
export const UNUSED_UPLOAD_TTL = 24 * HOUR;
/**
 * How long a provider's media id is used again: Meta keeps an uploaded file 30 days; a day less, so
 * a send never names a file that expires on its way.
 */
export const PROVIDER_MEDIA_TTL = 29 * DAY;

const actorRef = (actor: Actor): string => `${actor.type}:${actor.id}`;

export async function storeUpload(db: Db, keyring: Keyring, input: { workspaceId: string; mimeType: string; bytes: Buffer; filename: string | undefined; actor: Actor; now: number }): Promise<UploadView> {
  const { workspaceId, now } = input;
  const row = {
    id: newId('med', now),
    workspace_id: workspaceId,
    mime_type: input.mimeType,
    size: input.bytes.length,
    sha256: createHash('sha256').update(input.bytes).digest('hex'),
    filename: await keyring.encryptNullable(workspaceId, input.filename),
    data: await keyring.encrypt(workspaceId, input.bytes.toString('base64')),
    created_by: actorRef(input.actor),
    created_at: now,
    used_at: null,
  };
  await db.insertInto('media_uploads').values(row).execute();
  return { id: row.id, mimeType: row.mime_type, size: row.size, sha256: row.sha256, filename: input.filename ?? null, createdAt: new Date(now).toISOString() };
}

type UploadRow = { id: string; workspace_id: string; mime_type: string; size: number | string; sha256: string; filename: string | null; created_at: number | string };

async function view(keyring: Keyring, row: UploadRow): Promise<UploadView> {
  return { id: row.id, mimeType: row.mime_type, size: Number(row.size), sha256: row.sha256, filename: await keyring.decryptNullable(row.workspace_id, row.filename), createdAt: new Date(Number(row.created_at)).toISOString() };
}

const META = ['id', 'workspace_id', 'mime_type', 'size', 'sha256', 'filename', 'created_at'] as const;

/** An upload of the workspace, or undefined (another workspace's is not found either). */
export async function findUpload(db: Db, keyring: Keyring, workspaceId: string, id: string): Promise<UploadView | undefined> {
  const row = await db.selectFrom('media_uploads').select(META).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row ? view(keyring, row) : undefined;
}

/** An upload with its bytes, or undefined. */
export async function readUploadFile(db: Db, keyring: Keyring, workspaceId: string, id: string): Promise<{ upload: UploadView; bytes: Buffer } | undefined> {
  const row = await db.selectFrom('media_uploads').select([...META, 'data']).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return { upload: await view(keyring, row), bytes: Buffer.from(await keyring.decrypt(workspaceId, row.data), 'base64') };
}

/**
 * The upload a message of `type` names by `mediaId`, checked at accept: it exists in the workspace
 * and is of the message's kind (an image upload is sent as `image`). Throws MEDIA_NOT_FOUND (as a 400
 * naming the field: the request is wrong, not the path) or MEDIA_KIND_MISMATCH.
 */
export async function uploadForMessage(db: Db, keyring: Keyring, workspaceId: string, type: string, mediaId: string): Promise<UploadView> {
  const upload = await findUpload(db, keyring, workspaceId, mediaId);
  const field = `/${type}/mediaId`;
  if (!upload) throw new ParleyError('MEDIA_NOT_FOUND', { field, message: `No upload ${mediaId} in this workspace (never uploaded, purged after 24 hours unused, or erased).` });
  const kind: WhatsAppMediaKind | undefined = WHATSAPP_MEDIA[upload.mimeType]?.kind;
  if (kind !== type) throw new ParleyError('MEDIA_KIND_MISMATCH', { field, message: `The upload is ${upload.mimeType}, which is sent as ${kind ?? 'nothing'}, not as ${type}.` });
  return upload;
}

/** Records, in the accept's transaction, which messages send which upload, and marks the uploads used. */
export async function recordUploadUses(db: Db, uses: ReadonlyArray<{ uploadId: string; messageId: string; workspaceId: string; at: number }>): Promise<void> {
  if (uses.length === 0) return;
  await db.insertInto('media_upload_uses').values(uses.map((u) => ({ upload_id: u.uploadId, message_id: u.messageId, workspace_id: u.workspaceId, created_at: u.at }))).execute();
  const at = Math.min(...uses.map((u) => u.at));
  await db.updateTable('media_uploads').set({ used_at: at }).where('id', 'in', [...new Set(uses.map((u) => u.uploadId))]).where('used_at', 'is', null).execute();
}

/** What the dispatcher hands an adapter for a message that sends an upload. */
export interface UploadToSend {
  bytes: Buffer;
  mimeType: string;
  filename: string | null;
  sha256: string;
  /** The provider's media id of this file for this sender, uploaded less than `PROVIDER_MEDIA_TTL` ago. */
  providerMediaId?: string;
}

/** The file of an upload to send from `senderId`, with the provider media id remembered for that sender; undefined when it is gone. */
export async function uploadToSend(db: Db, keyring: Keyring, workspaceId: string, uploadId: string, senderId: string, now: number): Promise<UploadToSend | undefined> {
  const file = await readUploadFile(db, keyring, workspaceId, uploadId);
  if (!file) return undefined;
  const remembered = await db
    .selectFrom('media_upload_providers')
    .select('provider_media_id')
    .where('upload_id', '=', uploadId)
    .where('sender_id', '=', senderId)
    .where('uploaded_at', '>', now - PROVIDER_MEDIA_TTL)
    .executeTakeFirst();
  return { bytes: file.bytes, mimeType: file.upload.mimeType, filename: file.upload.filename, sha256: file.upload.sha256, ...(remembered ? { providerMediaId: remembered.provider_media_id } : {}) };
}

/** Remembers the provider's media id of an upload for a sender (the latest upload wins). */
export async function rememberProviderMedia(db: Db, input: { uploadId: string; senderId: string; providerMediaId: string; at: number }): Promise<void> {
  await db
    .insertInto('media_upload_providers')
    .values({ upload_id: input.uploadId, sender_id: input.senderId, provider_media_id: input.providerMediaId, uploaded_at: input.at })
    .onConflict((oc) => oc.columns(['upload_id', 'sender_id']).doUpdateSet({ provider_media_id: input.providerMediaId, uploaded_at: input.at }))
    .execute();
}

/** Deletes uploads no message named within `UNUSED_UPLOAD_TTL` of their upload; returns how many. */
export async function purgeUnusedUploads(db: Db, now: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const stale = (await trx.selectFrom('media_uploads').select('id').where('used_at', 'is', null).where('created_at', '<', now - UNUSED_UPLOAD_TTL).limit(1000).execute()).map((r) => r.id);
    if (stale.length === 0) return 0;
    await trx.deleteFrom('media_upload_providers').where('upload_id', 'in', stale).execute();
    const deleted = await trx.deleteFrom('media_uploads').where('id', 'in', stale).where('used_at', 'is', null).executeTakeFirst();
    return Number(deleted.numDeletedRows);
  });
}
