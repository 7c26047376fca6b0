import type { Db } from '../../db/database.js';
import type { Keyring } from '../../crypto/keyring.js';
import { sealProviderId } from '../../messages/provider-ids.js';
import type { StatusItem } from '../items.js';
import type { MatchedMessage, StatusPrep } from './work.js';

const CHUNK = 500;

async function byColumn(db: Db, column: 'provider_id_hash' | 'id', values: string[]): Promise<Array<MatchedMessage & { hash: string | null }>> {
  const out: Array<MatchedMessage & { hash: string | null }> = [];
  for (let i = 0; i < values.length; i += CHUNK) {
    const rows = await db
      .selectFrom('messages')
      .select(['id', 'workspace_id', 'sender_id', 'contact_id', 'provider_id_hash'])
      .where(column, 'in', values.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.push({ id: r.id, workspaceId: r.workspace_id, senderId: r.sender_id, contactId: r.contact_id, hasProviderId: r.provider_id_hash !== null, hash: r.provider_id_hash });
  }
  return out;
}

export interface StatusToMatch {
  item: StatusItem;
  workspaceId: string;
  /** Keyed hashes of the status's provider id, then of its alternatives (`messages/provider-ids.ts`). */
  hashes: string[];
}

/**
 * Finds the message each status is about: by the keyed hash of the provider's id, else by Parley's id
 * echoed back (`biz_opaque_callback_data`, UltraMsg `referenceId`), only within the sender's
 * workspace. A message found by Parley's id without a provider id gets the status's provider id
 * stored (its hash, and the id sealed here, outside any transaction).
 */
export async function matchStatusMessages(db: Db, keyring: Keyring, statuses: StatusToMatch[]): Promise<StatusPrep[]> {
  const hashes = [...new Set(statuses.flatMap((s) => s.hashes))];
  const byHash = new Map<string, MatchedMessage>();
  for (const { hash, ...m } of await byColumn(db, 'provider_id_hash', hashes)) byHash.set(hash!, m);
  const unmatchedParleyIds = [...new Set(statuses.filter((s) => !s.hashes.some((h) => byHash.has(h)) && s.item.parleyMessageId).map((s) => s.item.parleyMessageId!))];
  const byParleyId = new Map<string, MatchedMessage>();
  if (unmatchedParleyIds.length) for (const { hash: _hash, ...m } of await byColumn(db, 'id', unmatchedParleyIds)) byParleyId.set(m.id, m);

  return Promise.all(
    statuses.map(async ({ item, workspaceId, hashes: own }): Promise<StatusPrep> => {
      const direct = own.map((h) => byHash.get(h)).find((m) => m && m.workspaceId === workspaceId);
      if (direct) return { message: direct };
      const echoed = item.parleyMessageId ? byParleyId.get(item.parleyMessageId) : undefined;
      if (!echoed || echoed.workspaceId !== workspaceId) return {};
      if (echoed.hasProviderId) return { message: echoed };
      return { message: echoed, setProviderId: { hash: own[0], sealed: await sealProviderId(keyring, workspaceId, item.providerMessageId) } };
    }),
  );
}
