import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import { newId } from '../shared/ids.js';
import { MINUTE } from '../shared/time.js';
import { open, seal } from './aes-gcm.js';

/**
 * Envelope encryption for personal data and credentials.
 *
 * Each workspace has data keys (random 32 bytes) stored wrapped by the master key. A value is
 * encrypted with the workspace's newest data key and stored as `v1.<dataKeyId>.<base64 sealed>`;
 * the key id travels with the ciphertext, so after `rotate()` old values still decrypt while new
 * ones use the new key. The workspace id is authenticated data: a ciphertext copied into another
 * workspace does not decrypt.
 *
 * Lookups (find a contact by phone) use `lookupHash()`: an HMAC keyed per workspace with a key
 * derived from the master key, so equal inputs give equal hashes without storing the plaintext.
 */
export class Keyring {
  readonly #db: Db;
  readonly #master: Buffer;
  readonly #keys = new Map<string, Buffer>();
  readonly #active = new Map<string, { id: string; key: Buffer; loadedAt: number }>();
  readonly #lookupKeys = new Map<string, Buffer>();
  readonly #systemKeys = new Map<string, Buffer>();
  /** How long a process keeps using a cached active key before checking for a newer one. */
  static readonly ACTIVE_KEY_TTL = 1 * MINUTE;

  constructor(db: Db, masterKey: Buffer) {
    this.#db = db;
    this.#master = masterKey;
  }

  async encrypt(workspaceId: string, plaintext: string): Promise<string> {
    const { id, key } = await this.#activeKey(workspaceId);
    const sealed = seal(key, Buffer.from(plaintext, 'utf8'), Buffer.from(workspaceId));
    return `v1.${id}.${sealed.toString('base64')}`;
  }

  async decrypt(workspaceId: string, ciphertext: string): Promise<string> {
    const [version, keyId, body] = ciphertext.split('.');
    if (version !== 'v1' || !keyId || !body) throw new Error('Not a Parley ciphertext.');
    const key = await this.#dataKey(workspaceId, keyId);
    return open(key, Buffer.from(body, 'base64'), Buffer.from(workspaceId)).toString('utf8');
  }

  async encryptNullable(workspaceId: string, plaintext: string | null | undefined): Promise<string | null> {
    return plaintext === null || plaintext === undefined ? null : this.encrypt(workspaceId, plaintext);
  }

  async decryptNullable(workspaceId: string, ciphertext: string | null | undefined): Promise<string | null> {
    return ciphertext === null || ciphertext === undefined ? null : this.decrypt(workspaceId, ciphertext);
  }

  /** Deterministic keyed hash (hex) for lookups and uniqueness, stable across data-key rotation. */
  lookupHash(workspaceId: string, value: string): string {
    let key = this.#lookupKeys.get(workspaceId);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.#master, Buffer.from(workspaceId), Buffer.from('parley lookup hash v1'), 32));
      this.#lookupKeys.set(workspaceId, key);
    }
    return createHmac('sha256', key).update(value).digest('hex');
  }

  /**
   * A key for Parley's own data that belongs to no workspace yet (the raw webhook log: a Cloud API
   * delivery is routed to its workspace only when processed), derived from the master key per purpose.
   */
  systemKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#master, Buffer.alloc(0), Buffer.from(`parley system key v1:${purpose}`), 32));
  }

  /**
   * Deterministic keyed hash (hex) under a system key (`systemKey(purpose)`, cached): for values that
   * must be matched before Parley knows their workspace (a provider's message id in a webhook).
   */
  systemLookupHash(purpose: string, value: string): string {
    let key = this.#systemKeys.get(purpose);
    if (!key) {
      key = this.systemKey(`lookup:${purpose}`);
      this.#systemKeys.set(purpose, key);
    }
    return createHmac('sha256', key).update(value).digest('hex');
  }

  /** Creates a new data key for the workspace; it encrypts from now on (in other processes within ACTIVE_KEY_TTL). */
  async rotate(workspaceId: string, now = Date.now()): Promise<string> {
    const key = randomBytes(32);
    const id = newId('dk', now);
    const wrapped = seal(this.#master, key, Buffer.from(`${workspaceId}:${id}`)).toString('base64');
    await this.#db.insertInto('data_keys').values({ id, workspace_id: workspaceId, wrapped_key: wrapped, created_at: now, retired_at: null }).execute();
    this.#keys.set(id, key);
    this.#active.set(workspaceId, { id, key, loadedAt: now });
    return id;
  }

  async #activeKey(workspaceId: string): Promise<{ id: string; key: Buffer }> {
    const cached = this.#active.get(workspaceId);
    if (cached && Date.now() - cached.loadedAt < Keyring.ACTIVE_KEY_TTL) return cached;
    const row = await this.#db
      .selectFrom('data_keys')
      .select(['id', 'wrapped_key'])
      .where('workspace_id', '=', workspaceId)
      .where('retired_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) {
      const id = await this.rotate(workspaceId);
      return this.#active.get(workspaceId) ?? { id, key: this.#keys.get(id)! };
    }
    const key = this.#unwrap(workspaceId, row.id, row.wrapped_key);
    const entry = { id: row.id, key, loadedAt: Date.now() };
    this.#active.set(workspaceId, entry);
    return entry;
  }

  async #dataKey(workspaceId: string, keyId: string): Promise<Buffer> {
    const cached = this.#keys.get(keyId);
    if (cached) return cached;
    const row = await this.#db
      .selectFrom('data_keys')
      .select(['wrapped_key'])
      .where('id', '=', keyId)
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirst();
    if (!row) throw new Error(`Data key ${keyId} not found for this workspace (destroyed by erasure?).`);
    return this.#unwrap(workspaceId, keyId, row.wrapped_key);
  }

  /**
   * Whether this master key is the one the database's data keys are wrapped by, checked at boot so that
   * a wrong key stops Parley instead of failing every decryption later. The oldest data key is the
   * database's key-check value: every data key is wrapped by the master key of its day, and the oldest was
   * wrapped by the first one. A database with workspaces but no data key yet (one from before this check,
   * or one that never encrypted anything) gets one for its oldest workspace now, which records the key.
   * `oldestWorkspaceId` finds that workspace (the workspaces module's query: workspaces are not this module's).
   */
  async checkMasterKey(oldestWorkspaceId: () => Promise<string | undefined>): Promise<'matches' | 'recorded' | 'empty' | 'mismatch'> {
    const oldest = await this.#db
      .selectFrom('data_keys')
      .select(['id', 'workspace_id', 'wrapped_key'])
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .limit(1)
      .executeTakeFirst();
    if (oldest) {
      try {
        this.#unwrap(oldest.workspace_id, oldest.id, oldest.wrapped_key);
        return 'matches';
      } catch {
        return 'mismatch';
      }
    }
    const workspaceId = await oldestWorkspaceId();
    if (!workspaceId) return 'empty';
    await this.rotate(workspaceId);
    return 'recorded';
  }

  #unwrap(workspaceId: string, keyId: string, wrapped: string): Buffer {
    const key = open(this.#master, Buffer.from(wrapped, 'base64'), Buffer.from(`${workspaceId}:${keyId}`));
    this.#keys.set(keyId, key);
    return key;
  }
}
