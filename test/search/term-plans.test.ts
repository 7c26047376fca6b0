import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kysely, type CompiledQuery } from 'kysely';
import { createSqliteDialect } from '../../src/db/dialects/sqlite.js';
import { openStore } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { dropMessageTerms, moveMessageTermsToContact, replaceNameTerms } from '../../src/search/term-rows.js';
import { eraseSearchTermsOf } from '../../src/search/erasure.js';

// SQLite's planner has no statistics in a database nobody ran ANALYZE on: of two indexes that each
// match one equality, it may take the wrong one. The search terms' statements by contact or by message
// once took the term-hash index (it begins with the workspace), scanning every term of the workspace
// for each contact: the indexer, which replaces a contact's name terms whenever the contact changes,
// then spent a core on it under 500 customer messages a second. (PostgreSQL plans with statistics.)
it('the search terms are deleted and moved through the contact or message index, not a scan of the workspace (SQLite)', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'parley-term-plans-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const url = `sqlite:${path.join(dir, 'p.db')}`;
  const store = openStore(url);
  await migrate(store);
  await store.close();

  const { dialect, raw } = createSqliteDialect(url);
  const queries: CompiledQuery[] = [];
  const db = new Kysely<Database>({ dialect, log: (event) => void queries.push(event.query) });
  t.after(() => db.destroy());
  const term = (contactId: string, hash: string) => ({ workspace_id: 'ws_1', contact_id: contactId, term_hash: hash });
  await replaceNameTerms(db, 'ws_1', 'ct_1', [term('ct_1', 'h1'), term('ct_1', 'h2')]);
  await moveMessageTermsToContact(db, 'ws_1', 'ct_1', 'ct_2');
  await eraseSearchTermsOf(db, 'ws_1', ['ct_1', 'ct_2']);
  await dropMessageTerms(db, ['msg_1', 'msg_2']);

  const writes = queries.filter((q) => /^(delete|update)\b/i.test(q.sql));
  assert.equal(writes.length, 5, 'a delete for the name terms, the move, two deletes at erasure, the drop');
  for (const query of writes) {
    const plan = (raw.prepare(`explain query plan ${query.sql}`).all(...(query.parameters as unknown[])) as Array<{ detail: string }>).map((row) => row.detail).join(' | ');
    assert.match(plan, /USING (COVERING )?INDEX (search_name_terms_contact|search_message_terms_contact|sqlite_autoindex_search_\w+)/, `${query.sql}\n  planned as: ${plan}`);
    assert.doesNotMatch(plan, /_hash|SCAN/, `${query.sql}\n  planned as: ${plan}`);
  }
});
