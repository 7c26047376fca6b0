// A provider's JSON may escape any UTF-16 code unit: `\u0000` and a lone `\ud800` are valid JSON
// text. The raw body is stored as received (sealed), but the values applied from it go into text
// columns: PostgreSQL refuses NUL in text, and a lone surrogate becomes U+FFFD on its way into
// either database (so a value stored with one no longer equals itself when looked up). Every string
// of a normalized item is made storable the same way on both databases: NUL removed, a lone
// surrogate replaced by U+FFFD. Values without either are returned as they are (no copy).

const UNSTORABLE = /[\u0000\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function storableString(value: string): string {
  if (!UNSTORABLE.test(value)) return value;
  return value.replaceAll('\u0000', '').replace(LONE_SURROGATE, '\uFFFD');
}

/** The value with every string (and property name) inside it storable; the same object if it already was. */
export function storable<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return storableString(value) as T;
  if (typeof value !== 'object' || value === null || depth > 64) return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const clean = storable(item, depth + 1);
      if (clean !== item) (out ??= [...value])[i] = clean;
    });
    return (out ?? value) as T;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  let out: Record<string, unknown> | undefined;
  for (const key in value) {
    const item = (value as Record<string, unknown>)[key];
    const clean = storable(item, depth + 1);
    const cleanKey = storableString(key);
    if (clean !== item || cleanKey !== key) {
      out ??= { ...(value as Record<string, unknown>) };
      if (cleanKey !== key) delete out[key];
      out[cleanKey] = clean;
    }
  }
  return (out ?? value) as T;
}
