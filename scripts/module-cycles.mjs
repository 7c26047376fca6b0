// Cycles between the top-level modules of src/ (src/<module>/...): part of `npm run deps:check`.
//
// dependency-cruiser judges one import at a time against the graph of files, so its cycle rules see
// only cycles that a chain of file imports closes. Two modules can depend on each other without one:
// src/a/x.ts imports src/b/y.ts while src/b/z.ts imports src/a/w.ts. This check takes the graph
// dependency-cruiser builds with the project's config (same files, same resolution, type-only imports
// included), collapses it to one node per module, and reports every module dependency that lies on a
// cycle of that graph (both ends in one strongly connected component), with one such cycle as witness.
//
//   node scripts/module-cycles.mjs                  fails on a module dependency on a cycle that the
//                                                   known list does not hold
//   node scripts/module-cycles.mjs --write-known    records today's as the known list
//   options: --config <file> (.dependency-cruiser.cjs), --known <file>
//            (.dependency-cruiser-known-module-cycles.json), then the paths to cruise (src)
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const MODULE = /^src\/([^/]+)\//;

/** The module graph: module ('src/outbound') -> the modules its files import. */
export async function moduleGraph(configFile, paths) {
  const options = await extractDepcruiseOptions(path.resolve(configFile));
  const tsConfigFile = options.ruleSet?.options?.tsConfig?.fileName;
  const { output } = await cruise(paths, options, {}, { tsConfig: tsConfigFile ? extractTSConfig(tsConfigFile) : {} });
  const graph = new Map();
  for (const file of output.modules) {
    const from = file.source.match(MODULE);
    if (!from) continue;
    const fromModule = `src/${from[1]}`;
    if (!graph.has(fromModule)) graph.set(fromModule, new Set());
    for (const dependency of file.dependencies) {
      const to = dependency.resolved.match(MODULE);
      if (to && to[1] !== from[1]) graph.get(fromModule).add(`src/${to[1]}`);
    }
  }
  return graph;
}

/** Strongly connected components (Tarjan): module -> component number. */
function components(graph) {
  const index = new Map();
  const low = new Map();
  const component = new Map();
  const stack = [];
  let counter = 0;
  const visit = (node) => {
    index.set(node, counter);
    low.set(node, counter);
    counter += 1;
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (!component.has(next)) {
        low.set(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node) === index.get(node)) {
      let member;
      do {
        member = stack.pop();
        component.set(member, node);
      } while (member !== node);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return component;
}

/** The shortest chain of modules from `start` to `goal` (breadth first). */
function shortestPath(graph, start, goal) {
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    if (node === goal) break;
    for (const next of graph.get(node) ?? []) {
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  const chain = [];
  for (let node = goal; node !== null; node = previous.get(node)) chain.unshift(node);
  return chain;
}

/** Every module dependency on a cycle, sorted, each with one cycle it lies on. */
export function moduleCycles(graph) {
  const component = components(graph);
  const found = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      if (component.get(from) === component.get(to)) {
        found.push({ from, to, cycle: [from, ...shortestPath(graph, to, from)] });
      }
    }
  }
  return found.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

const key = ({ from, to }) => `${from} -> ${to}`;

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      config: { type: 'string', default: '.dependency-cruiser.cjs' },
      known: { type: 'string', default: '.dependency-cruiser-known-module-cycles.json' },
      'write-known': { type: 'boolean', default: false },
    },
  });
  const found = moduleCycles(await moduleGraph(values.config, positionals.length > 0 ? positionals : ['src']));

  if (values['write-known']) {
    const known = found.map(({ from, to }) => ({ from, to }));
    writeFileSync(values.known, `${JSON.stringify(known, null, 2)}\n`);
    console.log(`${known.length} module dependencies on a cycle recorded in ${values.known}.`);
    return 0;
  }

  const known = new Set(existsSync(values.known) ? JSON.parse(readFileSync(values.known, 'utf8')).map(key) : []);
  const fresh = found.filter((edge) => !known.has(key(edge)));
  const gone = known.size - (found.length - fresh.length);
  for (const edge of fresh) {
    console.log(`error no-module-cycle: ${key(edge)} (cycle: ${edge.cycle.join(' -> ')})`);
  }
  if (gone > 0) {
    console.log(`${gone} known module cycle(s) no longer occur: run \`npm run deps:baseline\` to drop them from ${values.known}.`);
  }
  console.log(`module dependencies on a cycle: ${fresh.length} new, ${found.length - fresh.length} known.`);
  return fresh.length > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
