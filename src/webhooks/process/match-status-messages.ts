import type { Db } from '../../db/database.js';
import type { Keyring } from '../../crypto/keyring.js';
import { sealProviderId } from '../../messages/provider-ids.js';
import { messagesByIdsForStatus, messagesByProviderIdHashes } from '../../messages/provider-id-queries.js';
import type { StatusItem } from '../../channels/webhook-items.js';
import type { MatchedMessage, StatusPrep } from './work.js';

const CHUNK = 500;

type Found = MatchedMessage & { hash: string | null; altHash: string | null };

async function byColumn(db: Db, column: 'provider_id_hash' | 'id', values: string[]): Promise<Found[]> {
  const out: Found[] = [];
  for (let i = 0; i < values.length; i += CHUNK) {
    const chunk = values.slice(i, i + CHUNK);
    // A provider id names a message by its own id or by its second one (UltraMsg's WhatsApp id).
    const rows = column === 'id' ? await messagesByIdsForStatus(db, chunk) : await messagesByProviderIdHashes(db, chunk);
    for (const r of rows) {
      out.push({ id: r.id, workspaceId: r.workspace_id, senderId: r.sender_id, contactId: r.contact_id, hasProviderId: r.provider_id_hash !== null, hasAltId: r.provider_alt_id_hash !== null, hash: r.provider_id_hash, altHash: r.provider_alt_id_hash });
    }
  }
  return out;
}

export interface StatusToMatch {
  item: Pick<StatusItem, 'providerMessageId' | 'parleyMessageId' | 'providerAltId'>;
  workspaceId: string;
  /** Keyed hashes of the status's provider id, then of its alternatives (`messages/provider-ids.ts`). */
  hashes: string[];
  /** Keyed hash of `item.providerAltId` (one of `hashes`). */
  altIdHash?: string;
}

/**
 * Finds the message each status is about: by the keyed hash of any provider id it names (against the
 * message's provider id and its second id), else by Parley's id echoed back (`biz_opaque_callback_data`,
 * UltraMsg `referenceId`), only within the sender's workspace. A message found by Parley's id without a
 * provider id gets the status's provider id stored; a message found without its second id gets the
 * status's `providerAltId` stored (hashes, and ids sealed here, outside any transaction).
 */
export async function matchStatusMessages(db: Db, keyring: Keyring, statuses: StatusToMatch[]): Promise<StatusPrep[]> {
  const hashes = [...new Set(statuses.flatMap((s) => s.hashes))];
  const byHash = new Map<string, MatchedMessage>();
  for (const { hash, altHash, ...m } of await byColumn(db, 'provider_id_hash', hashes)) {
    if (hash) byHash.set(hash, m);
    if (altHash) byHash.set(altHash, m);
  }
  const unmatchedParleyIds = [...new Set(statuses.filter((s) => !s.hashes.some((h) => byHash.has(h)) && s.item.parleyMessageId).map((s) => s.item.parleyMessageId!))];
  const byParleyId = new Map<string, MatchedMessage>();
  if (unmatchedParleyIds.length) for (const { hash: _hash, altHash: _altHash, ...m } of await byColumn(db, 'id', unmatchedParleyIds)) byParleyId.set(m.id, m);

  const learnAltId = async (message: MatchedMessage, s: StatusToMatch): Promise<StatusPrep['setAltId']> =>
    !message.hasAltId && s.item.providerAltId && s.altIdHash ? { hash: s.altIdHash, sealed: await sealProviderId(keyring, s.workspaceId, s.item.providerAltId) } : undefined;

  return Promise.all(
    statuses.map(async (s): Promise<StatusPrep> => {
      const { item, workspaceId, hashes: own } = s;
      const direct = own.map((h) => byHash.get(h)).find((m) => m && m.workspaceId === workspaceId);
      if (direct) return withAlt({ message: direct }, await learnAltId(direct, s));
      const echoed = item.parleyMessageId ? byParleyId.get(item.parleyMessageId) : undefined;
      if (!echoed || echoed.workspaceId !== workspaceId) return {};
      // The second id is never stored as the provider id: the send answer's id belongs there.
      const setProviderId = echoed.hasProviderId || item.providerMessageId === item.providerAltId ? undefined : { hash: own[0], sealed: await sealProviderId(keyring, workspaceId, item.providerMessageId) };
      return withAlt(setProviderId ? { message: echoed, setProviderId } : { message: echoed }, await learnAltId(echoed, s));
    }),
  );
}

const withAlt = (prep: StatusPrep, setAltId: StatusPrep['setAltId']): StatusPrep => (setAltId ? { ...prep, setAltId } : prep);
