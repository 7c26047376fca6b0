import { findPlaceholders } from '../../../template-text/placeholders.js';
import { textSites } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

// Meta numbers placeholders per component from {{1}} without gaps; a gap ({{1}} then {{3}}) is rejected,
// and at send time the parameter count would not match (error 132000).
export const rule: LintRule = {
  id: 'variables-sequential',
  description: 'Numbered placeholders in each text start at {{1}} and have no gaps.',
  check(template) {
    const out: Finding[] = [];
    for (const site of textSites(template)) {
      const numbers = [...new Set(findPlaceholders(site.text).filter((p) => p.kind === 'positional').map((p) => Number(p.key)))].sort((a, b) => a - b);
      const missing: number[] = [];
      for (let n = 1; n <= (numbers.at(-1) ?? 0); n++) if (!numbers.includes(n)) missing.push(n);
      if (missing.length) {
        out.push(
          finding(
            this.id,
            'error',
            site.path,
            `The ${site.where} uses ${numbers.map((n) => `{{${n}}}`).join(', ')} but not ${missing.map((n) => `{{${n}}}`).join(', ')}.`,
            `Renumber the placeholders as {{1}} to {{${numbers.length}}} in order.`,
          ),
        );
      }
    }
    return out;
  },
};
