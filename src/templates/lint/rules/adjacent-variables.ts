import { findPlaceholders } from '../../../template-text/placeholders.js';
import { textSites } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

// Two placeholders with nothing but spaces between them ("{{1}} {{2}}") make a template whose meaning
// depends entirely on the values; Meta's reviewers reject these as a spam pattern.
export const rule: LintRule = {
  id: 'adjacent-variables',
  description: 'No two placeholders stand next to each other with only spaces between them.',
  check(template) {
    const out: Finding[] = [];
    for (const site of textSites(template)) {
      const ps = findPlaceholders(site.text);
      for (let i = 1; i < ps.length; i++) {
        if (site.text.slice(ps[i - 1].end, ps[i].start).trim() === '') {
          out.push(finding(this.id, 'warning', site.path, `{{${ps[i - 1].key}}} and {{${ps[i].key}}} are adjacent in the ${site.where}.`, 'Put words between the placeholders, or merge them into one variable.'));
        }
      }
    }
    return out;
  },
};
