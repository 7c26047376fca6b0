import { buttonSites, textSites } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

/** Meta's character limits for template parts. */
export const LIMITS = { header: 60, body: 1024, footer: 60, buttonText: 25, url: 2000, phone: 20 } as const;

// Meta's length limits; anything longer is rejected at creation (or by 132005 after hydration).
export const rule: LintRule = {
  id: 'length-limits',
  description: `Header text ≤ ${LIMITS.header}, body ≤ ${LIMITS.body}, footer ≤ ${LIMITS.footer}, button labels ≤ ${LIMITS.buttonText}, URLs ≤ ${LIMITS.url} characters.`,
  check(template) {
    const out: Finding[] = [];
    const over = (path: string, what: string, length: number, limit: number) => {
      if (length > limit) out.push(finding(this.id, 'error', path, `The ${what} is ${length} characters; Meta allows ${limit}.`, `Shorten the ${what} by ${length - limit} character(s).`));
    };
    for (const site of textSites(template)) over(site.path, `${site.where} text`, [...site.text].length, LIMITS[site.where]);
    for (const b of buttonSites(template)) {
      if (typeof b.button.text === 'string') over(`${b.path}/text`, 'button label', [...b.button.text].length, LIMITS.buttonText);
      if (typeof b.button.url === 'string') over(`${b.path}/url`, 'button URL', b.button.url.length, LIMITS.url);
      if (typeof b.button.phone_number === 'string') over(`${b.path}/phone_number`, 'phone number', b.button.phone_number.length, LIMITS.phone);
    }
    return out;
  },
};
