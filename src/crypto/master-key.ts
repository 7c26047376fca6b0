import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config/load.js';

export const MASTER_KEY_FILE = 'master.key';

export function parseMasterKey(base64: string): Buffer {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== 32) throw new Error('PARLEY_MASTER_KEY must be 32 bytes in base64 (44 characters).');
  return key;
}

/**
 * The key in `<dataDir>/master.key`, or a new one that is not saved yet: `parley start` saves it with
 * `saveMasterKey` once the database has accepted it, so a refused start leaves nothing behind.
 */
export function readOrGenerateMasterKey(dataDir: string): { key: Buffer; generated: boolean; file: string } {
  const file = path.resolve(dataDir, MASTER_KEY_FILE);
  if (existsSync(file)) return { key: parseMasterKey(readFileSync(file, 'utf8').trim()), generated: false, file };
  return { key: randomBytes(32), generated: true, file };
}

/** Writes a generated key (mode 0600), never over an existing file. */
export function saveMasterKey(file: string, key: Buffer): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
}

/**
 * The master key for `parley start`: from config if set, else from `<dataDir>/master.key`,
 * generated there (mode 0600) on first use. `generated` tells the caller to say so.
 */
export function loadOrCreateMasterKey(configured: string | undefined, dataDir: string): { key: Buffer; generated: boolean; file?: string } {
  if (configured) return { key: parseMasterKey(configured), generated: false };
  const file = path.resolve(dataDir, MASTER_KEY_FILE);
  if (existsSync(file)) return { key: parseMasterKey(readFileSync(file, 'utf8').trim()), generated: false, file };
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64') + '\n', { mode: 0o600 });
  return { key, generated: true, file };
}

/** Where the configured master key comes from, for messages: the variable and its source, or the file. */
export function masterKeySource(config: Config): string {
  if (!config.masterKey) return `the master key file ${path.resolve(config.dataDir, MASTER_KEY_FILE)}`;
  const from = config.sources?.masterKey === 'config file' && config.configFile ? `the config file ${config.configFile}` : 'the environment';
  return `PARLEY_MASTER_KEY (read from ${from})`;
}
