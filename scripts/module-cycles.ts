// Cycles between the top-level modules of src/ (src/<module>/...): part of `npm run deps:check`.
//
// dependency-cruiser judges one import at a time against the graph of files, so its cycle rules see
// only cycles that a chain of file imports closes. Two modules can depend on each other without one:
// src/a/x.ts imports src/b/y.ts while src/b/z.ts imports src/a/w.ts. This check takes the graph
// dependency-cruiser builds with the project's config (same files, same resolution, type-only imports
// included), collapses it to one node per module, and reports every module dependency that lies on a
// cycle of that graph (both ends in one strongly connected component), with one such cycle as witness.
//
//   tsx scripts/module-cycles.ts                 fails on a module dependency on a cycle that the
//                                                known list does not hold
//   tsx scripts/module-cycles.ts --write-known   records today's as the known list
//   options: --config <file> (.dependency-cruiser.cjs), --known <file>
//            (.dependency-cruiser-known-module-cycles.json), then the paths to cruise (src)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cruise, type ICruiseOptions, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

/** A module ('src/outbound') and the modules its files import. */
export type ModuleGraph = Map<string, Set<string>>;

/** A dependency of one module on another. */
export interface ModuleDependency {
  from: string;
  to: string;
}

/** A module dependency on a cycle, with one cycle it lies on (first and last entry: `from`). */
export interface ModuleCycle extends ModuleDependency {
  cycle: string[];
}

const MODULE = /^src\/([^/]+)\//;

/**
 * Cruises `paths` under `baseDir` with the rules and options of `configFile`, like
 * `depcruise <paths> --config <configFile> [--ignore-known <knownViolationsFile>]` run in `baseDir`.
 */
export async function cruiseTree(
  configFile: string,
  paths: string[],
  { baseDir = process.cwd(), knownViolationsFile }: { baseDir?: string; knownViolationsFile?: string } = {},
): Promise<ICruiseResult> {
  const options = await extractDepcruiseOptions(path.resolve(configFile));
  const tsConfigFile = options.tsConfig?.fileName;
  const knownViolations = knownViolationsFile
    ? (JSON.parse(readFileSync(path.resolve(baseDir, knownViolationsFile), 'utf8')) as ICruiseOptions['knownViolations'])
    : undefined;
  const { output } = await cruise(
    paths,
    { ...options, baseDir, ...(knownViolations ? { knownViolations } : {}) },
    {},
    { tsConfig: tsConfigFile ? extractTSConfig(path.resolve(baseDir, tsConfigFile)) : undefined },
  );
  if (typeof output === 'string') throw new Error('dependency-cruiser returned a report instead of its result');
  return output;
}

/** The cruised files' graph collapsed to the top-level modules of src/. */
export function moduleGraph(result: ICruiseResult): ModuleGraph {
  const graph: ModuleGraph = new Map();
  for (const file of result.modules) {
    const from = file.source.match(MODULE);
    if (!from) continue;
    const fromModule = `src/${from[1]}`;
    const targets = graph.get(fromModule) ?? new Set<string>();
    graph.set(fromModule, targets);
    for (const dependency of file.dependencies) {
      const to = dependency.resolved.match(MODULE);
      if (to && to[1] !== from[1]) targets.add(`src/${to[1]}`);
    }
  }
  return graph;
}

/** Strongly connected components (Tarjan): module -> the root module of its component. */
function components(graph: ModuleGraph): Map<string, string> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const component = new Map<string, string>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (!component.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      let member: string;
      do {
        member = stack.pop()!;
        component.set(member, node);
      } while (member !== node);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return component;
}

/** The shortest chain of modules from `start` to `goal`, both included (breadth first). */
function shortestPath(graph: ModuleGraph, start: string, goal: string): string[] {
  const previous = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  while (queue.length > 0 && !previous.has(goal)) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  const chain: string[] = [];
  for (let node: string | null = goal; node !== null; node = previous.get(node) ?? null) chain.unshift(node);
  return chain;
}

/** Every module dependency that lies on a cycle, sorted. */
export function moduleCycles(graph: ModuleGraph): ModuleCycle[] {
  const component = components(graph);
  const found: ModuleCycle[] = [];
  for (const [from, targets] of graph) {
    for (const to of targets) {
      if (component.get(from) === component.get(to)) {
        found.push({ from, to, cycle: [from, ...shortestPath(graph, to, from)] });
      }
    }
  }
  return found.sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

const key = ({ from, to }: ModuleDependency): string => `${from} -> ${to}`;

/** The cycles `known` does not hold, and how many of `known` no longer occur. */
export function compareWithKnown(found: ModuleCycle[], known: ModuleDependency[]): { fresh: ModuleCycle[]; gone: number } {
  const knownKeys = new Set(known.map(key));
  const fresh = found.filter((edge) => !knownKeys.has(key(edge)));
  return { fresh, gone: knownKeys.size - (found.length - fresh.length) };
}

export function readKnown(file: string): ModuleDependency[] {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ModuleDependency[]) : [];
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      config: { type: 'string', default: '.dependency-cruiser.cjs' },
      known: { type: 'string', default: '.dependency-cruiser-known-module-cycles.json' },
      'write-known': { type: 'boolean', default: false },
    },
  });
  const result = await cruiseTree(values.config, positionals.length > 0 ? positionals : ['src']);
  const found = moduleCycles(moduleGraph(result));

  if (values['write-known']) {
    const known: ModuleDependency[] = found.map(({ from, to }) => ({ from, to }));
    writeFileSync(values.known, `${JSON.stringify(known, null, 2)}\n`);
    console.log(`${known.length} module dependencies on a cycle recorded in ${values.known}.`);
    return 0;
  }

  const { fresh, gone } = compareWithKnown(found, readKnown(values.known));
  for (const edge of fresh) console.log(`error no-module-cycle: ${key(edge)} (cycle: ${edge.cycle.join(' -> ')})`);
  if (gone > 0) {
    console.log(`${gone} known module cycle(s) no longer occur: run \`npm run deps:baseline\` to drop them from ${values.known}.`);
  }
  console.log(`module dependencies on a cycle: ${fresh.length} new, ${found.length - fresh.length} known.`);
  return fresh.length > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
