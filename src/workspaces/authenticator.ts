import type { Db } from '../db/database.js';
import { ParleyError } from '../errors/parley-error.js';
import { MINUTE } from '../shared/time.js';
import { hashApiKey, looksLikeApiKey } from './api-key-format.js';
import { findApiKeyByHash, touchApiKey } from './api-key-queries.js';
import { grants, type Scope } from './scopes.js';

export interface AuthContext {
  workspaceId: string;
  keyId: string;
  keyPrefix: string;
  scopes: string[];
}

/**
 * Resolves `Authorization: Bearer <key>` to an AuthContext. The key is looked up on every request,
 * so a revoked key stops working at once in every process. `last_used_at` is written at most once
 * a minute per key and process, off the request path.
 */
export class Authenticator {
  readonly #db: Db;
  readonly #touched = new Map<string, number>();
  static readonly TOUCH_INTERVAL = 1 * MINUTE;

  constructor(db: Db) {
    this.#db = db;
  }

  async authenticate(header: string | undefined): Promise<AuthContext> {
    if (!header) throw new ParleyError('AUTH_KEY_MISSING');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new ParleyError('AUTH_KEY_MISSING', { message: 'The Authorization header is not of the form `Bearer <api key>`.' });
    const key = match[1];
    if (!looksLikeApiKey(key)) throw new ParleyError('AUTH_KEY_INVALID', { message: 'The API key is malformed: Parley keys look like prl_xxxxxxxx_<43 characters>.' });
    const info = await findApiKeyByHash(this.#db, hashApiKey(key));
    if (!info) throw new ParleyError('AUTH_KEY_INVALID');
    if (info.revokedAt !== null) throw new ParleyError('AUTH_KEY_INVALID', { message: 'The API key has been revoked.' });
    this.#touch(info.id);
    return { workspaceId: info.workspaceId, keyId: info.id, keyPrefix: info.prefix, scopes: info.scopes };
  }

  static require(auth: AuthContext, scope: Scope): void {
    if (!grants(auth.scopes, scope)) {
      throw new ParleyError('AUTH_SCOPE_MISSING', { message: `The API key lacks the scope "${scope}".`, details: { requiredScope: scope, keyScopes: auth.scopes } });
    }
  }

  #touch(id: string): void {
    const now = Date.now();
    const last = this.#touched.get(id) ?? 0;
    if (now - last < Authenticator.TOUCH_INTERVAL) return;
    this.#touched.set(id, now);
    touchApiKey(this.#db, id, now).catch(() => this.#touched.delete(id));
  }
}
