import { buttonSites } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

// Copy-code buttons came with coupon code templates, which Meta files as MARKETING ("Coupon code
// templates are marketing templates"), and Meta re-categorises a UTILITY template that carries marketing
// material as MARKETING. Meta's utility template reference now lists copy-code buttons among the
// supported ones (for codes that are no offer: a booking reference, a tracking number), so a copy-code
// button in a utility template is a warning to acknowledge, not an error.
export const rule: LintRule = {
  id: 'copy-code-in-utility',
  description: 'A copy-code (coupon) button belongs to a MARKETING template; in a UTILITY template it must not carry an offer.',
  check(template) {
    if (template?.category !== 'UTILITY') return [];
    const out: Finding[] = [];
    for (const b of buttonSites(template)) {
      if (b.button.type !== 'COPY_CODE') continue;
      out.push(
        finding(
          this.id,
          'warning',
          `${b.path}/type`,
          'A copy-code button in a UTILITY template: Meta treats coupon codes as marketing and re-categorises (and bills) a utility template with marketing material as MARKETING.',
          'Make this a MARKETING template if the code is an offer or discount; if it is a reference the customer needs (booking, order, tracking), acknowledge this warning.',
        ),
      );
    }
    return out;
  },
};
