import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { SECOND } from '../shared/time.js';
import { messageWords } from './message-words.js';
import { messageTermHash, nameTermHash } from './term-hashes.js';
import { namePrefixTerms, textTerms } from './terms.js';
import { insertMessageTerms, moveMessageTermsToContact, replaceNameTerms } from './term-rows.js';
import { eraseSearchTermsOf } from './erasure.js';
import type { IndexableContact, IndexableMessage, SearchSources } from './sources.js';
import { advanceWatermark, readWatermark, releaseLease, takeLease, type SearchSource, type Watermark } from './watermark-lease.js';

/**
 * Rows younger than this are left for a later pass: a transaction that committed a moment after a
 * younger row's (its `created_at` or `updated_at` taken before) would otherwise fall behind the
 * watermark and never be indexed.
 */
export const SETTLE_MS = 5 * SECOND;
/** How long a worker holds a source's lease without moving its watermark before another may take it. */
export const LEASE_MS = 60 * SECOND;

export interface IndexOptions {
  /** Who walks: a lease holder's name, unique per worker. */
  owner: string;
  now: number;
  batchSize?: number;
  /** Batches per source in one pass, so one busy workspace does not hold up the rest. */
  maxBatches?: number;
}

export interface IndexResult {
  messages: number;
  contacts: number;
  /** Sources another worker holds the lease of. */
  skipped: SearchSource[];
}

/**
 * One pass of the search indexer over a workspace: contacts changed and messages created since each
 * source's watermark, in batches, each written and then the watermark moved. Restartable: a crash
 * between the two writes terms again, which the unique keys absorb.
 */
export async function indexWorkspace(db: Db, keyring: Keyring, sources: SearchSources, workspaceId: string, options: IndexOptions): Promise<IndexResult> {
  const result: IndexResult = { messages: 0, contacts: 0, skipped: [] };
  const walk = async <T extends { id: string }>(source: SearchSource, read: SearchSources[SearchSource], at: (row: T) => number, write: (rows: T[]) => Promise<void>): Promise<number | null> => {
    const { owner, now } = options;
    // Small batches: each is one write transaction, and other writers wait for it.
    const batchSize = options.batchSize ?? 100;
    // Nothing new since the watermark: no write at all (an idle workspace costs two reads a pass).
    const known = await readWatermark(db, workspaceId, source);
    if ((await read(db, keyring, workspaceId, known ?? { at: 0, id: '' }, now - SETTLE_MS, 1)).length === 0) return 0;
    let mark: Watermark | null = await takeLease(db, workspaceId, source, owner, now, now + LEASE_MS);
    if (!mark) return null;
    let done = 0;
    try {
      for (let batch = 0; batch < (options.maxBatches ?? 20); batch++) {
        const rows = (await read(db, keyring, workspaceId, mark, now - SETTLE_MS, batchSize)) as unknown as T[];
        if (rows.length === 0) break;
        await write(rows);
        const last = rows[rows.length - 1]!;
        mark = { at: at(last), id: last.id };
        done += rows.length;
        if (!(await advanceWatermark(db, workspaceId, source, owner, mark, now, now + LEASE_MS))) break;
        if (rows.length < batchSize) break;
      }
    } finally {
      await releaseLease(db, workspaceId, source, owner);
    }
    return done;
  };

  const contacts = await walk<IndexableContact>('contacts', sources.contacts, (c) => c.updatedAt, (rows) => writeContacts(db, keyring, workspaceId, rows));
  if (contacts === null) result.skipped.push('contacts');
  else result.contacts = contacts;
  const messages = await walk<IndexableMessage>('messages', sources.messages, (m) => m.createdAt, (rows) => writeMessages(db, keyring, workspaceId, rows));
  if (messages === null) result.skipped.push('messages');
  else result.messages = messages;
  return result;
}

async function writeMessages(db: Db, keyring: Keyring, workspaceId: string, messages: IndexableMessage[]): Promise<void> {
  const rows = messages.flatMap((m) =>
    m.contactId && m.senderId
      ? textTerms(messageWords(m.content)).map((term) => ({
        workspace_id: workspaceId,
        message_id: m.id,
        contact_id: m.contactId!,
        sender_id: m.senderId!,
        term_hash: messageTermHash(keyring, workspaceId, term),
        message_created_at: m.createdAt,
      }))
      : [],
  );
  // One transaction: one commit for the batch, not one per statement.
  await db.transaction().execute((trx) => insertMessageTerms(trx, rows));
}

async function writeContacts(db: Db, keyring: Keyring, workspaceId: string, contacts: IndexableContact[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const contact of contacts) {
      // A merged contact is no longer listed (its messages are the survivor's); an erased one has no name.
      const live = !contact.erased && contact.mergedInto === null && contact.name;
      const terms = live ? namePrefixTerms(contact.name!) : [];
      await replaceNameTerms(trx, workspaceId, contact.id, terms.map((term) => ({ workspace_id: workspaceId, contact_id: contact.id, term_hash: nameTermHash(keyring, workspaceId, term) })));
      if (contact.mergedInto !== null) await moveMessageTermsToContact(trx, workspaceId, contact.id, contact.mergedInto);
      // The erasure deleted their terms in its transaction; a pass that read a message of theirs just
      // before it and wrote after would leave some, and this later pass (an erasure moves `updated_at`) sweeps them.
      if (contact.erased) await eraseSearchTermsOf(trx, workspaceId, [contact.id]);
    }
  });
}
