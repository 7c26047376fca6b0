import type { Keyring } from '../crypto/keyring.js';

// The keyed hashes terms are stored and searched by: the workspace's lookup key (`Keyring.lookupHash`),
// each kind in its own namespace of the hash input, as contacts' hashes are (`contacts/contact-hashes.ts`),
// so a name prefix and a message word with the same letters do not give the same hash.

/** The hash of a name term or prefix (`search_name_terms.term_hash`). */
export const nameTermHash = (keyring: Keyring, workspaceId: string, term: string): string => keyring.lookupHash(workspaceId, `term:name:${term}`);

/** The hash of a message's word (`search_message_terms.term_hash`). */
export const messageTermHash = (keyring: Keyring, workspaceId: string, term: string): string => keyring.lookupHash(workspaceId, `term:text:${term}`);
