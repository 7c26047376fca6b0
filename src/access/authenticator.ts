import type { Db } from '../db/database.js';
import { ParleyError } from '../errors/parley-error.js';
import { MINUTE } from '../shared/time.js';
import { hashApiKey, looksLikeApiKey } from './api-key-format.js';
import { findApiKeyByHash, touchApiKey, type ApiKeyInfo } from './api-key-queries.js';
import { TtlCache } from '../shared/ttl-cache.js';

export interface AuthContext {
  workspaceId: string;
  keyId: string;
  keyPrefix: string;
  scopes: string[];
}

/**
 * Resolves `Authorization: Bearer <key>` to an AuthContext. A key found is remembered for at most
 * KEY_TTL_MS (one query per key and second, not per request). Revoking a key through this process
 * (the API) forgets every remembered key at once, so it stops working immediately here; a key revoked
 * elsewhere (another process, `parley keys revoke`) stops working within KEY_TTL_MS. `last_used_at`
 * is written at most once a minute per key and process, off the request path.
 */
export class Authenticator {
  readonly #db: Db;
  readonly #touched = new Map<string, number>();
  static readonly TOUCH_INTERVAL = 1 * MINUTE;
  /** The longest a key revoked in another process keeps working in this one. */
  static readonly KEY_TTL_MS = 1000;
  readonly #keys = new TtlCache<string, ApiKeyInfo>(Authenticator.KEY_TTL_MS);

  constructor(db: Db) {
    this.#db = db;
  }

  /** Forgets every remembered key: the next request of each is looked up again (after a revocation). */
  forgetKeys(): void {
    this.#keys.clear();
  }

  async authenticate(header: string | undefined): Promise<AuthContext> {
    if (!header) throw new ParleyError('AUTH_KEY_MISSING');
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new ParleyError('AUTH_KEY_MISSING', { message: 'The Authorization header is not of the form `Bearer <api key>`.' });
    const key = match[1];
    if (!looksLikeApiKey(key)) throw new ParleyError('AUTH_KEY_INVALID', { message: 'The API key is malformed: Parley keys look like prl_xxxxxxxx_<43 characters>.' });
    const hash = hashApiKey(key);
    const info = await this.#keys.get(hash, () => findApiKeyByHash(this.#db, hash));
    if (!info) throw new ParleyError('AUTH_KEY_INVALID');
    if (info.revokedAt !== null) throw new ParleyError('AUTH_KEY_INVALID', { message: 'The API key has been revoked.' });
    this.#touch(info.id);
    return { workspaceId: info.workspaceId, keyId: info.id, keyPrefix: info.prefix, scopes: info.scopes };
  }

  #touch(id: string): void {
    const now = Date.now();
    const last = this.#touched.get(id) ?? 0;
    if (now - last < Authenticator.TOUCH_INTERVAL) return;
    this.#touched.set(id, now);
    touchApiKey(this.#db, id, now).catch(() => this.#touched.delete(id));
  }
}
