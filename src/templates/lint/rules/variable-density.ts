import { findPlaceholders } from '../../../template-text/placeholders.js';
import { bodySite } from '../subject.js';
import { finding, type LintRule } from '../types.js';

/** Words of fixed text: runs of letters or digits outside placeholders. */
export function fixedWords(text: string): number {
  return (text.replace(/\{\{[^{}]*\}\}/g, ' ').match(/[\p{L}\p{N}]+/gu) ?? []).length;
}

// Meta rejects a template with "too many variable parameters relative to the message length": a body
// that is mostly placeholders is a blank message, which review treats as abuse. Meta publishes no
// threshold, so this is a warning at a stated ratio, `minWordsPerVariable` words of fixed text per
// placeholder (PARLEY_TEMPLATE_MIN_WORDS_PER_VARIABLE, default 2; 0 turns it off).
export const rule: LintRule = {
  id: 'variable-density',
  description: 'The body has enough fixed text for its placeholders: at least PARLEY_TEMPLATE_MIN_WORDS_PER_VARIABLE (default 2) words of fixed text per placeholder.',
  check(template, options) {
    const site = bodySite(template);
    const ratio = options.minWordsPerVariable;
    if (!site || !(ratio > 0)) return [];
    const variables = findPlaceholders(site.text).length;
    const words = fixedWords(site.text);
    if (variables === 0 || words >= variables * ratio) return [];
    const needed = Math.ceil(variables * ratio) - words;
    return [
      finding(
        this.id,
        'warning',
        site.path,
        `The body has ${variables} placeholder(s) and ${words} word(s) of fixed text, under the ${ratio} word(s) per placeholder this lint asks for; Meta rejects templates with too many variables for their length.`,
        `Write at least ${needed} more word(s) of fixed text, or use fewer placeholders.`,
      ),
    ];
  },
};
