import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { POSTGRES_REQUIRED } from './postgres.js';

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of its own, for tests that stop and start the server (a restart of the shared
 * test server would hit every other test). It uses Debian's server binaries
 * (/usr/lib/postgresql/<version>/bin/initdb and pg_ctl), run as the `postgres` user (initdb refuses
 * root), with its data directory and unix socket in a temporary folder, trust authentication, and a
 * free TCP port on 127.0.0.1.
 *
 * `throwawayPostgresSkipReason` is a reason to skip when that is impossible here (binaries missing,
 * not root, no `postgres` user), or undefined; with PARLEY_TEST_POSTGRES_REQUIRED=1 a missing
 * prerequisite fails the test run instead of skipping.
 */
function findBinaries(): { initdb: string; pgCtl: string } | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  for (const version of versions) {
    const bin = path.join(root, version, 'bin');
    if (existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl'))) return { initdb: path.join(bin, 'initdb'), pgCtl: path.join(bin, 'pg_ctl') };
  }
  return undefined;
}

async function postgresUser(): Promise<{ uid: number; gid: number } | undefined> {
  try {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

const binaries = findBinaries();
const user = await postgresUser();
const runuser = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((p) => existsSync(p));

export const throwawayPostgresSkipReason: string | undefined = !binaries
  ? 'PostgreSQL restart test skipped: no initdb/pg_ctl under /usr/lib/postgresql/*/bin (install the postgresql server package)'
  : !user
    ? 'PostgreSQL restart test skipped: there is no `postgres` user to run the throwaway cluster as'
    : process.getuid?.() !== 0 || !runuser
      ? 'PostgreSQL restart test skipped: starting a throwaway cluster as the `postgres` user needs root and runuser'
      : undefined;

if (throwawayPostgresSkipReason && POSTGRES_REQUIRED) {
  throw new Error(`PARLEY_TEST_POSTGRES_REQUIRED=1 but ${throwawayPostgresSkipReason.replace(/^PostgreSQL restart test skipped: /, '')}.`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly url: string;
  readonly port: number;
  /** Stops the server (`fast`: open connections are terminated with 57P01, as in a restart). */
  stopServer(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data. */
  startServer(): Promise<void>;
  /** Stops the server if running and removes its folder. */
  destroy(): Promise<void>;
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  if (throwawayPostgresSkipReason || !binaries || !user || !runuser) throw new Error(throwawayPostgresSkipReason);
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-pg-'));
  chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  const asPostgres = (file: string, args: string[]) => run(runuser, ['-u', 'postgres', '--', file, ...args], { cwd: dir, timeout: 120_000 });
  await asPostgres(binaries.initdb, ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100`;
  const startServer = async () => {
    await asPostgres(binaries.pgCtl, ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start']);
  };
  const stopServer = async (mode: 'fast' | 'immediate' = 'fast') => {
    await asPostgres(binaries.pgCtl, ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
  };
  // Always stopped before the folder goes (pg_ctl answers an error when it is not running).
  const destroy = async () => {
    await stopServer('immediate').catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await startServer();
  } catch (error) {
    await destroy();
    throw error;
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, stopServer, startServer, destroy };
}
