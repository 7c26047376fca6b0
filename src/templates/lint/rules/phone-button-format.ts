import { parseInternational } from '../../../contacts/phone.js';
import { buttonSites } from '../subject.js';
import { finding, type Finding, type LintRule } from '../types.js';

/** What people put between digits: spaces, dots, dashes, parentheses. */
const SEPARATORS = /[\s().-]/g;

// A phone button dials the number with its country code. Meta's reference writes it as digits without
// a `+` ("15550051310") and its utility example with one ("+15550051310"); the Graph API takes both and
// reads the digits as country code + number. libphonenumber decides: a number no country could have is
// an error; digits without `+` that are no assigned number are a warning, because they may be a
// national number missing its country code (Meta would dial "2025550123" as +20 Egypt). Meta also drops
// a 0 written right after the country code (its example: +55-0-955-585-95436), which is a warning.
export const rule: LintRule = {
  id: 'phone-button-format',
  description: 'Phone buttons carry a number with its country code, with or without a leading + ("15550051310" or "+1 555 005 1310"), that libphonenumber can read.',
  check(template) {
    const out: Finding[] = [];
    for (const b of buttonSites(template)) {
      if (b.button.type !== 'PHONE_NUMBER' || typeof b.button.phone_number !== 'string') continue;
      const written = b.button.phone_number;
      const path = `${b.path}/phone_number`;
      const compact = written.replace(SEPARATORS, '');
      const plus = compact.startsWith('+');
      const digits = plus ? compact.slice(1) : compact;
      const parsed = /^\d+$/.test(digits) ? parseInternational(`+${digits}`) : undefined;
      if (!parsed || !parsed.isPossible()) {
        const hint = /^\d+$/.test(digits) && !digits.startsWith('0') ? `"+${digits}" has a country code of no length libphonenumber accepts.` : 'Only digits, spaces, dots, dashes, parentheses and a leading + are read.';
        out.push(finding(this.id, 'error', path, `"${written}" is not a phone number with a country code. ${hint}`, 'Write the country code and then the number, e.g. "+15550051310" or "15550051310" (no national 0 or trunk prefix).'));
        continue;
      }
      if (!plus && !parsed.isValid()) {
        out.push(
          finding(
            this.id,
            'warning',
            path,
            `"${written}" has no +, and as +${digits} it is no number libphonenumber knows as assigned; Meta dials it as ${parsed.formatInternational()}.`,
            `If that is the number, write it with a + ("+${digits}") to say so; if it is a national number, put its country code in front.`,
          ),
        );
        continue;
      }
      const afterCode = digits.slice(parsed.countryCallingCode.length);
      if (afterCode.startsWith('0') && !parsed.nationalNumber.startsWith('0')) {
        out.push(finding(this.id, 'warning', path, `The 0 after the country code in "${written}" is dropped by Meta, so the button dials ${parsed.formatInternational()}.`, 'Check that the number works without that 0, or use another number (or put this one in the body text).'));
      }
    }
    return out;
  },
};
