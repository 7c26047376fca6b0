import { readFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import type { Static } from '@sinclair/typebox';
import { VARIABLES, type VariableKey } from './variables.js';

type Vars = typeof VARIABLES;
/** The typed, frozen configuration. Optional variables without a default are `undefined` when unset. */
export type Config = Readonly<{
  [K in VariableKey]: Vars[K]['default'] extends string ? Static<Vars[K]['schema']> : Static<Vars[K]['schema']> | undefined;
}> & { readonly configFile?: string };

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
  for (const [key, spec] of Object.entries(VARIABLES)) {
    const raw = env[spec.env] !== undefined && env[spec.env] !== '' ? env[spec.env] : fromFile[spec.env] ?? ('default' in spec ? spec.default : undefined);
    if (raw === undefined) {
      out[key] = undefined;
      continue;
    }
    const value = Value.Convert(spec.schema, raw);
    if (!Value.Check(spec.schema, value)) {
      const expected = (spec.schema as { description?: string }).description ?? 'a valid value';
      problems.push(`${spec.env}=${JSON.stringify(raw)}: expected ${expected}. Example: ${spec.env}=${spec.example}`);
      continue;
    }
    out[key] = value;
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze({ ...out, configFile }) as Config;
}

/** A configuration for programmatic use (tests, embedding): defaults, then the given overrides. */
export function configWith(overrides: Partial<Record<VariableKey, unknown>> = {}): Config {
  const base = loadConfig({});
  return Object.freeze({ ...base, ...overrides }) as Config;
}
