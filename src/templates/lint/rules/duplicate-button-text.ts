import { buttonSites } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

// Two buttons with the same label cannot be told apart by the customer, and quick replies with the same
// text come back as the same reply.
export const rule: LintRule = {
  id: 'duplicate-button-text',
  description: 'Button labels are unique.',
  check(template) {
    const out: Finding[] = [];
    const seen = new Map<string, number>();
    for (const b of buttonSites(template)) {
      if (typeof b.button.text !== 'string') continue;
      const key = b.button.text.trim().toLowerCase();
      if (seen.has(key)) out.push(finding(this.id, 'warning', `${b.path}/text`, `Button ${b.index} repeats the label "${b.button.text}" of button ${seen.get(key)}.`, 'Give every button a different label.'));
      else seen.set(key, b.index);
    }
    return out;
  },
};
