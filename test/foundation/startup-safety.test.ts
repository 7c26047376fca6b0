import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { loadConfig } from '../../src/config/load.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { oldestWorkspaceId } from '../../src/workspaces/workspace-queries.js';
import { ROOT, runCli, waitForExit } from '../harness/cli.js';
import { POSTGRES_SKIP_REASON, POSTGRES_URL, createPostgresDatabase } from '../harness/postgres.js';
import { describeStorage } from '../harness/storage.js';

const ENTRY = path.join(ROOT, 'src/cli/dev.ts');
const newKey = () => randomBytes(32).toString('base64');

/**
 * Runs `parley <args> --json` until it is ready or exits, whichever comes first: a start that should be
 * refused but is not gets reported as a failure instead of hanging the test.
 */
function startOrExit(args: string[], env: Record<string, string | undefined>): Promise<{ child: ChildProcess; ready?: Record<string, any>; code?: number | null; stderr: () => string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args, '--json'], { cwd: ROOT, env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('{')) resolve({ child, ready: JSON.parse(line), stderr: () => stderr });
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ child, code, stderr: () => stderr }));
  });
}

/** Asserts that `parley <args>` was refused with exit status 1, and returns its standard error. */
async function refused(args: string[], env: Record<string, string | undefined>): Promise<string> {
  const run = await startOrExit(args, env);
  if (run.ready) {
    run.child.kill('SIGKILL');
    await waitForExit(run.child);
    assert.fail(`parley ${args.join(' ')} started (${JSON.stringify(run.ready)}) but should have been refused`);
  }
  assert.equal(run.code, 1, run.stderr());
  assert.doesNotMatch(run.stderr(), /\n\s+at /, 'a clean message, not a stack trace');
  return run.stderr();
}

async function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  child.kill(signal);
  return waitForExit(child);
}

async function started(args: string[], env: Record<string, string | undefined>) {
  const run = await startOrExit(args, env);
  assert.ok(run.ready, `parley ${args.join(' ')} exited with ${run.code}:\n${run.stderr()}`);
  return run as typeof run & { ready: Record<string, any> };
}

function occupyPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve({ server, port: (server.address() as { port: number }).port }));
  });
}

const freshDataDir = () => path.join(mkdtempSync(path.join(tmpdir(), 'parley-startup-')), 'data');

describe('the default database lives in PARLEY_DATA_DIR', () => {
  it('DATABASE_URL defaults to parley.db inside the data directory', () => {
    assert.equal(loadConfig({ PARLEY_DATA_DIR: '/srv/parley' }).databaseUrl, 'sqlite:/srv/parley/parley.db');
    assert.equal(loadConfig({}).databaseUrl, 'sqlite:./data/parley.db');
    assert.equal(loadConfig({ PARLEY_DATA_DIR: '/srv/parley', DATABASE_URL: 'sqlite:/elsewhere.db' }).databaseUrl, 'sqlite:/elsewhere.db');
  });

  it('`parley migrate` and `parley start` without DATABASE_URL use <PARLEY_DATA_DIR>/parley.db', async () => {
    const dataDir = freshDataDir();
    const env = { PARLEY_DATA_DIR: dataDir, DATABASE_URL: undefined, PARLEY_MASTER_KEY: undefined, PARLEY_PORT: '0', PARLEY_EMULATOR_PORT: '0' };
    const migrated = await runCli(['migrate'], env);
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.ok(existsSync(path.join(dataDir, 'parley.db')), 'migrate created the database in the data directory');
    const start = await started(['start'], env);
    try {
      assert.match(start.ready.adminApiKey, /^prl_/, 'start found the database migrate made (an empty one) and bootstrapped it');
    } finally {
      assert.equal(await stop(start.child), 0);
    }
    const again = await started(['start'], env);
    try {
      assert.equal(again.ready.adminApiKey, null, 'the second start uses the same database file');
    } finally {
      assert.equal(await stop(again.child), 0);
    }
  });
});

