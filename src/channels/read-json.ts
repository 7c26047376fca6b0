// Tolerant readers for provider JSON: an unexpected shape yields undefined, never a throw, so a
// new or missing field degrades one item rather than the delivery.

export type JsonObject = Record<string, unknown>;

export const obj = (value: unknown): JsonObject | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;

export const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** A non-empty string; numbers are accepted and turned into strings (ids, timestamps). */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

export function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

export const bool = (value: unknown): boolean | undefined => (typeof value === 'boolean' ? value : undefined);

/** Unix seconds (string or number, as Meta and UltraMsg send them) to epoch milliseconds. */
export function secondsToMs(value: unknown): number | undefined {
  const seconds = num(value);
  return seconds === undefined ? undefined : Math.round(seconds * 1000);
}

/**
 * A copy without undefined values, so stored JSON holds only what the provider sent. (A copy rather
 * than `delete`: deleting properties turns objects into slow dictionaries on the hot path.)
 */
export function compact<T extends JsonObject>(value: T): T {
  const out: JsonObject = {};
  for (const key in value) if (value[key] !== undefined) out[key] = value[key];
  return out as T;
}

/** Whether a value is a JSON object (not null, not an array). */
export const isRecord = (value: unknown): value is JsonObject => obj(value) !== undefined;
