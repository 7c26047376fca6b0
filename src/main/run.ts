import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Config } from '../config/load.js';
import { parseMasterKey, readOrGenerateMasterKey, saveMasterKey } from '../crypto/master-key.js';
import { dialectOf, sqlitePath } from '../db/dialect.js';
import { migrate } from '../db/migrate.js';
import { SESSION_LOCKS, tryPostgresSessionLock, type SessionLock } from '../db/session-lock.js';
import { sealLegacyPersonalData } from '../privacy/seal-legacy-data.js';
import type { RunningEmulator } from '../emulator/index.js';
import { linkEmbeddedEmulator } from '../emulator-phone/link.js';
import { seedEmulatorSenders, shouldRunEmulator, startEmbeddedEmulator, syncEmulatorSenders } from './embedded-emulator.js';
import { buildApp } from '../http/app.js';
import { webhookSecretsFor } from '../webhooks/services.js';
import type { ParleyApp } from '../http/types.js';
import type { Logger } from '../observability/logger.js';
import { bootstrapIfEmpty } from './bootstrap.js';
import type { BackgroundWorker, ParleyContext } from '../runtime/context.js';
import { createContext } from './create-context.js';
import { WriteTurnstile } from '../db/dialects/write-turnstile.js';
import { seedDemoFlow } from '../bot/demo-flow.js';
import { APP, WORKER_FACTORIES } from './modules.js';
import { startThreadHosts } from './worker-thread-host.js';
import { assertPortsFree, listenFailure, type PortSpec } from './ports.js';
import { StartLock, type StartLockAttempt } from './start-lock.js';
import { StartupError } from './startup-error.js';
import { describeDatabase, masterKeyMismatch } from './master-key-check.js';
import { oldestWorkspaceId } from '../workspaces/workspace-queries.js';

export { StartupError };

/** What runs in this process: everything (`start`), the API only (`serve`), or background work (`worker`). */
export type RunMode = 'all' | 'api' | 'worker';

export interface RunOptions {
  config: Config;
  mode: RunMode;
  logger?: Logger;
  /**
   * `start` only: the file descriptor the worker thread writes its logs to (that of `logger`: 1, or 2
   * under `--json`). Default 1.
   */
  logFd?: number;
}

export interface RunningParley {
  readonly ctx: ParleyContext;
  readonly app?: ParleyApp;
  readonly url?: string;
  readonly workers: BackgroundWorker[];
  readonly adminApiKey?: string;
  /** The demo admin of a first start, with their password (shown once). */
  readonly demoAdmin?: { email: string; password: string };
  readonly masterKeyGenerated?: string;
  /** The built-in WhatsApp emulator, when `parley start` runs it (PARLEY_EMULATOR). */
  readonly emulator?: RunningEmulator;
  /** Milliseconds from process start to ready. */
  readonly readyAfterMs: number;
  stop(): Promise<void>;
}

interface MasterKey {
  key: Buffer;
  /** The file a generated key goes to once the database has accepted it. */
  generatedInto?: string;
}

function resolveMasterKey(config: Config, mode: RunMode): MasterKey {
  if (config.masterKey) return { key: parseMasterKey(config.masterKey) };
  if (mode !== 'all' && dialectOf(config.databaseUrl) === 'postgres') {
    throw new StartupError(
      'PARLEY_MASTER_KEY is not set. `parley serve` and `parley worker` on PostgreSQL share data with other processes and need the same master key in each. ' +
        'Generate one with `openssl rand -base64 32` and set PARLEY_MASTER_KEY=<that value> in every process.',
    );
  }
  let read: ReturnType<typeof readOrGenerateMasterKey>;
  try {
    read = readOrGenerateMasterKey(config.dataDir);
  } catch (error) {
    throw new StartupError(`The master key file ${path.resolve(config.dataDir, 'master.key')} cannot be used: ${(error as Error).message} Restore it from your backup, or set PARLEY_MASTER_KEY.`);
  }
  return { key: read.key, generatedInto: read.generated ? read.file : undefined };
}

/** Ports this mode listens on; the emulator's only when it is sure to run (or to decide later, `late`). */
function portsOf(config: Config, mode: RunMode): { api?: PortSpec; emulator?: PortSpec } {
  const api: PortSpec = { host: config.host, port: config.port, role: 'the HTTP API', variable: 'PARLEY_PORT' };
  const emulator: PortSpec = { host: config.host, port: config.emulatorPort, role: 'the built-in WhatsApp emulator', variable: 'PARLEY_EMULATOR_PORT', alternative: 'or PARLEY_EMULATOR=off to run without it' };
  return { api: mode === 'worker' ? undefined : api, emulator: mode === 'all' && config.emulator !== 'off' ? emulator : undefined };
}

