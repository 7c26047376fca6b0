// One owner per table: a module queries only the tables its own `tables.ts` declares; for anything
// else it calls the owner's functions (docs/architecture.md, "One owner per table"). The check reads
// the source: every Kysely builder call that names a table (selectFrom, insertInto, updateTable,
// deleteFrom, the joins, `with` excluded) is attributed to the module of its file and compared with
// the owner of the table. Migrations are exempt: they build every table. Queries that broke the rule
// when it was introduced are listed in table-owners-known.json; the list may only shrink (an entry
// that no longer occurs fails the test too, so it is removed as soon as it is mended).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(import.meta.dirname, '../../src');
const MIGRATIONS = path.join(SRC, 'db', 'migrations') + path.sep;
const KNOWN_FILE = path.join(import.meta.dirname, 'table-owners-known.json');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [file] : [];
  });
}

const moduleOf = (file: string): string => path.relative(SRC, file).split(path.sep)[0]!;

/** Table name → owning module, from the `Database` augmentations in each module's tables.ts. */
export function tableOwners(files: readonly string[]): Map<string, string> {
  const owners = new Map<string, string>();
  for (const file of files.filter((f) => path.basename(f) === 'tables.ts')) {
    const text = readFileSync(file, 'utf8');
    const database = /interface Database\s*{([^}]*)}/.exec(text);
    if (!database) continue;
    for (const match of database[1]!.matchAll(/^\s*([a-z_][a-z0-9_]*)\s*:/gm)) owners.set(match[1]!, moduleOf(file));
  }
  return owners;
}

const QUERY = /\.(selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|replaceInto|mergeInto)\(\s*['"`]([a-z_][a-z0-9_]*)/g;

/** The tables `text` queries, one per builder call. */
export function queriedTables(text: string): string[] {
  return [...text.matchAll(QUERY)].map((match) => match[2]!);
}

function offenders(): string[] {
  const files = sourceFiles(SRC);
  const owners = tableOwners(files);
  const found: string[] = [];
  for (const file of files.filter((f) => !f.startsWith(MIGRATIONS))) {
    const mine = moduleOf(file);
    for (const table of queriedTables(readFileSync(file, 'utf8'))) {
      const owner = owners.get(table);
      if (owner !== undefined && owner !== mine) found.push(`${path.relative(SRC, file)} -> ${owner}.${table}`);
    }
  }
  return found;
}

const count = (list: readonly string[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const item of list) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
};

test('the check finds the tables a query names', () => {
  assert.deepEqual(
    queriedTables("db.selectFrom('messages as m').innerJoin('contacts', 'contacts.id', 'm.contact_id'); db.updateTable(\"senders\")"),
    ['messages', 'contacts', 'senders'],
  );
  assert.deepEqual(queriedTables("db.selectFrom(sub).where('messages', '=', 1)"), []);
});

test('the owners are read from every module that declares tables', () => {
  const owners = tableOwners(sourceFiles(SRC));
  assert.equal(owners.get('messages'), 'messages');
  assert.equal(owners.get('contacts'), 'contacts');
  assert.equal(owners.get('service_windows'), 'conversations');
});

test('a module queries only its own tables, apart from the known list, which only shrinks', () => {
  const known = count(JSON.parse(readFileSync(KNOWN_FILE, 'utf8')) as string[]);
  const now = count(offenders());
  const added = [...now].filter(([key, n]) => n > (known.get(key) ?? 0)).map(([key, n]) => `${key} (${n}, known ${known.get(key) ?? 0})`);
  const mended = [...known].filter(([key, n]) => (now.get(key) ?? 0) < n).map(([key, n]) => `${key} (${now.get(key) ?? 0}, known ${n})`);
  assert.deepEqual(added, [], 'new queries of another module\'s tables: call the owner\'s functions instead');
  assert.deepEqual(mended, [], 'mended: remove these from test/architecture/table-owners-known.json');
});
