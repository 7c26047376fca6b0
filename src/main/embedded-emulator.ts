import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config/load.js';
import type { ParleyContext } from '../runtime/context.js';
import { startEmulator, type RunningEmulator } from '../emulator/index.js';
import { senderNumberId } from '../channels/sender-identity.js';
import { activeSenderBaseUrls, createSender, listSenders, setSenderBaseUrl } from '../senders/sender-queries.js';

/**
 * The emulator inside `parley start`. It is an ordinary provider at a local base URL: Parley's senders
 * point at it exactly as they would at graph.facebook.com. This file only decides whether to run it,
 * keeps its credentials stable across restarts (so demo senders keep working), creates the demo
 * workspace's senders on first start, and re-points them if the emulator's port changed.
 */
const SECRETS_FILE = 'emulator.json';

interface EmulatorSecrets {
  accessToken: string;
  appSecret: string;
  ultramsgToken: string;
  ultramsgWebhookSecret: string;
}

function loadSecrets(dataDir: string): EmulatorSecrets {
  const file = path.resolve(dataDir, SECRETS_FILE);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as EmulatorSecrets;
  const secrets: EmulatorSecrets = {
    accessToken: `EAAG${randomBytes(24).toString('base64url')}`,
    appSecret: randomBytes(16).toString('hex'),
    ultramsgToken: randomBytes(10).toString('hex'),
    ultramsgWebhookSecret: randomBytes(24).toString('base64url'),
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  return secrets;
}

const isLoopback = (baseUrl: string) => /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(baseUrl);

/** `on` always; `off` never; `auto` unless an active sender points at a real (non-local) provider. */
export async function shouldRunEmulator(ctx: ParleyContext, config: Config): Promise<boolean> {
  if (config.emulator === 'off') return false;
  if (config.emulator === 'on') return true;
  return (await activeSenderBaseUrls(ctx.db)).every(isLoopback);
}

export async function startEmbeddedEmulator(ctx: ParleyContext, config: Config): Promise<{ emulator: RunningEmulator; secrets: EmulatorSecrets }> {
  const secrets = loadSecrets(config.dataDir);
  const emulator = await startEmulator({
    host: config.host,
    port: config.emulatorPort,
    appSecret: secrets.appSecret,
    config: { accessToken: secrets.accessToken, ultramsg: { token: secrets.ultramsgToken } },
    onError: (err) => ctx.logger.error({ err }, 'emulator error'),
  });
  return { emulator, secrets };
}

/** First start: the demo workspace gets a sender for each emulated number. */
export async function seedEmulatorSenders(ctx: ParleyContext, workspaceId: string, emulator: RunningEmulator, secrets: EmulatorSecrets): Promise<void> {
  const info = emulator.info;
  for (const [i, phoneNumberId] of info.phoneNumberIds.entries()) {
    const number = emulator.core.config.numbers.find((n) => n.phoneNumberId === phoneNumberId);
    await createSender(ctx.db, ctx.keyring, {
      workspaceId,
      name: `Emulator Cloud API ${i + 1}`,
      provider: 'cloud',
      baseUrl: info.url,
      graphVersion: ctx.config.graphVersion,
      phoneNumberId,
      wabaId: info.wabaId,
      displayPhone: number ? `+${number.displayPhoneNumber}` : null,
      credentials: { accessToken: info.accessToken },
      mps: number?.limits.throughputMps ?? 80,
      messagingLimit: number?.limits.dailyUniqueRecipients ?? null,
      portfolioId: info.wabaId,
    });
  }
  for (const instanceId of info.ultramsgInstanceIds) {
    await createSender(ctx.db, ctx.keyring, {
      workspaceId,
      name: `Emulator UltraMsg ${instanceId}`,
      provider: 'ultramsg',
      baseUrl: info.url,
      instanceId,
      credentials: { token: info.ultramsgToken },
      webhookSecret: secrets.ultramsgWebhookSecret,
      mps: 1,
    });
  }
}

/** Later starts: senders of the emulated numbers follow the emulator if its port changed. */
export async function syncEmulatorSenders(ctx: ParleyContext, emulator: RunningEmulator): Promise<void> {
  const info = emulator.info;
  const ids = new Set([...info.phoneNumberIds, ...info.ultramsgInstanceIds]);
  for (const sender of await listSenders(ctx.db)) {
    const id = senderNumberId(sender);
    if (!id || !ids.has(id) || !isLoopback(sender.baseUrl) || sender.baseUrl === info.url) continue;
    await setSenderBaseUrl(ctx.db, sender.id, info.url);
  }
}
