import { buttonSites } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

const INTERNATIONAL = /^\+[1-9][0-9]{6,14}$/;

// Phone buttons dial the number as written, so it must be in international format.
export const rule: LintRule = {
  id: 'phone-button-format',
  description: 'Phone buttons carry a number in international format (+ and country code).',
  check(template) {
    const out: Finding[] = [];
    for (const b of buttonSites(template)) {
      if (b.button.type !== 'PHONE_NUMBER' || typeof b.button.phone_number !== 'string') continue;
      const compact = b.button.phone_number.replace(/[\s().-]/g, '');
      if (INTERNATIONAL.test(compact)) continue;
      const digits = compact.replace(/\D/g, '');
      out.push(finding(this.id, 'error', `${b.path}/phone_number`, `"${b.button.phone_number}" is not a phone number in international format.`, `Write it as + then country code and number${digits ? `, e.g. "+${digits}"` : ', e.g. "+15550783881"'}.`));
    }
    return out;
  },
};
