import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { newId } from '../shared/ids.js';
import { normalizePhone, toWaId } from './phone.js';

export interface ContactRef {
  id: string;
  workspaceId: string;
}

/**
 * Finds the contact for an E.164 number, creating it if absent. Safe under concurrency: the unique
 * (workspace, phone hash) index decides, and a loser of the race reads the winner's row.
 */
export async function findOrCreateContactByPhone(db: Db, keyring: Keyring, workspaceId: string, e164: string, now = Date.now()): Promise<ContactRef & { created: boolean }> {
  const phoneHash = keyring.lookupHash(workspaceId, e164);
  const existing = await findContactByPhoneHash(db, workspaceId, phoneHash);
  if (existing) return { ...existing, created: false };
  const waId = toWaId(e164);
  const id = newId('ct', now);
  const inserted = await db
    .insertInto('contacts')
    .values({
      id,
      workspace_id: workspaceId,
      phone_hash: phoneHash,
      phone: await keyring.encrypt(workspaceId, e164),
      wa_id_hash: keyring.lookupHash(workspaceId, `wa:${waId}`),
      wa_id: await keyring.encrypt(workspaceId, waId),
      country: normalizePhone(e164)?.country ?? null,
      attributes: '{}',
      tags: '[]',
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'phone_hash']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return { id, workspaceId, created: true };
  const winner = await findContactByPhoneHash(db, workspaceId, phoneHash);
  if (!winner) throw new Error('contact insert conflicted but no row was found');
  return { ...winner, created: false };
}

/** Follows `merged_into` so a merged contact resolves to the surviving one. */
export async function findContactByPhoneHash(db: Db, workspaceId: string, phoneHash: string): Promise<ContactRef | undefined> {
  const row = await db.selectFrom('contacts').select(['id', 'merged_into']).where('workspace_id', '=', workspaceId).where('phone_hash', '=', phoneHash).executeTakeFirst();
  if (!row) return undefined;
  return { id: row.merged_into ?? row.id, workspaceId };
}

export async function findContactByWaId(db: Db, keyring: Keyring, workspaceId: string, waId: string): Promise<ContactRef | undefined> {
  const row = await db
    .selectFrom('contacts')
    .select(['id', 'merged_into'])
    .where('workspace_id', '=', workspaceId)
    .where('wa_id_hash', '=', keyring.lookupHash(workspaceId, `wa:${waId}`))
    .orderBy('created_at')
    .executeTakeFirst();
  if (!row) return undefined;
  return { id: row.merged_into ?? row.id, workspaceId };
}
