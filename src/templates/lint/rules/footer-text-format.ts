import { textSites } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

const EMOJI = /\p{Extended_Pictographic}/u;

// A footer is one short line of plain text (60 characters, no variables): Meta refuses a line break in
// it, and partners quoting Meta say footers take no emoji either.
export const rule: LintRule = {
  id: 'footer-text-format',
  description: 'The footer is one line of text without emoji.',
  check(template) {
    const out: Finding[] = [];
    for (const site of textSites(template)) {
      if (site.where !== 'footer') continue;
      if (/[\r\n\u2028\u2029]/.test(site.text)) out.push(finding(this.id, 'error', site.path, 'The footer text has a line break; a footer is one line.', 'Write the footer as one line, or move the second line to the body.'));
      if (EMOJI.test(site.text)) out.push(finding(this.id, 'warning', site.path, 'The footer text has emoji, which footers do not take.', 'Remove the emoji from the footer, or move them to the body.'));
    }
    return out;
  },
};
