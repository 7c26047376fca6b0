/**
 * Placeholders in template text: positional `{{1}}`, `{{2}}`, ... or named `{{customer_name}}`.
 * Meta accepts exactly these forms (no spaces inside the braces); anything else between double braces
 * is reported as malformed by lint rather than silently sent as literal text.
 */
export type PlaceholderKind = 'positional' | 'named' | 'malformed';

export interface Placeholder {
  /** The text between the braces, as written. */
  key: string;
  kind: PlaceholderKind;
  /** Offset of `{{` in the text. */
  start: number;
  /** Offset just after `}}`. */
  end: number;
}

const TOKEN = /\{\{([^{}]*)\}\}/g;
export const POSITIONAL_KEY = /^[1-9][0-9]*$/;
export const NAMED_KEY = /^[a-z][a-z0-9_]*$/;

export function findPlaceholders(text: string | undefined | null): Placeholder[] {
  if (typeof text !== 'string') return [];
  const out: Placeholder[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const key = match[1];
    const kind: PlaceholderKind = POSITIONAL_KEY.test(key) ? 'positional' : NAMED_KEY.test(key) ? 'named' : 'malformed';
    out.push({ key, kind, start: match.index!, end: match.index! + match[0].length });
  }
  return out;
}

/** Distinct well-formed keys in order of first appearance. */
export function placeholderKeys(text: string | undefined | null): string[] {
  const seen = new Set<string>();
  for (const p of findPlaceholders(text)) if (p.kind !== 'malformed') seen.add(p.key);
  return [...seen];
}

/**
 * The parameters a text expects, in send order: positional keys sorted numerically (`{{2}} {{1}}` still
 * takes parameter 1 first), named keys in order of first appearance.
 */
export function expectedKeys(text: string | undefined | null): string[] {
  const keys = placeholderKeys(text);
  if (keys.every((k) => POSITIONAL_KEY.test(k))) return keys.sort((a, b) => Number(a) - Number(b));
  return keys;
}

/** Replaces every well-formed placeholder with `lookup(key)`; keys it returns undefined for stay as written. */
export function substitute(text: string, lookup: (key: string) => string | undefined): string {
  return text.replace(TOKEN, (whole, key: string) => {
    if (!POSITIONAL_KEY.test(key) && !NAMED_KEY.test(key)) return whole;
    return lookup(key) ?? whole;
  });
}
