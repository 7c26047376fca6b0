import { allStrings } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

/** Promotional wording in the languages Parley's users write most (en, pt, es). */
export const PROMOTIONAL = [
  /\bsale\b/i, /\bdiscount/i, /\d+\s?%\s?off\b/i, /\bspecial offer/i, /\blimited[- ]time\b/i, /\bpromo(tion|code)?s?\b/i,
  /\bcoupon/i, /\bdeals?\b/i, /\bbuy now\b/i, /\bshop now\b/i, /\bexclusive\b/i, /\bblack friday\b/i, /\bclearance\b/i, /\bfree (gift|shipping|trial)\b/i,
  /promoção/i, /desconto/i, /\bofertas?\b/i, /\bcupom\b/i, /compre agora/i, /\bgrátis\b/i, /descuento/i, /promoción/i, /\bcupón\b/i, /compra ahora/i, /\bgratis\b/i,
];

// Meta rejects or recategorises a UTILITY template with marketing intent (and bills it as marketing).
export const rule: LintRule = {
  id: 'promotional-in-utility',
  description: 'A UTILITY template has no promotional wording (sale, discount, % off, coupon, buy now, ...).',
  check(template) {
    if (template?.category !== 'UTILITY') return [];
    const out: Finding[] = [];
    for (const { path, text } of allStrings(template)) {
      const hit = PROMOTIONAL.map((re) => re.exec(text)?.[0]).find(Boolean);
      if (hit) out.push(finding(this.id, 'warning', path, `"${hit}" is promotional wording in a UTILITY template; Meta may reject it or recategorise it as MARKETING.`, 'Remove the promotion, or make this a MARKETING template.'));
    }
    return out;
  },
};
