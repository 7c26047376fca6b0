import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStore, type Store } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { Keyring } from '../../src/crypto/keyring.js';
import { providerIdHash } from '../../src/messages/provider-ids.js';
import { createWorkspace } from '../../src/workspaces/workspace-queries.js';
import { sleep } from '../../src/shared/time.js';
import { spawnParley, waitForExit } from '../harness/cli.js';
import { APP_SECRET, fixture, insertSender, signed, withMessageId } from './helpers.js';

async function countIn(store: Store, masterKey: Buffer, ids: string[]): Promise<number> {
  let n = 0;
  const keyring = new Keyring(store.db, masterKey);
  const hashes = ids.map((id) => providerIdHash(keyring, id));
  for (let i = 0; i < hashes.length; i += 500) {
    const rows = await store.db.selectFrom('messages').select('id').where('provider_id_hash', 'in', hashes.slice(i, i + 500)).execute();
    n += rows.length;
  }
  return n;
}

describe('crash safety of webhook ingestion', () => {
  it('after kill -9 during a webhook flood, every delivery that got a 200 is present and processed after restart', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-crash-'));
    const masterKey = randomBytes(32);
    const databaseUrl = `sqlite:${path.join(dataDir, 'parley.db')}`;
    const env = {
      PARLEY_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      PARLEY_MASTER_KEY: masterKey.toString('base64'),
      PARLEY_WHATSAPP_APP_SECRETS: APP_SECRET,
      PARLEY_PORT: '0',
      PARLEY_EMULATOR: 'off',
      PARLEY_LOG_LEVEL: 'warn',
    };
    const setup = openStore(databaseUrl);
    await migrate(setup);
    const workspace = await createWorkspace(setup.db, { name: 'crash test' });
    await insertSender(setup.db, new Keyring(setup.db, masterKey), { workspaceId: workspace.id });
    await setup.close();

    const first = await spawnParley(['start', '--json'], env);
    const url = `${first.ready.url}/webhooks/whatsapp/cloud`;
    const template = fixture('cloud-text-message.json');
    const accepted: string[] = [];
    let killed = false;
    const flood = async (lane: number) => {
      for (let i = 0; !killed; i++) {
        const id = `wamid.crash.${lane}.${i}`;
        const body = withMessageId(template, id);
        try {
          const res = await fetch(url, { method: 'POST', headers: signed(body), body });
          if (res.status === 200) accepted.push(id);
          else assert.fail(`unexpected ${res.status}: ${await res.text()}`);
        } catch {
          return; // the process is gone
        }
      }
    };
    const lanes = Array.from({ length: 16 }, (_, lane) => flood(lane));
    // Kill it mid-flood: deliveries are being committed, claimed and processed at this moment.
    while (accepted.length < 400) await sleep(20);
    first.child.kill('SIGKILL');
    killed = true;
    await waitForExit(first.child);
    await Promise.all(lanes);
    assert.equal(first.child.signalCode, 'SIGKILL');

    const second = await spawnParley(['start', '--json'], env);
    const store = openStore(databaseUrl);
    try {
      const deadline = Date.now() + 60_000;
      let present = 0;
      let pending = -1;
      while (Date.now() < deadline) {
        present = await countIn(store, masterKey, accepted);
        pending = Number((await store.db.selectFrom('webhook_log').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '!=', 'done').executeTakeFirstOrThrow()).n);
        if (present === accepted.length && pending === 0) break;
        await sleep(250);
      }
      assert.equal(present, accepted.length, `all ${accepted.length} acknowledged deliveries became messages`);
      assert.equal(pending, 0, 'every logged delivery is processed');
      const logged = Number((await store.db.selectFrom('webhook_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      assert.ok(logged >= accepted.length, 'every 200 was logged first');
    } finally {
      await store.close();
      second.child.kill('SIGTERM');
      await waitForExit(second.child);
    }
  });
});
