/**
 * Country equivalence rules: different written forms of a phone number that reach the same person.
 * Each rule is pure over the digits of an E.164 number. `equivalentPhones` gives every candidate
 * form (used to find a contact whichever form was stored or received) and `canonicalPhone` gives the
 * one form Parley stores and hashes, so the unique (workspace, phone_hash) index keeps one person in
 * one contact whichever form arrives first.
 *
 * Implemented:
 * - Brazil (+55), mobile 9th digit. Since 2012–2016 every mobile number has 9 digits starting with
 *   9: `+55 AA 9XXXX-XXXX`. The old 8-digit form `+55 AA XXXX-XXXX` (first digit 6–9; landlines
 *   start with 2–5) still circulates in address books, and WhatsApp's `wa_id` of accounts created
 *   before the change often lacks the 9. Canonical: with the 9.
 * - Mexico (+52), the `1` after the country code. Until August 2019 mobiles were dialled from abroad
 *   as `+52 1 XX XXXX XXXX`; the 1 was abolished and numbers are now 10 digits, but WhatsApp's
 *   `wa_id` for Mexican mobiles is commonly still `521…`. Canonical: without the 1.
 * - Argentina (+54), the `9` after the country code. Mobiles are dialled from abroad as
 *   `+54 9 AREA NUMBER` (domestically `0 AREA 15 NUMBER`); the same subscriber number is often
 *   written without the 9. The 9 (and 15) are dialling prefixes, not part of the subscriber number, so
 *   both forms are one line. Canonical: with the 9 (WhatsApp's form for mobiles).
 *
 * Known but not implemented (the mapping between old and new numbers depends on the operator, so a
 * digit rule would merge strangers): Côte d'Ivoire (+225) went from 8 to 10 digits in 2021 by
 * prefixing 01/05/07 by operator; Benin (+229) went from 8 to 10 digits in 2024 by prefixing 01.
 * Numbers that changed this way reach Parley as two contacts; merge them (`POST /v1/contacts/:id/merge`).
 */
interface EquivalenceRule {
  readonly name: string;
  /** The canonical digits (no `+`) when the rule applies to these digits, else undefined. */
  canonical(digits: string): string | undefined;
  /** Every other form of the same number (no `+`), when the rule applies. */
  variants(digits: string): string[];
}

const brazilMobileNinthDigit: EquivalenceRule = {
  name: 'BR mobile 9th digit',
  canonical(digits) {
    const m = /^55([1-9][1-9])(\d{8,9})$/.exec(digits);
    if (!m) return undefined;
    const [, area, rest] = m;
    if (rest.length === 9 && /^9[6-9]/.test(rest)) return digits;
    if (rest.length === 8 && /^[6-9]/.test(rest)) return `55${area}9${rest}`;
    return undefined;
  },
  variants(digits) {
    const canonical = this.canonical(digits);
    if (!canonical) return [];
    const withoutNine = `${canonical.slice(0, 4)}${canonical.slice(5)}`;
    return [canonical, withoutNine].filter((d) => d !== digits);
  },
};

const mexicoMobileOne: EquivalenceRule = {
  name: 'MX mobile 1',
  canonical(digits) {
    const old = /^521(\d{10})$/.exec(digits);
    if (old) return `52${old[1]}`;
    return /^52\d{10}$/.test(digits) ? digits : undefined;
  },
  variants(digits) {
    const canonical = this.canonical(digits);
    if (!canonical) return [];
    return [canonical, `521${canonical.slice(2)}`].filter((d) => d !== digits);
  },
};

const argentinaMobileNine: EquivalenceRule = {
  name: 'AR mobile 9',
  canonical(digits) {
    if (/^549\d{10}$/.test(digits)) return digits;
    const plain = /^54(\d{10})$/.exec(digits);
    return plain ? `549${plain[1]}` : undefined;
  },
  variants(digits) {
    const canonical = this.canonical(digits);
    if (!canonical) return [];
    return [canonical, `54${canonical.slice(3)}`].filter((d) => d !== digits);
  },
};

export const EQUIVALENCE_RULES: readonly EquivalenceRule[] = [brazilMobileNinthDigit, mexicoMobileOne, argentinaMobileNine];

const digitsOf = (e164: string): string => e164.replace(/^\+/, '');

/** The form Parley stores for this number (E.164 with `+`). Numbers no rule covers are their own canonical form. */
export function canonicalPhone(e164: string): string {
  const digits = digitsOf(e164);
  for (const rule of EQUIVALENCE_RULES) {
    const canonical = rule.canonical(digits);
    if (canonical) return `+${canonical}`;
  }
  return `+${digits}`;
}

/** Every form of this number that reaches the same person, the given one first, without repeats. */
export function equivalentPhones(e164: string): string[] {
  const digits = digitsOf(e164);
  const out = [`+${digits}`];
  for (const rule of EQUIVALENCE_RULES) {
    for (const variant of rule.variants(digits)) if (!out.includes(`+${variant}`)) out.push(`+${variant}`);
  }
  return out;
}
