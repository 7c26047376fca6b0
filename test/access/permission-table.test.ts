import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS } from '../../src/access/permissions.js';
import { scopeGranting } from '../../src/access/authorize.js';

// docs/architecture.md shows the permission table (roles × permissions, and the key scope that
// grants each); this test keeps it true: the table is rendered from src/access/permissions.ts and
// must equal the one between the markers.

const DOC = new URL('../../docs/architecture.md', import.meta.url);
const START = '<!-- permissions:start (kept true by test/access/permission-table.test.ts) -->';
const END = '<!-- permissions:end -->';

function render(): string {
  const header = `| permission | ${ROLES.join(' | ')} | key scope |`;
  const rule = `|---|${ROLES.map(() => ':-:').join('|')}|---|`;
  const rows = PERMISSIONS.map((p) => `| \`${p}\` | ${ROLES.map((r) => (ROLE_PERMISSIONS[r].includes(p) ? '✓' : '')).join(' | ')} | \`${scopeGranting(p)}\` |`);
  return [header, rule, ...rows].join('\n');
}

it('the permission table in docs/architecture.md is the one src/access/permissions.ts defines', () => {
  const doc = readFileSync(DOC, 'utf8');
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  assert.ok(start >= 0 && end > start, `docs/architecture.md holds the table between ${START} and ${END}`);
  const shown = doc.slice(start + START.length, end).trim();
  assert.equal(shown, render(), `replace the table in docs/architecture.md with:\n${render()}`);
});
