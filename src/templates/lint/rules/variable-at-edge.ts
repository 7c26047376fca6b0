import { bodySite } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

// Meta rejects bodies that start or end with a placeholder (INVALID_FORMAT: "Variable parameters are
// placed at the start or end of the template body").
export const rule: LintRule = {
  id: 'variable-at-edge',
  description: 'The body does not start or end with a placeholder.',
  check(template) {
    const site = bodySite(template);
    if (!site) return [];
    const text = site.text.trim();
    const out: Finding[] = [];
    if (/^\{\{[^{}]*\}\}/.test(text)) out.push(finding(this.id, 'error', site.path, 'The body starts with a placeholder.', 'Put some fixed text before the first placeholder, e.g. "Hi {{1}}," instead of "{{1}},".'));
    if (/\{\{[^{}]*\}\}$/.test(text)) out.push(finding(this.id, 'error', site.path, 'The body ends with a placeholder.', 'Put fixed text after the last placeholder, e.g. end the sentence: "... {{2}}. Thank you!"'));
    return out;
  },
};
