import { allStrings } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

export const SHORTENERS = [
  'bit.ly', 'tinyurl.com', 'goo.gl', 't.co', 'ow.ly', 'is.gd', 'buff.ly', 'rebrand.ly', 'cutt.ly', 'shorturl.at',
  'rb.gy', 'tiny.cc', 't.ly', 's.id', 'bl.ink', 'lnkd.in', 'v.gd', 'shorte.st', 'adf.ly', 'short.io', 'tiny.one',
];
const pattern = new RegExp(`(?:^|[\\s/(])((?:https?://)?(?:www\\.)?(?:${SHORTENERS.map((d) => d.replace(/\./g, '\\.')).join('|')})(?:/\\S*|(?=[\\s).,!?]|$)))`, 'i');

// Meta's policy forbids URL shorteners in templates: they hide the destination, and templates using
// them are rejected.
export const rule: LintRule = {
  id: 'link-shortener',
  description: 'No link uses a URL shortener (bit.ly, tinyurl.com, ...).',
  check(template) {
    const out: Finding[] = [];
    for (const { path, text } of allStrings(template)) {
      const hit = pattern.exec(text)?.[1];
      if (hit) out.push(finding(this.id, 'error', path, `"${hit}" is a shortened link; Meta rejects templates that hide the destination.`, 'Use the full URL on your own domain.'));
    }
    return out;
  },
};
