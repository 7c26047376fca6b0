import { createHash } from 'node:crypto';
import { failureBackoff, logLoopFailure } from '../../db/unavailable.js';
import type { BackgroundWorker, ParleyContext } from '../../runtime/context.js';
import { HOUR, MINUTE, SECOND } from '../../shared/time.js';
import { webhookServicesFor } from '../services.js';
import { MediaDownloadError } from '../../channels/read-bounded.js';
import { lockedForClaim } from '../../db/claim-lock.js';
import type { ProviderName } from '../../channels/provider-name.js';
import { senderCredentials } from '../../senders/sender-queries.js';

const BATCH = 8;
const LEASE = 2 * MINUTE;
const TIMEOUT = 60 * SECOND;
/** Attempts before a download is given up (the message stays, with the media recorded as failed). */
export const MEDIA_MAX_ATTEMPTS = 6;
export const mediaRetryDelay = (attempt: number) => Math.min(1 * HOUR, 30 * SECOND * 4 ** Math.max(0, attempt - 1));

type MediaRow = { id: string; workspace_id: string; sender_id: string; provider: ProviderName; provider_media_id: string | null; source_url: string | null; sha256: string | null; mime_type: string | null; attempts: number };

/**
 * Downloads inbound media queued by webhook processing and stores it encrypted (bounded by
 * PARLEY_MEDIA_MAX_BYTES). A failed download keeps the message and records the failure; it is
 * retried with backoff, then left `failed` with its error.
 */
export class MediaDownloader implements BackgroundWorker {
  readonly name = 'media-downloader';
  readonly #ctx: ParleyContext;
  #running = false;
  #loop: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;
  #unsubscribe: (() => void) | undefined;
  /** The wake-up after the last commit, pending: commits in a burst wake one pass, not one each. */
  #wakeSoon: NodeJS.Timeout | undefined;

  constructor(ctx: ParleyContext) {
    this.#ctx = ctx;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#unsubscribe = webhookServicesFor(this.#ctx).onCommitted(() => {
      this.#wakeSoon ??= setTimeout(() => {
        this.#wakeSoon = undefined;
        this.#wake?.();
      }, 200).unref();
    });
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#unsubscribe?.();
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#wakeSoon) clearTimeout(this.#wakeSoon);
    this.#wake?.();
    await this.#loop;
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (this.#running) {
      let n = 0;
      try {
        n = await this.runOnce();
        failures = 0;
      } catch (error) {
        failures++;
        logLoopFailure(this.#ctx.logger, error, failures, 'media download pass');
      }
      if ((n >= BATCH && !failures) || !this.#running) continue;
      await new Promise<void>((resolve) => {
        this.#timer = setTimeout(resolve, Math.max(1 * SECOND, failureBackoff(failures)));
        this.#wake = () => {
          clearTimeout(this.#timer);
          resolve();
        };
      });
    }
  }

  /** Downloads one batch of due media; returns how many it tried. */
  async runOnce(): Promise<number> {
    const { db, clock } = this.#ctx;
    const now = clock.now();
    const due = db.selectFrom('media').select('id').where('state', '=', 'pending').where('next_attempt_at', '<=', now).orderBy('next_attempt_at').limit(BATCH);
    const rows = await db
      .updateTable('media')
      .set((eb) => ({ next_attempt_at: now + LEASE, attempts: eb('attempts', '+', 1), updated_at: now }))
      .where('id', 'in', lockedForClaim(due, this.#ctx.store.dialect))
      .returning(['id', 'workspace_id', 'sender_id', 'provider', 'provider_media_id', 'source_url', 'sha256', 'mime_type', 'attempts'])
      .execute();
    await Promise.all(rows.map((row) => this.#downloadOne(row)));
    return rows.length;
  }

  async #fetch(row: MediaRow): Promise<{ bytes: Buffer; mimeType?: string; sha256?: string }> {
    const { config, keyring } = this.#ctx;
    const maxBytes = config.mediaMaxBytes;
    const services = webhookServicesFor(this.#ctx);
    const adapter = services.channels.byProvider(row.provider);
    if (!adapter.downloadMedia) throw new MediaDownloadError(`The ${row.provider} channel receives no media.`, true);
    const sender = async () => {
      const sender = await services.directory.byId(row.sender_id);
      if (!sender) throw new MediaDownloadError(`Sender ${row.sender_id} no longer exists.`, true);
      return { sender, credentials: await senderCredentials(this.#ctx.db, keyring, sender) };
    };
    return adapter.downloadMedia({ providerMediaId: row.provider_media_id, url: row.source_url, sender, maxBytes, timeoutMs: TIMEOUT });
  }

  async #downloadOne(row: MediaRow): Promise<void> {
    const { db, clock, keyring, logger } = this.#ctx;
    try {
      const file = await this.#fetch(row);
      const expected = (row.sha256 ?? file.sha256 ?? '').toLowerCase();
      if (/^[0-9a-f]{64}$/.test(expected)) {
        const actual = createHash('sha256').update(file.bytes).digest('hex');
        if (actual !== expected) throw new MediaDownloadError(`The downloaded file does not match its sha256 (${actual}).`, false);
      }
      const data = await keyring.encrypt(row.workspace_id, file.bytes.toString('base64'));
      await db
        .updateTable('media')
        .set({ state: 'stored', data, size: file.bytes.length, mime_type: row.mime_type ?? file.mimeType ?? null, error: null, updated_at: clock.now() })
        .where('id', '=', row.id)
        .execute();
    } catch (error) {
      const permanent = error instanceof MediaDownloadError && error.permanent;
      const giveUp = permanent || row.attempts >= MEDIA_MAX_ATTEMPTS;
      const message = (error as Error).message;
      logger.warn({ mediaId: row.id, attempts: row.attempts, giveUp, error: message }, 'media download failed');
      const now = clock.now();
      await db
        .updateTable('media')
        .set({ state: giveUp ? 'failed' : 'pending', error: message, next_attempt_at: giveUp ? now : now + mediaRetryDelay(row.attempts), updated_at: now })
        .where('id', '=', row.id)
        .execute();
    }
  }
}
