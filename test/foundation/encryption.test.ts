import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { Keyring } from '../../src/crypto/keyring.js';
import { sqlitePath } from '../../src/db/dialect.js';
import { describeStorage } from '../harness/storage.js';

describeStorage('encryption at rest', (fx) => {
  const PHONE = '+5511987654321';
  const BODY = 'Your parcel 77-ALPHA is on its way';

  it('ciphertext never contains the plaintext, and the database file does not either', async () => {
    const { workspaceId } = await fx.workspace();
    const keyring = new Keyring(fx.db, fx.masterKey);
    await sql`create table probe (id integer primary key, phone_hash text, phone text, body text)`.execute(fx.db);
    const phone = await keyring.encrypt(workspaceId, PHONE);
    const body = await keyring.encrypt(workspaceId, BODY);
    assert.ok(!phone.includes(PHONE) && !phone.includes('987654321'));
    assert.ok(!body.includes('77-ALPHA'));
    await sql`insert into probe (id, phone_hash, phone, body) values (1, ${keyring.lookupHash(workspaceId, PHONE)}, ${phone}, ${body})`.execute(fx.db);
    if (fx.dialect === 'sqlite') {
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(fx.db);
      const file = sqlitePath(fx.url);
      for (const name of readdirSync(path.dirname(file))) {
        const bytes = readFileSync(path.join(path.dirname(file), name));
        assert.ok(!bytes.includes(Buffer.from('987654321')), `${name} holds the phone number`);
        assert.ok(!bytes.includes(Buffer.from('77-ALPHA')), `${name} holds the message body`);
      }
    } else {
      const rows = await sql<{ t: string }>`select probe::text as t from probe`.execute(fx.db);
      assert.ok(!rows.rows[0].t.includes('987654321'));
    }
  });

  it('finds a record by phone number through the keyed hash', async () => {
    const { workspaceId } = await fx.workspace();
    const keyring = new Keyring(fx.db, fx.masterKey);
    const hash = keyring.lookupHash(workspaceId, PHONE);
    assert.equal(hash, keyring.lookupHash(workspaceId, PHONE), 'deterministic');
    assert.notEqual(hash, keyring.lookupHash(workspaceId, '+5511987654320'));
    await sql`insert into probe (id, phone_hash, phone) values (2, ${hash}, ${await keyring.encrypt(workspaceId, PHONE)})`.execute(fx.db);
    const row = await sql<{ phone: string }>`select phone from probe where phone_hash = ${hash}`.execute(fx.db);
    assert.equal(row.rows.length, 1);
    assert.equal(await keyring.decrypt(workspaceId, row.rows[0].phone), PHONE);
    // Another workspace's hash of the same number differs: no cross-tenant correlation.
    const other = await fx.workspace();
    assert.notEqual(keyring.lookupHash(other.workspaceId, PHONE), hash);
  });

  it('decrypts old values after a data-key rotation and encrypts new ones with the new key', async () => {
    const { workspaceId } = await fx.workspace();
    const keyring = new Keyring(fx.db, fx.masterKey);
    const before = await keyring.encrypt(workspaceId, BODY);
    const newKeyId = await keyring.rotate(workspaceId);
    const after = await keyring.encrypt(workspaceId, BODY);
    assert.ok(after.startsWith(`v1.${newKeyId}.`));
    assert.notEqual(before.split('.')[1], newKeyId);
    // A fresh process (no cache) reads both.
    const fresh = new Keyring(fx.db, fx.masterKey);
    assert.equal(await fresh.decrypt(workspaceId, before), BODY);
    assert.equal(await fresh.decrypt(workspaceId, after), BODY);
    const keys = await fx.db.selectFrom('data_keys').selectAll().where('workspace_id', '=', workspaceId).execute();
    assert.equal(keys.length, 2);
  });

  it('refuses a ciphertext moved to another workspace, and a wrong master key', async () => {
    const a = await fx.workspace();
    const b = await fx.workspace();
    const keyring = new Keyring(fx.db, fx.masterKey);
    const sealed = await keyring.encrypt(a.workspaceId, BODY);
    await assert.rejects(keyring.decrypt(b.workspaceId, sealed));
    const wrongMaster = new Keyring(fx.db, Buffer.alloc(32, 7));
    await assert.rejects(wrongMaster.decrypt(a.workspaceId, sealed));
  });
});
