import type { Keyring } from '../crypto/keyring.js';

// A provider's message id carries the customer's number: UltraMsg's `false_33612345678@c.us_3EB0…`
// in clear, Cloud API wamids base64-encoded (`wamid.HBgLMTQxNTU1NTAxMjM…`). Parley stores it twice,
// never in clear: a keyed hash to match it (`provider_id_hash`: statuses, redeliveries, replies, held
// statuses, log outcome keys) and the value sealed with the workspace's data key to use it
// (`provider_id_sealed`: quoting, reacting, the API's `providerMessageId`). Erasure drops both.
//
// The hash is keyed by a system key derived from the master key, not a workspace key: a webhook names
// the id before Parley has routed it to a workspace, and the log's outcome keys are written then.

const PURPOSE = 'provider message id';

/** The keyed hash a provider message id is matched by (hex, 64 characters). One HMAC. */
export const providerIdHash = (keyring: Keyring, providerMessageId: string): string => keyring.systemLookupHash(PURPOSE, providerMessageId);

/** The provider id sealed for storage with the workspace's data key. */
export const sealProviderId = (keyring: Keyring, workspaceId: string, providerMessageId: string): Promise<string> => keyring.encrypt(workspaceId, providerMessageId);

/** The stored provider id in clear; a value stored before encryption (no `v1.` prefix) is returned as it is. */
export async function openProviderId(keyring: Keyring, workspaceId: string, sealed: string | null): Promise<string | null> {
  if (sealed === null) return null;
  return isSealed(sealed) ? keyring.decrypt(workspaceId, sealed) : sealed;
}

/** Whether a stored value is a Parley ciphertext (`v1.<dataKeyId>.<base64>`). */
export const isSealed = (value: string): boolean => value.startsWith('v1.');

/** A short form of the hash for log outcome keys: enough to tell deliveries apart and to find them again. */
export const providerIdKey = (hash: string): string => hash.slice(0, 24);
