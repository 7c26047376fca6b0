import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';

/**
 * What the indexer reads, from the modules that own it (`messages/messages-for-indexing.ts`,
 * `contacts/contacts-for-indexing.ts`), handed over by the composition root: this module imports no
 * domain module, so the contacts and conversations modules may import its queries.
 */
export interface IndexableMessage {
  id: string;
  contactId: string | null;
  senderId: string | null;
  createdAt: number;
  /** Decrypted; null once erased or purged. */
  content: Record<string, unknown> | null;
}

export interface IndexableContact {
  id: string;
  /** Decrypted; null when it has none or was erased. */
  name: string | null;
  mergedInto: string | null;
  erased: boolean;
  updatedAt: number;
}

/** Rows after (`at`, `id`) in (`at`, `id`) order, with `at` before `before`, at most `limit`. */
type Walk<T> = (db: Db, keyring: Keyring, workspaceId: string, after: { at: number; id: string }, before: number, limit: number) => Promise<T[]>;

export interface SearchSources {
  messages: Walk<IndexableMessage>;
  contacts: Walk<IndexableContact>;
}