/** A fresh SQLite database (no file yet): with PARLEY_EMULATOR=auto, `start` will run the emulator on it. */
function isFreshSqlite(url: string): boolean {
  if (dialectOf(url) !== 'sqlite') return false;
  const file = sqlitePath(url);
  return file !== ':memory:' && !existsSync(file);
}

/**
 * Boots Parley: checks (ports, the start lock) before anything is written, then the master key, database
 * and migrations, the master-key check, first-start bootstrap, HTTP, workers.
 */
export async function runParley(options: RunOptions): Promise<RunningParley> {
  const { config, mode } = options;
  const ports = portsOf(config, mode);
  const emulatorSure = config.emulator === 'on' || isFreshSqlite(config.databaseUrl);
  // `start` owns its data directory: a second one is refused before it touches anything (start-lock.ts).
  // An existing lock file is tried first, so that "already running" wins over "port in use".
  let lock: StartLock | undefined;
  const refuseHeld = (attempt: Extract<StartLockAttempt, { status: 'held' }>): never => {
    const holder = attempt.holder;
    const who = holder ? ` (pid ${holder.pid}${holder.url ? `, API ${holder.url}` : ''}${holder.emulatorUrl ? `, emulator ${holder.emulatorUrl}` : ''})` : '';
    throw new StartupError(
      `Another \`parley start\`${who} is already running on the data directory ${path.resolve(config.dataDir)} (it holds ${attempt.file}). ` +
        'A second one would re-point the emulated senders at its own emulator and leave the first one\'s messages stranded when it stops. ' +
        'Stop the other one first, or give this one its own PARLEY_DATA_DIR.',
    );
  };
  if (mode === 'all') {
    const attempt = StartLock.tryAcquire(config.dataDir, { create: false });
    if (attempt.status === 'held') refuseHeld(attempt);
    if (attempt.status === 'acquired') lock = attempt.lock;
  }
  try {
    await assertPortsFree([ports.api, emulatorSure ? ports.emulator : undefined].filter((p): p is PortSpec => p !== undefined));
    if (mode === 'all' && !lock) {
      const attempt = StartLock.tryAcquire(config.dataDir, { create: true });
      if (attempt.status === 'held') refuseHeld(attempt);
      if (attempt.status === 'acquired') lock = attempt.lock;
    }
  } catch (error) {
    lock?.release();
    throw error;
  }

  let master: MasterKey;
  let ctx: ParleyContext;
  // `start`'s two threads take turns at SQLite's write lock instead of sleeping in its busy handler.
  const writeTurnstile = mode === 'all' ? new WriteTurnstile() : undefined;
  try {
    master = resolveMasterKey(config, mode);
    ctx = createContext({ config, masterKey: master.key, logger: options.logger, writeTurnstile });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const workers: BackgroundWorker[] = [];
  let app: ParleyApp | undefined;
  let emulator: RunningEmulator | undefined;
  let emulatorLock: SessionLock | undefined;
  try {
    const { applied } = await migrate(ctx.store);
    if (applied.length) ctx.logger.info({ applied }, 'migrations applied');
    // A master key that does not open the database's data keys stops here, not at every decryption later.
    const keyCheck = await ctx.keyring.checkMasterKey(() => oldestWorkspaceId(ctx.db));
    if (keyCheck === 'mismatch') throw masterKeyMismatch(config, master.generatedInto !== undefined);
    if (keyCheck === 'recorded') ctx.logger.info('master key recorded in the database (a data key for the oldest workspace): a different key will be refused at start');
    if (master.generatedInto) saveMasterKey(master.generatedInto, master.key);
    // Rows stored before 0008 get their personal data sealed with the master key (a no-op once done).
    await sealLegacyPersonalData(ctx);
    // The emulator starts before the app, so that the demo senders can point at it; its webhooks are
    // pointed at Parley once Parley listens.
    let emulatorSecrets: Awaited<ReturnType<typeof startEmbeddedEmulator>>['secrets'] | undefined;
    if (mode === 'all' && (await shouldRunEmulator(ctx, config))) {
      // On PostgreSQL, `start`s with different data directories (other machines) can share the database:
      // only one may run the emulator and point the emulated senders at it.
      if (ctx.store.dialect === 'postgres') {
        const logger = ctx.logger;
        emulatorLock = await tryPostgresSessionLock(config.databaseUrl, SESSION_LOCKS.embeddedEmulator, (err) => logger.error({ err }, 'lost the connection holding the embedded-emulator lock'));
        if (!emulatorLock) {
          throw new StartupError(
            `Another \`parley start\` already runs the built-in WhatsApp emulator for the database ${describeDatabase(config.databaseUrl)}. ` +
              'A second one would re-point the emulated senders at its own emulator. Stop the other one first, run this one with PARLEY_EMULATOR=off, or use `parley serve` and `parley worker` to add processes.',
          );
        }
      }
      try {
        ({ emulator, secrets: emulatorSecrets } = await startEmbeddedEmulator(ctx, config));
      } catch (error) {
        throw (ports.emulator && listenFailure(ports.emulator, error)) ?? error;
      }
      // The emulator signs its Cloud API webhooks with its own app secret: accept it like a configured one.
      webhookSecretsFor(ctx).addAppSecret(emulatorSecrets.appSecret);
      ctx.logger.info({ url: emulator.info.url }, 'WhatsApp emulator listening');
      await syncEmulatorSenders(ctx, emulator);
      // The console's emulator phone forwards to its control API (docs/decisions/0026-console-emulator-phone.md).
      linkEmbeddedEmulator(ctx, emulator.info.url);
    }
    // The demo flow answers the second emulated number (the tour's customer writes to the first): it needs the senders first.
    const botNumber = emulator?.info.phoneNumberIds[1];
    const seeders = emulator && emulatorSecrets
      ? [(c: ParleyContext, workspaceId: string) => seedEmulatorSenders(c, workspaceId, emulator!, emulatorSecrets!), ...(botNumber ? [(c: ParleyContext, workspaceId: string) => seedDemoFlow(c, workspaceId, botNumber)] : [])]
      : [];
    const bootstrap = mode === 'all' ? await bootstrapIfEmpty(ctx, seeders) : undefined;

    let url: string | undefined;
    if (mode !== 'worker') {
      app = await buildApp(ctx, APP);
      try {
        await app.listen({ host: config.host, port: config.port });
      } catch (error) {
        throw (ports.api && listenFailure(ports.api, error)) ?? error;
      }
      const address = app.server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
      // UltraMsg does not sign webhooks: the URL carries the demo UltraMsg sender's webhook secret.
      if (emulator && emulatorSecrets) emulator.setWebhookUrls({ cloud: `${url}/webhooks/whatsapp/cloud`, ultramsg: `${url}/webhooks/whatsapp/ultramsg?secret=${encodeURIComponent(emulatorSecrets.ultramsgWebhookSecret)}` });
    }
    if (mode === 'all') {
      // `start`: the background work runs in a worker thread, off the event loop that answers the API
      // (docs/decisions/0005-start-uses-two-threads.md). It starts after the API is ready.
      // Two threads by default: the dispatcher in one, the processor and the bot in the other (PARLEY_WORKER_THREADS).
      workers.push(...startThreadHosts(ctx, { masterKey: master.key, logFd: options.logFd ?? 1, writeTurnstile }));
    } else if (mode === 'worker') {
      for (const factory of WORKER_FACTORIES) workers.push(...factory(ctx));
    }
    for (const worker of workers) worker.start();

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        // Stop accepting requests and let in-flight ones finish, then drain workers, then the database.
        if (emulator) await emulator.close();
        if (app) await app.close();
        await Promise.all(workers.map((w) => w.stop()));
        await ctx.store.close();
        await emulatorLock?.release();
        lock?.release();
      })());
    lock?.describe({ pid: process.pid, startedAt: new Date().toISOString(), url: url ?? null, emulatorUrl: emulator?.info.url ?? null });

    return {
      ctx,
      app,
      url,
      workers,
      adminApiKey: bootstrap?.adminApiKey,
      demoAdmin: bootstrap?.admin,
      masterKeyGenerated: master.generatedInto,
      emulator,
      readyAfterMs: Math.round(performance.now()),
      stop,
    };
  } catch (error) {
    if (emulator) await emulator.close().catch(() => {});
    if (app) await app.close().catch(() => {});
    await Promise.all(workers.map((w) => w.stop().catch(() => {})));
    await ctx.store.close().catch(() => {});
    await emulatorLock?.release().catch(() => {});
    lock?.release();
    throw error;
  }
}
