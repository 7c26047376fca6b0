import { buttonSites, componentSite } from '../subject.js';
import { finding, type LintRule } from '../types.js';

// Meta rejects a button list that interleaves quick replies with call-to-action buttons: all quick
// replies must sit together, before or after the others.
export const rule: LintRule = {
  id: 'button-grouping',
  description: 'Quick-reply buttons are grouped together, not mixed in between URL, phone or copy-code buttons.',
  check(template) {
    const kinds = buttonSites(template).map((b) => (b.button.type === 'QUICK_REPLY' ? 'q' : 'c'));
    const groups = kinds.filter((k, i) => i === 0 || k !== kinds[i - 1]).length;
    if (groups <= 2) return [];
    const path = `${componentSite(template, 'BUTTONS')!.path}/buttons`;
    return [finding(this.id, 'error', path, `The buttons switch between quick replies and other buttons ${groups - 1} times.`, 'Order the buttons so all quick replies come first (or last), then the URL, phone and copy-code buttons.')];
  },
};
