import type { Db } from '../db/database.js';

/**
 * Erasure of contacts' fields: name, phone, wa_id, e-mail and their lookup hashes, time zone,
 * language, attributes and tags (and their search rows). The rows stay (id, country, timestamps) and
 * are marked `erased_at`.
 */
export async function eraseContactFields(db: Db, workspaceId: string, contactIds: readonly string[], now: number): Promise<void> {
  await db
    .updateTable('contacts')
    .set({ phone: null, phone_hash: null, wa_id: null, wa_id_hash: null, name: null, email: null, email_hash: null, time_zone: null, language: null, attributes: '{}', tags: '[]', erased_at: now, updated_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', contactIds)
    .execute();
  await db.deleteFrom('contact_tags').where('contact_id', 'in', contactIds).execute();
  await db.deleteFrom('contact_attributes').where('contact_id', 'in', contactIds).execute();
}
