import type { Store } from '../../db/database.js';
import type { Keyring } from '../../crypto/keyring.js';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { signInAccounts, type SignInAccount } from './user-queries.js';

/**
 * The account whose password this is, among the active accounts of the address (limited to one
 * workspace when named), or undefined. An address without a usable account is checked against a
 * decoy hash, so that it costs as long as a wrong password. A hash made with weaker parameters than
 * today's is replaced on success.
 */
export async function checkSignIn(store: Store, keyring: Keyring, input: { email: string; password: string; workspaceId?: string }, now = Date.now()): Promise<SignInAccount | undefined> {
  const accounts = (await signInAccounts(store.db, keyring, input.email)).filter(
    (a) => a.status === 'active' && a.passwordHash !== null && (input.workspaceId === undefined || a.workspaceId === input.workspaceId),
  );
  if (!accounts.length) {
    await verifyPassword(input.password, await decoyHash());
    return undefined;
  }
  for (const account of accounts) {
    if (!(await verifyPassword(input.password, account.passwordHash!))) continue;
    if (needsRehash(account.passwordHash!)) {
      await store.db.updateTable('users').set({ password_hash: await hashPassword(input.password), updated_at: now }).where('id', '=', account.id).execute();
    }
    return account;
  }
  return undefined;
}
