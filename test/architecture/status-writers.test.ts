// Only src/messages/ writes a message's status: every other module calls its functions (the
// transitions, `applyStatus`, `claimDue`). The check reads the source: outside src/messages/ (and the
// migrations), no file names `status_rank` and no UPDATE of `messages` sets `status`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../../src');
const OWNER = path.join(SRC, 'messages') + path.sep;
const MIGRATIONS = path.join(SRC, 'db', 'migrations') + path.sep;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

/** The places in `text` that write a message's status: each as a short quote. */
function statusWrites(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/status_rank/g)) found.push(text.slice(match.index, match.index + 40));
  // An UPDATE of messages, up to the end of its statement, that sets `status` (or `status_rank`).
  for (const match of text.matchAll(/updateTable\(\s*['"]messages['"]\s*\)/g)) {
    const rest = text.slice(match.index);
    const end = rest.search(/\.execute(TakeFirst(OrThrow)?)?\(|;\s*$/m);
    const statement = end === -1 ? rest : rest.slice(0, end);
    const set = /\.set\([\s\S]*?[{,\s]status\s*:/.exec(statement);
    if (set) found.push(statement.slice(0, 60));
  }
  return found;
}

test('the check finds a status written outside the owner', () => {
  assert.equal(statusWrites("await db.updateTable('messages').set({ status: 'queued', updated_at: now }).where('id', '=', id).execute();").length, 1);
  assert.equal(statusWrites("await db.updateTable('messages').set({ content: null }).where('status', 'not in', ['sending']).execute();").length, 0);
  assert.equal(statusWrites('const rank = row.status_rank;').length, 1);
});

test('only src/messages/ writes messages.status and status_rank', () => {
  const offenders = sourceFiles(SRC)
    .filter((file) => !file.startsWith(OWNER) && !file.startsWith(MIGRATIONS))
    .flatMap((file) => statusWrites(readFileSync(file, 'utf8')).map((quote) => `${path.relative(SRC, file)}: ${quote}`));
  assert.deepEqual(offenders, []);
});
