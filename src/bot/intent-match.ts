import { normalizeKeyword } from '../consent/opt-out-keywords.js';
import { patternText } from './regex-safety.js';

/**
 * Intent matching for bot flows, pure. An intent has, per language, phrases (keywords or short
 * sentences) and regular expressions; synonyms widen a word to others. A customer's message matches
 * when, after normalization (case, accents, punctuation: `normalizeKeyword`), every word of a phrase
 * appears in it in order, each word allowed small typos by its length (`typoBudget`), or a pattern
 * matches the normalized text (its first `MAX_PATTERN_TEXT` characters). The customer's language is tried first, then the flow's default, then
 * every other language: "quero falar com atendente" matches in a flow whose default is English.
 *
 * The best match wins: more phrase words matched, then fewer typos, then the intent listed first.
 */
export interface IntentDefinition {
  name: string;
  /** Phrases by language code (`en`, `pt`, `es`). */
  phrases: Readonly<Record<string, readonly string[]>>;
  /** Regular expressions (source text, matched case-insensitively against the normalized message) by language. */
  patterns?: Readonly<Record<string, readonly string[]>>;
}

/** Words that stand for one another, by language: `{ en: [['agent', 'human', 'person']] }`. */
export type Synonyms = Readonly<Record<string, ReadonlyArray<readonly string[]>>>;

export interface IntentMatch {
  intent: string;
  language: string;
  /** The phrase or pattern that matched. */
  by: string;
  typos: number;
}

/** Typos a word of this length tolerates: none up to 3 letters, one up to 7, two beyond. */
export function typoBudget(word: string): number {
  const n = [...word].length;
  return n <= 3 ? 0 : n <= 7 ? 1 : 2;
}

/**
 * The edit distance between two words with adjacent transpositions counted as one edit (optimal
 * string alignment), or `limit + 1` as soon as it must exceed `limit`.
 */
export function editDistance(a: string, b: string, limit: number): number {
  const s = [...a];
  const t = [...b];
  if (Math.abs(s.length - t.length) > limit) return limit + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > limit) return limit + 1;
    prevPrev = prev;
    prev = row;
  }
  return prev[t.length]!;
}

const words = (text: string): string[] => normalizeKeyword(text).split(' ').filter(Boolean);

/** The fewest typos with which `want` (or one of its synonyms) equals `got`, or null. */
function wordTypos(want: string, got: string, alternatives: ReadonlyMap<string, readonly string[]>): number | null {
  let best: number | null = null;
  for (const candidate of [want, ...(alternatives.get(want) ?? [])]) {
    const budget = typoBudget(candidate);
    const d = editDistance(candidate, got, budget);
    if (d <= budget && (best === null || d < best)) best = d;
  }
  return best;
}

/** Matches the phrase's words, in order, within the message's words; returns the typos, or null. */
function phraseTypos(phrase: readonly string[], message: readonly string[], alternatives: ReadonlyMap<string, readonly string[]>): number | null {
  let at = 0;
  let typos = 0;
  for (const want of phrase) {
    let found = false;
    for (; at < message.length; at++) {
      const t = wordTypos(want, message[at]!, alternatives);
      if (t !== null) {
        typos += t;
        at++;
        found = true;
        break;
      }
    }
    if (!found) return null;
  }
  return typos;
}

function synonymIndex(groups: ReadonlyArray<readonly string[]>): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const group of groups) {
    const normalized = group.map((w) => normalizeKeyword(w));
    for (const w of normalized) index.set(w, [...new Set([...(index.get(w) ?? []), ...normalized.filter((o) => o !== w)])]);
  }
  return index;
}

/** The languages to try, in order: the customer's, its base language, the default, then the rest. */
export function languageOrder(customer: string | null, fallback: string, available: readonly string[]): string[] {
  const base = (code: string | null) => (code ? code.toLowerCase().split(/[-_]/)[0]! : null);
  const order = [customer?.toLowerCase() ?? null, base(customer), fallback.toLowerCase(), base(fallback)];
  const known = available.map((l) => l.toLowerCase());
  const first = order.filter((l): l is string => l !== null && known.includes(l));
  return [...new Set([...first, ...known])];
}

/** The customer's language, its base, the default and its base. */
function ownLanguages(customer: string | null, fallback: string): string[] {
  const base = (code: string) => code.toLowerCase().split(/[-_]/)[0]!;
  return [...(customer ? [customer.toLowerCase(), base(customer)] : []), fallback.toLowerCase(), base(fallback)];
}

/** The best intent for a message, or null when none matches. */
export function matchIntent(
  text: string,
  intents: readonly IntentDefinition[],
  options: { language: string | null; defaultLanguage: string; synonyms?: Synonyms; /** Only the customer's and the default language (a short word of one language can be a typo of another's). */ ownLanguagesOnly?: boolean },
): IntentMatch | null {
  const message = words(text);
  const normalized = message.join(' ');
  if (!normalized) return null;
  // Patterns run on the message's first MAX_PATTERN_TEXT characters only (they were checked when the flow was published).
  const forPatterns = patternText(normalized);
  const everyLanguage = languageOrder(options.language, options.defaultLanguage, [...new Set(intents.flatMap((i) => [...Object.keys(i.phrases), ...Object.keys(i.patterns ?? {})]))]);
  const languages = options.ownLanguagesOnly ? everyLanguage.filter((l) => ownLanguages(options.language, options.defaultLanguage).includes(l)) : everyLanguage;
  for (const language of languages) {
    const alternatives = synonymIndex(options.synonyms?.[language] ?? []);
    let best: (IntentMatch & { length: number; order: number }) | null = null;
    intents.forEach((intent, order) => {
      for (const source of intent.patterns?.[language] ?? []) {
        if (new RegExp(source, 'iu').test(forPatterns)) {
          const candidate = { intent: intent.name, language, by: source, typos: 0, length: Number.MAX_SAFE_INTEGER, order };
          if (!best || better(candidate, best)) best = candidate;
        }
      }
      for (const phrase of intent.phrases[language] ?? []) {
        const want = words(phrase);
        if (want.length === 0) continue;
        const typos = phraseTypos(want, message, alternatives);
        if (typos === null) continue;
        const candidate = { intent: intent.name, language, by: phrase, typos, length: want.length, order };
        if (!best || better(candidate, best)) best = candidate;
      }
    });
    if (best) {
      const { intent, by, typos } = best;
      return { intent, language, by, typos };
    }
  }
  return null;
}

function better(a: { length: number; typos: number; order: number }, b: { length: number; typos: number; order: number }): boolean {
  if (a.length !== b.length) return a.length > b.length;
  if (a.typos !== b.typos) return a.typos < b.typos;
  return a.order < b.order;
}
