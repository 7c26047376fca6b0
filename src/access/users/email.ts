import type { Keyring } from '../../crypto/keyring.js';

/** E-mail addresses compare case-insensitively and without surrounding spaces. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

/** The workspace's keyed hash of an address: an address is unique within its workspace. */
export const userEmailHash = (keyring: Keyring, workspaceId: string, email: string): string => keyring.lookupHash(workspaceId, `user-email:${normalizeEmail(email)}`);

/** A system keyed hash of an address: finds its accounts at sign-in, before the workspace is known. */
export const signInHash = (keyring: Keyring, email: string): string => keyring.systemLookupHash('user-email', normalizeEmail(email));
