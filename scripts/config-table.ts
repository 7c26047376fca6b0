// Renders the README's configuration table from config/variables.ts; `--write` updates README.md
// between its markers. A test compares the two, so the table cannot drift from the schema.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VARIABLES } from '../src/config/variables.js';

const START = '<!-- config-table:start -->';
const END = '<!-- config-table:end -->';

export function renderConfigTable(): string {
  const rows = Object.values(VARIABLES).map((spec) => {
    const def = 'default' in spec && spec.default !== undefined ? `\`${spec.default}\`` : '(unset)';
    return `| \`${spec.env}\` | ${def} | ${spec.description.replace(/\|/g, '\\|')} | \`${spec.example}\` |`;
  });
  return ['| variable | default | what it does | example |', '|---|---|---|---|', ...rows, '| `PARLEY_CONFIG_FILE` | (unset) | A JSON file of these variables (`{"PARLEY_PORT": 8080}`); the environment wins over it. | `/etc/parley.json` |'].join('\n');
}

if (process.argv.includes('--write')) {
  const readmePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md needs ${START} and ${END} markers`);
  writeFileSync(readmePath, `${readme.slice(0, start + START.length)}\n${renderConfigTable()}\n${readme.slice(end)}`);
  console.log('README.md configuration table updated.');
}
