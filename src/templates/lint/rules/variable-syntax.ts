import { findPlaceholders } from '../../../template-text/placeholders.js';
import { allStrings } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

// Placeholders are exactly `{{1}}` or `{{lower_snake_name}}`. Meta sends anything else as literal text
// (or rejects the template), and a template uses one style: numbered, or named with
// "parameter_format": "NAMED".
export const rule: LintRule = {
  id: 'variable-syntax',
  description: 'Placeholders are {{1}} or {{name}} without spaces, and match the parameter format (named only with "parameter_format": "NAMED").',
  check(template) {
    const out: Finding[] = [];
    const named = template?.parameter_format === 'NAMED';
    for (const { path, text } of allStrings(template)) {
      for (const p of findPlaceholders(text)) {
        if (p.kind === 'malformed') {
          const cleaned = p.key.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
          out.push(finding(this.id, 'error', path, `The placeholder "{{${p.key}}}" is malformed.`, `Write it as ${/^\d+$/.test(cleaned) ? `{{${cleaned}}}` : `{{${cleaned || '1'}}}`}: digits, or lowercase letters, digits and underscores, with no spaces.`));
        } else if (p.kind === 'named' && !named) {
          out.push(finding(this.id, 'error', path, `The named placeholder {{${p.key}}} needs "parameter_format": "NAMED".`, 'Add "parameter_format": "NAMED" to the template, or number the placeholders {{1}}, {{2}}, ...'));
        } else if (p.kind === 'positional' && named) {
          out.push(finding(this.id, 'error', path, `The numbered placeholder {{${p.key}}} cannot be used in a NAMED template.`, 'Give it a name such as {{order_id}}, or drop "parameter_format": "NAMED".'));
        }
      }
      const stray = text.replace(/\{\{[^{}]*\}\}/g, '');
      if (/\{\{|\}\}/.test(stray)) {
        out.push(finding(this.id, 'error', path, 'The text has unbalanced double braces.', 'Close every "{{" with "}}", or remove the stray braces.'));
      }
    }
    return out;
  },
};
