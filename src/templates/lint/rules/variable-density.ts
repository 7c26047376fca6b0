import { findPlaceholders } from '../../placeholders.js';
import { bodySite } from '../subject.js';
import { finding, type LintRule } from '../types.js';

/** Words of fixed text: runs of letters or digits outside placeholders. */
export function fixedWords(text: string): number {
  return (text.replace(/\{\{[^{}]*\}\}/g, ' ').match(/[\p{L}\p{N}]+/gu) ?? []).length;
}

// Meta rejects templates with too many variables for their length: a body that is mostly placeholders
// is a blank message, which review treats as abuse. Here: more placeholders than words of fixed text.
export const rule: LintRule = {
  id: 'variable-density',
  description: 'The body has more words of fixed text than placeholders.',
  check(template) {
    const site = bodySite(template);
    if (!site) return [];
    const variables = findPlaceholders(site.text).length;
    const words = fixedWords(site.text);
    if (variables === 0 || variables <= words) return [];
    return [finding(this.id, 'error', site.path, `The body has ${variables} placeholders and only ${words} word(s) of fixed text.`, `Write more fixed text (at least ${variables - words + 1} more word(s)) or use fewer placeholders.`)];
  },
};