describe('a master key that does not match the database is refused', () => {
  it('`parley start`, `serve` and `worker` on SQLite exit 1 naming the key and where it was read from', async () => {
    const dataDir = freshDataDir();
    const env = { PARLEY_DATA_DIR: dataDir, DATABASE_URL: undefined, PARLEY_MASTER_KEY: undefined, PARLEY_PORT: '0', PARLEY_EMULATOR_PORT: '0' };
    const first = await started(['start'], env);
    assert.equal(await stop(first.child), 0);

    const fromEnv = await refused(['start'], { ...env, PARLEY_MASTER_KEY: newKey() });
    assert.match(fromEnv, /master key does not match the database sqlite:/);
    assert.match(fromEnv, /PARLEY_MASTER_KEY \(read from the environment\)/);
    for (const command of ['serve', 'worker']) {
      assert.match(await refused([command], { ...env, PARLEY_MASTER_KEY: newKey() }), /PARLEY_MASTER_KEY \(read from the environment\) is not the key/);
    }
    // CLI commands that encrypt refuse it too, before writing anything with it.
    for (const command of [['keys', 'rotate-data-key'], ['senders', 'add', '--workspace', 'ws_x', '--name', 'n', '--provider', 'ultramsg', '--instance-id', 'i1', '--token', 't']]) {
      const result = await runCli(command, { ...env, PARLEY_MASTER_KEY: newKey() });
      assert.equal(result.code, 1, `${command.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /master key does not match the database sqlite:.*PARLEY_MASTER_KEY \(read from the environment\) is not the key/);
    }

    const configFile = path.join(path.dirname(dataDir), 'parley.json');
    writeFileSync(configFile, JSON.stringify({ PARLEY_MASTER_KEY: newKey() }));
    assert.match(await refused(['serve'], { ...env, PARLEY_CONFIG_FILE: configFile }), new RegExp(`PARLEY_MASTER_KEY \\(read from the config file ${configFile}\\)`));

    const keyFile = path.join(dataDir, 'master.key');
    const original = readFileSync(keyFile, 'utf8');
    writeFileSync(keyFile, newKey() + '\n');
    assert.match(await refused(['start'], env), new RegExp(`the master key file ${keyFile} is not the key`));

    writeFileSync(keyFile, original);
    const back = await started(['start'], env);
    assert.equal(await stop(back.child), 0, 'the right key still starts');
  });

  it('a lost master.key is refused too, and no new key is written over the loss', async () => {
    const dataDir = freshDataDir();
    const env = { PARLEY_DATA_DIR: dataDir, DATABASE_URL: undefined, PARLEY_MASTER_KEY: undefined, PARLEY_PORT: '0', PARLEY_EMULATOR_PORT: '0' };
    const first = await started(['start'], env);
    assert.equal(await stop(first.child), 0);
    rmSync(path.join(dataDir, 'master.key'));
    assert.match(await refused(['start'], env), /no master key was found .* and a new one cannot open it/);
    assert.ok(!existsSync(path.join(dataDir, 'master.key')), 'the refused start did not generate a key');
  });

  describe('on PostgreSQL [postgres]', { skip: POSTGRES_URL ? false : POSTGRES_SKIP_REASON }, () => {
    it('`serve` and `worker` record the key on a database from before the check, then refuse another', async () => {
      const { url, drop } = await createPostgresDatabase();
      try {
        const key = newKey();
        const env = { DATABASE_URL: url, PARLEY_MASTER_KEY: key, PARLEY_PORT: '0', PARLEY_DATA_DIR: freshDataDir() };
        // A workspace without any data key: what a database written before this check may look like.
        const ws = await runCli(['workspaces', 'create', 'Acme', '--json'], env);
        assert.equal(ws.code, 0, ws.stderr);

        const worker = await started(['worker'], env);
        assert.equal(await stop(worker.child), 0);

        const wrong = newKey();
        for (const command of ['serve', 'worker']) {
          const stderr = await refused([command], { ...env, PARLEY_MASTER_KEY: wrong });
          assert.match(stderr, /master key does not match the database postgres:\/\//);
          assert.match(stderr, /PARLEY_MASTER_KEY \(read from the environment\) is not the key/);
        }
        const serve = await started(['serve'], env);
        assert.equal(await stop(serve.child), 0, 'the right key still starts');
      } finally {
        await drop();
      }
    });
  });
});

describeStorage('the master-key check', (fx) => {
  it('matches the key that wrapped the oldest data key, records one when there is none, and catches another', async () => {
    const other = new Keyring(fx.db, randomBytes(32));
    assert.equal(await new Keyring(fx.db, fx.masterKey).checkMasterKey(() => oldestWorkspaceId(fx.db)), 'empty', 'nothing to check on an empty database');
    const { workspaceId } = await fx.workspace();
    assert.equal(await new Keyring(fx.db, fx.masterKey).checkMasterKey(() => oldestWorkspaceId(fx.db)), 'recorded');
    const count = await fx.db.selectFrom('data_keys').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 1);
    assert.equal(await new Keyring(fx.db, fx.masterKey).checkMasterKey(() => oldestWorkspaceId(fx.db)), 'matches');
    assert.equal(await other.checkMasterKey(() => oldestWorkspaceId(fx.db)), 'mismatch');
  });
});

describe('one `parley start` per data directory', () => {
  it('a second start is refused while the first runs, and a start after kill -9 of the first works', async () => {
    const dataDir = freshDataDir();
    const env = { PARLEY_DATA_DIR: dataDir, DATABASE_URL: undefined, PARLEY_MASTER_KEY: undefined, PARLEY_PORT: '0', PARLEY_EMULATOR_PORT: '0', PARLEY_EMULATOR: 'on' };
    const first = await started(['start'], env);
    const senders = async (url: string) => {
      const response = await fetch(`${url}/v1/senders`, { headers: { authorization: `Bearer ${first.ready.adminApiKey}` } });
      assert.equal(response.status, 200);
      return ((await response.json()) as { data: Array<{ baseUrl: string }> }).data.map((s) => s.baseUrl);
    };
    try {
      const before = await senders(first.ready.url);
      assert.ok(before.length > 0 && before.every((u) => u === first.ready.emulator.url));

      const stderr = await refused(['start'], env);
      assert.match(stderr, new RegExp(`Another \`parley start\` \\(pid ${first.child.pid}, API ${first.ready.url}`));
      assert.match(stderr, /already running on the data directory/);
      assert.match(stderr, /PARLEY_DATA_DIR/);
      assert.deepEqual(await senders(first.ready.url), before, "the refused start did not re-point the first one's senders");

      // serve beside start on the same SQLite file stays possible (no lock for serve and worker).
      const serve = await started(['serve'], env);
      assert.equal(await stop(serve.child), 0);
    } finally {
      await stop(first.child, 'SIGKILL');
    }
    const next = await started(['start'], env);
    try {
      assert.notEqual(next.ready.emulator.url, first.ready.emulator.url);
    } finally {
      assert.equal(await stop(next.child), 0);
    }
  });
});

