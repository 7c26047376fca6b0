import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Config } from '../config/load.js';
import { loadOrCreateMasterKey, parseMasterKey } from '../crypto/master-key.js';
import { dialectOf } from '../db/dialect.js';
import { migrate } from '../db/migrate.js';
import type { RunningEmulator } from '../emulator/index.js';
import { seedEmulatorSenders, shouldRunEmulator, startEmbeddedEmulator, syncEmulatorSenders } from './embedded-emulator.js';
import { buildApp } from '../http/app.js';
import { webhookSecretsFor } from '../webhooks/runtime.js';
import type { ParleyApp } from '../http/types.js';
import type { Logger } from '../observability/logger.js';
import { bootstrapIfEmpty } from './bootstrap.js';
import type { BackgroundWorker, ParleyContext } from './context.js';
import { createContext } from './create-context.js';
import { WORKER_FACTORIES } from './workers.js';
import { WorkerThreadHost } from './worker-thread-host.js';

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
  readonly masterKeyGenerated?: string;
  /** The built-in WhatsApp emulator, when `parley start` runs it (PARLEY_EMULATOR). */
  readonly emulator?: RunningEmulator;
  /** Milliseconds from process start to ready. */
  readonly readyAfterMs: number;
  stop(): Promise<void>;
}

export class StartupError extends Error {}

function resolveMasterKey(config: Config, mode: RunMode) {
  if (config.masterKey) return { key: parseMasterKey(config.masterKey), generated: false as const };
  if (mode !== 'all' && dialectOf(config.databaseUrl) === 'postgres') {
    throw new StartupError(
      'PARLEY_MASTER_KEY is not set. `parley serve` and `parley worker` on PostgreSQL share data with other processes and need the same master key in each. ' +
        'Generate one with `openssl rand -base64 32` and set PARLEY_MASTER_KEY=<that value> in every process.',
    );
  }
  return loadOrCreateMasterKey(undefined, config.dataDir);
}

/** Boots Parley: master key, database and migrations, first-start bootstrap, HTTP, workers. */
export async function runParley(options: RunOptions): Promise<RunningParley> {
  const { config, mode } = options;
  const master = resolveMasterKey(config, mode);
  const ctx = createContext({ config, masterKey: master.key, logger: options.logger });
  const workers: BackgroundWorker[] = [];
  let app: ParleyApp | undefined;
  let emulator: RunningEmulator | undefined;
  try {
    const { applied } = await migrate(ctx.store);
    if (applied.length) ctx.logger.info({ applied }, 'migrations applied');
    // The emulator starts before the app, so that the demo senders can point at it; its webhooks are
    // pointed at Parley once Parley listens.
    let emulatorSecrets: Awaited<ReturnType<typeof startEmbeddedEmulator>>['secrets'] | undefined;
    if (mode === 'all' && (await shouldRunEmulator(ctx, config))) {
      ({ emulator, secrets: emulatorSecrets } = await startEmbeddedEmulator(ctx, config));
      // The emulator signs its Cloud API webhooks with its own app secret: accept it like a configured one.
      webhookSecretsFor(ctx).addAppSecret(emulatorSecrets.appSecret);
      ctx.logger.info({ url: emulator.info.url }, 'WhatsApp emulator listening');
      await syncEmulatorSenders(ctx, emulator);
    }
    const seeders = emulator && emulatorSecrets ? [(c: ParleyContext, workspaceId: string) => seedEmulatorSenders(c, workspaceId, emulator!, emulatorSecrets!)] : [];
    const bootstrap = mode === 'all' ? await bootstrapIfEmpty(ctx, seeders) : undefined;

    let url: string | undefined;
    if (mode !== 'worker') {
      app = await buildApp(ctx);
      await app.listen({ host: config.host, port: config.port });
      const address = app.server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${address.port}`;
      // UltraMsg does not sign webhooks: the URL carries the demo UltraMsg sender's webhook secret.
      if (emulator && emulatorSecrets) emulator.setWebhookUrls({ cloud: `${url}/webhooks/whatsapp/cloud`, ultramsg: `${url}/webhooks/whatsapp/ultramsg?secret=${encodeURIComponent(emulatorSecrets.ultramsgWebhookSecret)}` });
    }
    if (mode === 'all') {
      // `start`: the background work runs in a worker thread, off the event loop that answers the API
      // (docs/decisions/0005-start-uses-two-threads.md). It starts after the API is ready.
      workers.push(new WorkerThreadHost(ctx, { masterKey: master.key, logFd: options.logFd ?? 1 }));
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
      })());

    return {
      ctx,
      app,
      url,
      workers,
      adminApiKey: bootstrap?.adminApiKey,
      masterKeyGenerated: master.generated ? master.file : undefined,
      emulator,
      readyAfterMs: Math.round(performance.now()),
      stop,
    };
  } catch (error) {
    if (emulator) await emulator.close().catch(() => {});
    if (app) await app.close().catch(() => {});
    await Promise.all(workers.map((w) => w.stop().catch(() => {})));
    await ctx.store.close().catch(() => {});
    throw error;
  }
}
