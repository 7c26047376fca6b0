import type { TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * A sender's provider-specific settings (`senders.settings`, JSON) that do not fit the provider's
 * schema: `field` is the JSON pointer of the first wrong value, as the senders API names its fields.
 */
export class InvalidSenderSettings extends Error {
  override readonly name = 'InvalidSenderSettings';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks `value` against a provider's settings schema and returns it typed; throws
 * `InvalidSenderSettings` naming the first wrong field. Every provider's `settings.ts` parses through it.
 */
export function parseSettings<T extends TObject>(schema: T, provider: string, value: unknown): T['static'] {
  const first = Value.Errors(schema, value).First();
  if (first) throw new InvalidSenderSettings(first.path || '/', `Invalid ${provider} sender setting ${first.path || '/'}: ${first.message}.`);
  return value as T['static'];
}

/** The settings object of the given keys that have a value (empty strings and nulls are left out). */
export function definedSettings<K extends string>(input: Partial<Record<K, string | null | undefined>>, keys: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const key of keys) {
    const value = input[key];
    if (typeof value === 'string' && value.length > 0) out[key] = value;
  }
  return out;
}
