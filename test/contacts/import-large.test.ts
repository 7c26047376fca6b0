import { it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { importContacts } from '../../src/contacts/import-contacts.js';
import { readCsv } from '../../src/contacts/csv.js';
import { tagHash } from '../../src/contacts/contact-hashes.js';
import { consentLedger } from '../../src/consent/ledger-queries.js';

const ROWS = 100_000;

/** A CSV of ROWS contacts where every 100th row is broken in one of several ways (1%). */
function* csvLines(): Generator<string> {
  yield 'phone,name,email,language,tags,city,consent.marketing.whatsapp\n';
  const faults = [
    (n: number) => `not-a-phone,Bad ${n},bad${n}@example.com,pt-BR,x,Recife,`,
    (n: number) => `+55119${String(n).padStart(8, '0')},Bad ${n},no-at-sign.example.com,pt-BR,x,Recife,`,
    (n: number) => `+55119${String(n).padStart(8, '0')},Bad ${n},bad${n}@example.com,not a language!,x,Recife,`,
    (n: number) => `+55119${String(n).padStart(8, '0')},Bad ${n},bad${n}@example.com,pt-BR,x,Recife,granted,extra`,
    (n: number) => `+55119${String(n).padStart(8, '0')},Bad ${n},bad${n}@example.com,pt-BR,x,Recife,maybe`,
  ];
  let chunk = '';
  for (let n = 1; n <= ROWS; n++) {
    const line = n % 100 === 0 ? faults[(n / 100) % faults.length](n) : `+55119${String(n).padStart(8, '0')},Cliente ${n},c${n}@example.com,pt-BR,${n % 2 ? 'vip|loja' : 'online'},São Paulo,${n % 10 === 0 ? 'granted' : ''}`;
    chunk += line + '\n';
    if (chunk.length > 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  yield chunk;
}

describeStorage('CSV import at scale', (fx) => {
  it('imports 100,000 rows with 1% bad ones: the good ones are stored, each bad one is reported with its row and column', async () => {
    const ctx = fx.context();
    const { workspaceId } = await fx.workspace();
    const progress: number[] = [];
    const report = await importContacts(ctx.db, ctx.keyring, workspaceId, readCsv(csvLines()), {
      actor: { type: 'system', id: 'test' },
      consentLedger,
      onProgress: (p) => progress.push(p.done),
    });
    assert.equal(report.total, ROWS);
    assert.equal(report.failed, ROWS / 100);
    assert.equal(report.created, ROWS - ROWS / 100);
    assert.equal(report.updated, 0);
    assert.equal(report.errors.length, ROWS / 100);
    assert.equal(report.errorsTruncated, false);
    // Every 10th good row granted marketing on WhatsApp (rows 10, 20, ... except every 100th, which is bad).
    assert.equal(report.consentRecords, ROWS / 10 - ROWS / 100);
    assert.deepEqual(report.attributeColumns, ['city']);
    assert.equal(progress.at(-1), ROWS, 'progress reaches the total');
    assert.ok(progress.length > 10, 'progress is reported as batches complete');

    const byRow = new Map(report.errors.map((e) => [e.row, e]));
    // Data row n is CSV row n + 1 (the header is row 1); the fault of row n is faults[(n / 100) % 5].
    assert.deepEqual(byRow.get(501), { row: 501, column: 'phone', message: '"not-a-phone" is not a possible phone number. Start it with + and the country code, or give the country (e.g. BR) for a national number.' });
    assert.equal(byRow.get(101)?.column, 'email');
    assert.match(byRow.get(101)!.message, /"no-at-sign\.example\.com" is not an e-mail address/);
    assert.equal(byRow.get(201)?.column, 'language');
    assert.equal(byRow.get(301)?.column, null);
    assert.match(byRow.get(301)!.message, /has 8 fields but the header has 7 columns/);
    assert.equal(byRow.get(401)?.column, 'consent.marketing.whatsapp');
    assert.match(byRow.get(401)!.message, /"maybe" is not a consent value/);
    assert.deepEqual([...byRow.keys()].slice(0, 3), [101, 201, 301], 'errors are reported in file order');

    const count = await fx.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), ROWS - ROWS / 100);
    const vip = await fx.db.selectFrom('contact_tags').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).where('tag_hash', '=', tagHash(ctx.keyring, workspaceId, 'vip')).executeTakeFirstOrThrow();
    assert.equal(Number(vip.n), ROWS / 2);
  });
});
