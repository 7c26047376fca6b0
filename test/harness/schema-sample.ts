// Minimal valid values generated from a JSON schema (the route schemas, or those of /openapi.json):
// the input fuzz test builds its base requests with them, the permission matrix and the workspace
// isolation tests their requests.

export type Schema = Record<string, unknown>;
export type Json = unknown;

export const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
export const typesOf = (s: Schema): string[] => (Array.isArray(s.type) ? (s.type as string[]) : typeof s.type === 'string' ? [s.type] : []);
export const branches = (s: Schema): Schema[] => ((s.anyOf ?? s.oneOf) as Schema[] | undefined) ?? [];

/** A valid value for a schema (minimal: required properties only), or undefined if none is found. */
export function sample(s: Schema, depth = 0): Json {
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const alts = branches(s);
  if (alts.length) return sample(alts.find((b) => !typesOf(b).includes('null')) ?? alts[0], depth);
  const types = typesOf(s);
  if (types.includes('string')) {
    if (s.format === 'date-time') return new Date(Date.now() + 3_600_000).toISOString();
    const min = Math.max(Number(s.minLength ?? 1), 1);
    if (typeof s.pattern === 'string') {
      const re = new RegExp(s.pattern, 'u');
      return ['a', 'abc', 'ab', 'a_b', 'order_shipped', 'v1', 'v23.0', 'x=y', 'https://example.com', '+5511987654321', 'en_US', '1', 'a@example.com'].find((c) => re.test(c) && c.length >= min) ?? 'a';
    }
    return 'a'.repeat(min);
  }
  if (types.includes('integer') || types.includes('number')) return typeof s.minimum === 'number' ? s.minimum : 1;
  if (types.includes('boolean')) return false;
  if (types.includes('array')) return Array.from({ length: Number(s.minItems ?? 0) }, () => sample(isObject(s.items) ? s.items : {}, depth + 1));
  if (types.includes('object')) {
    const out: Record<string, Json> = {};
    const props = isObject(s.properties) ? s.properties : {};
    for (const name of (s.required as string[] | undefined) ?? []) out[name] = isObject(props[name]) ? sample(props[name] as Schema, depth + 1) : 'a';
    return out;
  }
  return 'a';
}
