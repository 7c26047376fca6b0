import type { AddressInfo } from 'node:net';
import { randomInt } from 'node:crypto';
import type { Clock } from '../shared/time.js';
import { resolveConfig } from './config/resolve.js';
import type { EmulatorConfigInput } from './config/schema.js';
import { EmulatorCore, type WebhookUrls } from './core.js';
import { emulatorInfo } from './info.js';
import { buildEmulatorServer } from './server.js';
import type { EmulatorInfo } from './types.js';

export interface StartEmulatorOptions {
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** Port (default 0: a free port). */
  port?: number;
  /** Meta app secret used to sign Cloud webhooks (default: the config's, else generated). */
  appSecret?: string;
  /** Where Cloud API webhooks are POSTed (can be set later with `setWebhookUrls`). */
  cloudWebhookUrl?: string;
  /** Where UltraMsg webhooks are POSTed. */
  ultramsgWebhookUrl?: string;
  /** Numbers, templates, customers, personas, behaviour, faults (see `config/schema.ts`); validated. */
  config?: EmulatorConfigInput | Record<string, unknown>;
  /** Seed of every simulated choice (default: random). The same seed replays the same personas. */
  seed?: number;
  /** Time source of emulator time (default: the system clock). */
  clock?: Clock;
  /** Called with unexpected internal errors (default: ignored). */
  onError?: (error: unknown) => void;
}

export interface RunningEmulator {
  /** `{url, accessToken, appSecret, wabaId, phoneNumberIds, ultramsgInstanceIds, ultramsgToken}` */
  readonly info: EmulatorInfo;
  /** The emulator's state and controls, for in-process use (the HTTP control API drives the same object). */
  readonly core: EmulatorCore;
  readonly seed: number;
  /** Changes where webhooks go (e.g. once the receiver knows its own URL); pending deliveries follow. */
  setWebhookUrls(urls: WebhookUrls): void;
  /** Posts what is batched and resolves true once every webhook is delivered or dropped. */
  flushWebhooks(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/** Starts the WhatsApp emulator on its own HTTP server and resolves once it listens. */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const config = resolveConfig(options.config ?? {}, { appSecret: options.appSecret });
  const seed = options.seed ?? randomInt(0, 2 ** 31);
  const core = new EmulatorCore(config, seed, { cloud: options.cloudWebhookUrl, ultramsg: options.ultramsgWebhookUrl }, options.clock, options.onError);
  const app = buildEmulatorServer(core);
  try {
    await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  } catch (error) {
    await core.close();
    throw error;
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
  core.baseUrl = `http://${host}:${address.port}`;
  let closing: Promise<void> | undefined;
  return {
    get info() {
      return emulatorInfo(core);
    },
    core,
    seed,
    setWebhookUrls: (urls) => core.setWebhookUrls(urls),
    flushWebhooks: (timeoutMs) => core.flushWebhooks(timeoutMs),
    close: () =>
      (closing ??= (async () => {
        await core.close();
        await app.close();
      })()),
  };
}