describe('one `parley start` running the emulator per PostgreSQL database [postgres]', { skip: POSTGRES_URL ? false : POSTGRES_SKIP_REASON }, () => {
  it('a start from another data directory is refused while the first runs the emulator, and works after kill -9 of the first', async () => {
    const { url, drop } = await createPostgresDatabase();
    try {
      const env = { DATABASE_URL: url, PARLEY_MASTER_KEY: newKey(), PARLEY_PORT: '0', PARLEY_EMULATOR_PORT: '0', PARLEY_EMULATOR: 'on' };
      const first = await started(['start'], { ...env, PARLEY_DATA_DIR: freshDataDir() });
      try {
        const stderr = await refused(['start'], { ...env, PARLEY_DATA_DIR: freshDataDir() });
        assert.match(stderr, /Another `parley start` already runs the built-in WhatsApp emulator for the database postgres:\/\//);
      } finally {
        await stop(first.child, 'SIGKILL');
      }
      const next = await started(['start'], { ...env, PARLEY_DATA_DIR: freshDataDir() });
      assert.equal(await stop(next.child), 0);
    } finally {
      await drop();
    }
  });
});

describe('a port in use', () => {
  it('`parley start` and `serve` name the port and its variable, exit 1, and write nothing', async () => {
    const { server, port } = await occupyPort();
    try {
      const dataDir = freshDataDir();
      const env = { PARLEY_DATA_DIR: dataDir, DATABASE_URL: undefined, PARLEY_MASTER_KEY: undefined, PARLEY_PORT: String(port), PARLEY_EMULATOR_PORT: '0' };
      for (const command of ['start', 'serve']) {
        const stderr = await refused([command], env);
        assert.match(stderr, new RegExp(`Port ${port} is already in use: the HTTP API cannot listen on 127\\.0\\.0\\.1:${port} \\(PARLEY_PORT=${port}\\)`));
        assert.ok(!existsSync(dataDir), `${command} wrote into the data directory: ${existsSync(dataDir) ? readdirSync(dataDir).join(', ') : ''}`);
      }
      const emulatorBusy = await refused(['start'], { ...env, PARLEY_PORT: '0', PARLEY_EMULATOR_PORT: String(port) });
      assert.match(emulatorBusy, new RegExp(`Port ${port} is already in use: the built-in WhatsApp emulator .*PARLEY_EMULATOR_PORT=${port}.*PARLEY_EMULATOR=off`));
      assert.ok(!existsSync(dataDir), 'start wrote into the data directory');
    } finally {
      server.close();
    }
  });

  it('the emulator port of an existing installation is reported the same way', async () => {
    const dataDir = freshDataDir();
    const env = { PARLEY_DATA_DIR: dataDir, DATABASE_URL: undefined, PARLEY_MASTER_KEY: undefined, PARLEY_PORT: '0', PARLEY_EMULATOR_PORT: '0' };
    const first = await started(['start'], env);
    assert.equal(await stop(first.child), 0);
    const { server, port } = await occupyPort();
    try {
      const stderr = await refused(['start'], { ...env, PARLEY_EMULATOR_PORT: String(port) });
      assert.match(stderr, new RegExp(`Port ${port} is already in use: the built-in WhatsApp emulator cannot listen on 127\\.0\\.0\\.1:${port} \\(PARLEY_EMULATOR_PORT=${port}\\)`));
    } finally {
      server.close();
    }
  });
});
