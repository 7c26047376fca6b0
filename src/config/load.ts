import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import type { Static } from '@sinclair/typebox';
import { VARIABLES, type VariableKey } from './variables.js';

type Vars = typeof VARIABLES;
/** Where a variable's value came from, for messages that must say where to fix it. */
export type VariableSource = 'environment' | 'config file' | 'default';
/** The typed, frozen configuration. Optional variables without a default are `undefined` when unset. */
export type Config = Readonly<{
  [K in VariableKey]: Vars[K]['default'] extends string ? Static<Vars[K]['schema']> : Static<Vars[K]['schema']> | undefined;
}> & { readonly configFile?: string; readonly sources?: Readonly<Partial<Record<VariableKey, VariableSource>>> };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads an optional JSON config file whose keys are the variable names (`{"PARLEY_PORT": 8080}`). */
function readConfigFile(path: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([`PARLEY_CONFIG_FILE=${JSON.stringify(path)}: cannot read it as JSON (${(error as Error).message}). Example: a file containing {"PARLEY_PORT": 8080}`]);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError([`PARLEY_CONFIG_FILE=${JSON.stringify(path)}: must hold a JSON object keyed by variable name. Example: {"PARLEY_PORT": 8080}`]);
  }
  const known = new Set(Object.values(VARIABLES).map((spec) => spec.env));
  const out: Record<string, string> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (!known.has(key)) problems.push(`${key} (in ${path}): not a Parley variable. Known: ${[...known].join(', ')}`);
    else out[key] = String(value);
  }
  if (problems.length) throw new ConfigError(problems);
  return out;
}

/**
 * Parses configuration once, from the environment and an optional file named by PARLEY_CONFIG_FILE
 * (the environment wins). Throws ConfigError naming every bad variable, its problem and a good example.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const configFile = env.PARLEY_CONFIG_FILE || undefined;
  const fromFile = configFile ? readConfigFile(configFile) : {};
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  const sources: Partial<Record<VariableKey, VariableSource>> = {};
  const given = (name: string) => (env[name] !== undefined && env[name] !== '' ? env[name] : fromFile[name]);
  // A default may name another variable (`sqlite:${PARLEY_DATA_DIR}/parley.db`): its given value, else its default.
  const expand = (text: string) =>
    text.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
      const spec = Object.values(VARIABLES).find((s) => s.env === name);
      return given(name) ?? (spec && 'default' in spec ? spec.default ?? '' : '');
    });
  for (const [key, spec] of Object.entries(VARIABLES) as Array<[VariableKey, (typeof VARIABLES)[VariableKey]]>) {
    const fromEnv = env[spec.env] !== undefined && env[spec.env] !== '';
    const value = given(spec.env);
    const raw = value ?? ('default' in spec && spec.default !== undefined ? expand(spec.default) : undefined);
    if (raw === undefined) {
      out[key] = undefined;
      continue;
    }
    sources[key] = fromEnv ? 'environment' : value !== undefined ? 'config file' : 'default';
    const converted = Value.Convert(spec.schema, raw);
    if (!Value.Check(spec.schema, converted)) {
      const expected = (spec.schema as { description?: string }).description ?? 'a valid value';
      problems.push(`${spec.env}=${JSON.stringify(raw)}: expected ${expected}. Example: ${spec.env}=${spec.example}`);
      continue;
    }
    out[key] = converted;
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze({ ...out, configFile, sources: Object.freeze(sources) }) as Config;
}

/** A configuration for programmatic use (tests, embedding): defaults, then the given overrides. */
export function configWith(overrides: Partial<Record<VariableKey, unknown>> = {}): Config {
  // Defaults that name another variable follow its override (the database follows the data directory).
  const base = loadConfig(typeof overrides.dataDir === 'string' ? { PARLEY_DATA_DIR: overrides.dataDir } : {});
  const sources = Object.fromEntries(Object.entries(base.sources ?? {}).filter(([key]) => !(key in overrides)));
  return Object.freeze({ ...base, ...overrides, sources: Object.freeze(sources) }) as Config;
}
