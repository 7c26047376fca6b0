import type { Db } from '../db/database.js';

/** Erasure of some contacts' consent proofs (IPs, user agents). Returns how many were destroyed. */
export async function destroyConsentProofs(db: Db, workspaceId: string, contactIds: readonly string[]): Promise<number> {
  const proofs = await db.deleteFrom('consent_proofs').where('workspace_id', '=', workspaceId).where('contact_id', 'in', contactIds).executeTakeFirst();
  return Number(proofs.numDeletedRows);
}

/** How many consent ledger rows the contacts have (an erasure keeps them, without proofs). */
export async function countConsentRecords(db: Db, workspaceId: string, contactIds: readonly string[]): Promise<number> {
  const kept = await db.selectFrom('consent_records').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).where('contact_id', 'in', contactIds).executeTakeFirstOrThrow();
  return Number(kept.n);
}
