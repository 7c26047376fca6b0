import { placeholderKeys, expectedKeys } from '../../../template-text/placeholders.js';
import { isRecord } from '../../../template-text/template-shape.js';
import { buttonSites, componentSite } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.trim() !== '';

// Meta requires an example value for every placeholder (body, text header, URL suffix) and reviews the
// template with them; a missing example is an automatic rejection.
export const rule: LintRule = {
  id: 'variable-examples',
  description: 'Every placeholder has an example value: example.body_text, example.header_text (or the *_named_params lists), and a URL example for a URL with a variable.',
  check(template) {
    const out: Finding[] = [];
    const named = template?.parameter_format === 'NAMED';
    const check = (componentType: 'HEADER' | 'BODY', listKey: string, namedKey: string) => {
      const site = componentSite(template, componentType);
      if (!site || typeof site.component.text !== 'string') return;
      const keys = expectedKeys(site.component.text);
      if (keys.length === 0) return;
      const example = isRecord(site.component.example) ? site.component.example : {};
      const where = componentType.toLowerCase();
      if (named) {
        const list = Array.isArray(example[namedKey]) ? (example[namedKey] as unknown[]) : [];
        const given = new Map(list.filter(isRecord).map((e) => [e.param_name, e.example]));
        const missing = keys.filter((k) => !nonEmpty(given.get(k)));
        if (missing.length) {
          out.push(finding(this.id, 'error', `${site.path}/example/${namedKey}`, `The ${where} has no example for ${missing.map((k) => `{{${k}}}`).join(', ')}.`, `Add ${missing.map((k) => `{ "param_name": "${k}", "example": "..." }`).join(', ')} to example.${namedKey}.`));
        }
        return;
      }
      // Positional: body examples are one row (`[["a", "b"]]`), header examples a flat list (`["a"]`).
      const raw = example[listKey];
      const row = componentType === 'BODY' ? (Array.isArray(raw) && Array.isArray(raw[0]) ? (raw[0] as unknown[]) : []) : Array.isArray(raw) ? (raw as unknown[]) : [];
      const filled = row.filter(nonEmpty).length;
      if (filled !== keys.length || row.length !== keys.length) {
        const shape = componentType === 'BODY' ? `[[${keys.map(() => '"..."').join(', ')}]]` : `[${keys.map(() => '"..."').join(', ')}]`;
        out.push(finding(this.id, 'error', `${site.path}/example/${listKey}`, `The ${where} has ${keys.length} placeholder(s) but ${filled} example value(s).`, `Set example.${listKey} to ${shape}, one realistic value per placeholder in order.`));
      }
    };
    check('HEADER', 'header_text', 'header_text_named_params');
    check('BODY', 'body_text', 'body_text_named_params');
    for (const b of buttonSites(template)) {
      if (b.button.type !== 'URL' || placeholderKeys(b.button.url as string).length === 0) continue;
      const example = b.button.example;
      if (!Array.isArray(example) || !nonEmpty(example[0])) {
        out.push(finding(this.id, 'error', `${b.path}/example`, 'The URL button has a variable but no example URL.', 'Add "example": ["https://your.site/path/A123"], the full URL with a sample value.'));
      }
    }
    return out;
  },
};
