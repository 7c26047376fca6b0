/** Terms shorter than this are not indexed nor searched: one letter finds everything. */
export const MIN_TERM_LENGTH = 2;
/** Longer terms are cut to this length (a name's prefixes stop here too), so a pasted blob cannot write thousands of prefix rows. */
export const MAX_TERM_LENGTH = 40;
/** A query's terms beyond this many are ignored. */
export const MAX_QUERY_TERMS = 8;

const COMBINING_MARKS = /\p{M}+/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/u;

/**
 * The terms of a text, in order of first appearance, without repeats: Unicode NFKD (so "ﬁ" is "fi"
 * and "é" is "e" plus an accent), combining marks stripped (accents), lower case, split on anything
 * that is not a letter or a digit, terms shorter than two characters dropped, longer than 40 cut.
 */
export function textTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const word of text.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().split(NOT_LETTER_OR_DIGIT)) {
    const term = [...word].slice(0, MAX_TERM_LENGTH).join('');
    if ([...term].length >= MIN_TERM_LENGTH) terms.add(term);
  }
  return [...terms];
}

/** A name's terms and every prefix of each of at least two characters ("anabel": an, ana, anab, …, anabel), without repeats. */
export function namePrefixTerms(name: string): string[] {
  const out = new Set<string>();
  for (const term of textTerms(name)) {
    const chars = [...term];
    for (let n = MIN_TERM_LENGTH; n <= chars.length; n++) out.add(chars.slice(0, n).join(''));
  }
  return [...out];
}

/** A query's terms (at most `MAX_QUERY_TERMS`): the words that must all match. */
export const queryTerms = (query: string): string[] => textTerms(query).slice(0, MAX_QUERY_TERMS);

/** The longest search a route takes (`q`): longer is refused (`REQUEST_INVALID`). */
export const SEARCH_QUERY_MAX = 100;
