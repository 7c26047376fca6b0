import { isRecord } from '../../../template-text/template-shape.js';
import { componentSite } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

/** What Meta refuses in a parameter value: a new line, a tab, or more than 4 spaces in a row (132018). */
export const UNSENDABLE_VALUE = /[\r\n\t\u2028\u2029]| {5,}/;

/** Where in a header or body component the example values sit, and how each is addressed. */
function exampleValues(component: Record<string, unknown>, path: string): Array<{ path: string; value: string }> {
  const example = isRecord(component.example) ? component.example : {};
  const out: Array<{ path: string; value: string }> = [];
  const at = `${path}/example`;
  if (Array.isArray(example.header_text)) example.header_text.forEach((v, i) => typeof v === 'string' && out.push({ path: `${at}/header_text/${i}`, value: v }));
  if (Array.isArray(example.body_text)) {
    example.body_text.forEach((row, r) => Array.isArray(row) && row.forEach((v, i) => typeof v === 'string' && out.push({ path: `${at}/body_text/${r}/${i}`, value: v })));
  }
  for (const key of ['header_text_named_params', 'body_text_named_params']) {
    const list = example[key];
    if (Array.isArray(list)) list.forEach((e, i) => isRecord(e) && typeof e.example === 'string' && out.push({ path: `${at}/${key}/${i}/example`, value: e.example }));
  }
  return out;
}

const describe = (value: string): string => (/[\r\n\u2028\u2029]/.test(value) ? 'a line break' : /\t/.test(value) ? 'a tab' : 'more than 4 spaces in a row');

// Meta refuses parameter values with new lines, tabs or more than 4 consecutive spaces ("Param text
// cannot have new-line/tab characters or more than 4 consecutive spaces", error 132018). An example is a
// sample parameter value and is reviewed as one; a sample Meta could never send is refused.
export const rule: LintRule = {
  id: 'example-value-format',
  description: 'Example values of header and body placeholders have no line breaks, tabs or more than 4 consecutive spaces.',
  check(template) {
    const out: Finding[] = [];
    for (const type of ['HEADER', 'BODY']) {
      const site = componentSite(template, type);
      if (!site) continue;
      for (const { path, value } of exampleValues(site.component, site.path)) {
        if (!UNSENDABLE_VALUE.test(value)) continue;
        out.push(
          finding(
            this.id,
            'error',
            path,
            `The example value ${JSON.stringify(value)} has ${describe(value)}; Meta refuses parameter values with line breaks, tabs or more than 4 consecutive spaces.`,
            'Write the example as one line with single spaces; put fixed line breaks in the template text itself.',
          ),
        );
      }
    }
    return out;
  },
};
