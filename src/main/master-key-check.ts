import path from 'node:path';
import type { Config } from '../config/load.js';
import { masterKeySource } from '../crypto/master-key.js';
import { dialectOf } from '../db/dialect.js';
import { StartupError } from './startup-error.js';

/** The database URL without a password, for messages. */
export function describeDatabase(url: string): string {
  if (dialectOf(url) === 'sqlite') return url;
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** The refusal of a master key that does not open the database's data keys (`Keyring.checkMasterKey`). */
export function masterKeyMismatch(config: Config, generated: boolean): StartupError {
  const where = generated
    ? `no master key was found (neither PARLEY_MASTER_KEY nor ${path.resolve(config.dataDir, 'master.key')}), and a new one cannot open it`
    : `${masterKeySource(config)} is not the key its data was encrypted with`;
  return new StartupError(
    `The master key does not match the database ${describeDatabase(config.databaseUrl)}: ${where}. ` +
      'With it Parley cannot decrypt what is stored (sender credentials, contacts, messages), so nothing would be sent, and what it encrypted now would be unreadable with the right key. ' +
      `Use the master key this database was created with: set PARLEY_MASTER_KEY to it, or restore ${path.resolve(config.dataDir, 'master.key')} from your backup.`,
  );
}
