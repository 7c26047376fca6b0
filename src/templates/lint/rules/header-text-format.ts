import { textSites } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

const EMOJI = /\p{Extended_Pictographic}/u;
const FORMATTING = /[*_~`]/;

// A text header is one plain line: Meta rejects new lines in it, and strips or refuses emoji and
// formatting markers there.
export const rule: LintRule = {
  id: 'header-text-format',
  description: 'A text header is one line without emoji or formatting characters (* _ ~ `).',
  check(template) {
    const out: Finding[] = [];
    for (const site of textSites(template)) {
      if (site.where !== 'header') continue;
      if (/[\r\n]/.test(site.text)) out.push(finding(this.id, 'error', site.path, 'The header text has a line break.', 'Write the header as one line; move the rest to the body.'));
      if (EMOJI.test(site.text)) out.push(finding(this.id, 'warning', site.path, 'The header text has emoji, which Meta does not allow in headers.', 'Remove the emoji from the header, or move them to the body.'));
      if (FORMATTING.test(site.text.replace(/\{\{[^{}]*\}\}/g, ''))) out.push(finding(this.id, 'warning', site.path, 'The header text has formatting characters (* _ ~ `); headers are shown as plain bold text.', 'Remove the formatting characters from the header.'));
    }
    return out;
  },
};
