import { findPlaceholders } from '../../../template-text/placeholders.js';
import { buttonSites } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

// A URL button's link is http(s), and its one variable can only be a suffix at the very end (Meta
// appends the send-time value to the fixed part).
export const rule: LintRule = {
  id: 'url-button-format',
  description: 'URL buttons link to http(s) addresses, and a variable may only appear as {{1}} at the very end.',
  check(template) {
    const out: Finding[] = [];
    for (const b of buttonSites(template)) {
      if (b.button.type !== 'URL' || typeof b.button.url !== 'string') continue;
      const url = b.button.url;
      if (!/^https?:\/\/[^\s/{}]+\.[^\s/{}]+/i.test(url)) out.push(finding(this.id, 'error', `${b.path}/url`, `"${url}" is not an http(s) web address.`, 'Use a full address such as "https://example.com/track/{{1}}".'));
      const ps = findPlaceholders(url);
      if (ps.length && (ps.at(-1)!.end !== url.length || ps.some((p) => p !== ps.at(-1)))) {
        out.push(finding(this.id, 'error', `${b.path}/url`, 'The URL variable is not at the end of the address.', 'Move the variable to the end, e.g. "https://example.com/track/{{1}}", and pass the rest of the path as its value.'));
      } else if (ps.length && ps[0].key !== '1' && template.parameter_format !== 'NAMED') {
        out.push(finding(this.id, 'error', `${b.path}/url`, `A URL button variable is always {{1}}; it is {{${ps[0].key}}}.`, 'Write the suffix as {{1}}.'));
      }
    }
    return out;
  },
};
