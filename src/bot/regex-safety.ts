import safeRegex from 'safe-regex2';

/**
 * Flows carry regular expressions their authors wrote (a `collect` node's `regex` validator, intents'
 * `patterns`), and the bot runs them on what customers send. JavaScript's backtracking engine can take
 * exponential time on some texts for some patterns (ReDoS), blocking the process for every customer.
 * So a pattern is refused when the flow is published if it may backtrack catastrophically, and the text
 * a pattern runs on is capped (`MAX_PATTERN_TEXT`) in case a slow one slips through.
 *
 * Two checks, both static and conservative (they refuse some harmless patterns, never time):
 * - nested quantifiers, by safe-regex2: a quantified group that contains a quantifier, `(a+)+`, `(.*)*`,
 *   `(\w+\s?)+`, or more than 25 quantifiers in all. Two kinds of quantifier cannot multiply the ways a
 *   text is matched and are not counted (`boundedOnly`): an exact count (`\d{4}`: one way to take four
 *   digits) and an optional group (`(-\d{4})?`: taken once or not at all), so `^\d{5}(-\d{4})?$` passes;
 * - a repeated alternation whose literal branches overlap, which safe-regex2 does not see: `(a|a)*`,
 *   `(a|aa)+`, `(ab|a|b)*`: one branch is the same text as a sequence of others, so a long run of
 *   that text splits in exponentially many ways.
 */
export const MAX_PATTERN_TEXT = 1000;

/** A group without groups inside, then an unbounded quantifier: `(x|y)*`, `(?:x|y)+`, `(x|y){2,}`. */
const REPEATED_GROUP = /\((?:\?(?::|<[A-Za-z_]\w*>))?((?:\\.|\[(?:\\.|[^\]\\])*\]|[^()\\[])*)\)(?:[*+]|\{\d+,\})/g;

/** Characters that make a branch more than literal text. */
const META = /[\\.[\]{}()*+?^$|]/;

/** The top-level branches of a group's source (a `|` inside a class or escaped does not split). */
function branches(source: string): string[] {
  const out: string[] = [];
  let current = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      current += c + (source[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    if (c === '|' && !inClass) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

/** True when `text` is a sequence of two or more of `parts` (repeats allowed). */
function splitsInto(text: string, parts: readonly string[]): boolean {
  // ways[i]: the most parts any split of text[0, i) takes (-1: none).
  const ways = new Array<number>(text.length + 1).fill(-1);
  ways[0] = 0;
  for (let i = 0; i < text.length; i++) {
    if (ways[i]! < 0) continue;
    for (const p of parts) if (p && text.startsWith(p, i)) ways[i + p.length] = Math.max(ways[i + p.length]!, ways[i]! + 1);
  }
  return ways[text.length]! >= 2;
}

/** The repeated alternation whose literal branches overlap, or null. */
function overlappingAlternation(source: string): string | null {
  for (const match of source.matchAll(REPEATED_GROUP)) {
    const parts = branches(match[1]!);
    if (parts.length < 2) continue;
    const literal = parts.filter((p) => p && !META.test(p));
    for (let i = 0; i < literal.length; i++) {
      if (literal.indexOf(literal[i]!) !== i || splitsInto(literal[i]!, literal)) return match[0];
    }
  }
  return null;
}

/** The pattern without exact counts and without the `?` of optional groups, for safe-regex2's count (see above). */
function boundedOnly(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      out += c + (source[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') inClass = true;
    const exact = c === '{' ? /^\{\d+\}/.exec(source.slice(i)) : null;
    if (exact) {
      i += exact[0].length - 1;
      continue;
    }
    if (c === '?' && source[i - 1] === ')' && source[i - 2] !== '\\') continue;
    out += c;
  }
  return out;
}

/** Why a pattern (already known to compile) may take exponential time, or null when it is safe to run. */
export function catastrophicBacktracking(source: string): string | null {
  const overlap = overlappingAlternation(source);
  if (overlap) return `${overlap} repeats branches that match the same text, so a long run of it splits in exponentially many ways; make the branches exclusive`;
  if (!safeRegex(boundedOnly(source))) return 'a repeated group contains a quantifier (like (a+)+ or (.*)*), or there are more than 25 quantifiers; nested quantifiers can take exponential time on some texts. Write it without the nesting: (\\w+\\s?)+ as [\\w\\s]+';
  return null;
}

/** The text a pattern runs on: at most `MAX_PATTERN_TEXT` characters. */
export const patternText = (text: string): string => (text.length <= MAX_PATTERN_TEXT ? text : Array.from(text).slice(0, MAX_PATTERN_TEXT).join(''));
