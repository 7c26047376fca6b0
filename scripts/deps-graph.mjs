// `npm run deps:graph`: draws which top-level modules of src/ import which (dependency-cruiser's graph
// with the project's config, collapsed to src/<module>, as a Mermaid flowchart) and writes it into
// docs/architecture.md between the two marker comments below. Run it after changing module dependencies.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const doc = path.join(root, 'docs/architecture.md');
const START = '<!-- deps:graph:start (written by npm run deps:graph) -->';
const END = '<!-- deps:graph:end -->';

const options = await extractDepcruiseOptions(path.join(root, '.dependency-cruiser.cjs'));
const { output } = await cruise(
  ['src'],
  { ...options, baseDir: root, includeOnly: '^src/', collapse: '^src/[^/]+', outputType: 'mermaid' },
  {},
  { tsConfig: options.tsConfig?.fileName ? extractTSConfig(path.join(root, options.tsConfig.fileName)) : undefined },
);

const text = readFileSync(doc, 'utf8');
const start = text.indexOf(START);
const end = text.indexOf(END);
if (start < 0 || end < start) {
  console.error(`docs/architecture.md needs the two lines\n${START}\n${END}\nwhere the graph goes.`);
  process.exit(1);
}
const graph = `${START}\n\`\`\`mermaid\n${String(output).trim()}\n\`\`\`\n`;
writeFileSync(doc, text.slice(0, start) + graph + text.slice(end));
console.log(`Module graph written to docs/architecture.md (${String(output).split('-->').length - 1} dependencies).`);
