import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export interface NormalizedPhone {
  /** E.164, with the leading `+`. */
  e164: string;
  /** ISO 3166-1 alpha-2, when known. */
  country: string | undefined;
}

/**
 * Normalises a phone number to E.164. Accepts `+` numbers, numbers with international digits but
 * no `+` (as WhatsApp's `wa_id` is), and national numbers when a default country is given.
 * Returns undefined when the input is not a possible phone number.
 */
export function normalizePhone(input: string, defaultCountry?: string): NormalizedPhone | undefined {
  const cleaned = input.trim();
  if (!/\d/.test(cleaned)) return undefined;
  const candidates = cleaned.startsWith('+') || !/^\d+$/.test(cleaned) ? [cleaned] : [`+${cleaned}`, cleaned];
  for (const candidate of candidates) {
    const parsed = candidate.startsWith('+')
      ? parsePhoneNumberFromString(candidate)
      : defaultCountry
        ? parsePhoneNumberFromString(candidate, defaultCountry.toUpperCase() as CountryCode)
        : undefined;
    if (parsed && parsed.isPossible()) return { e164: parsed.number, country: parsed.country };
  }
  return undefined;
}

/** The `wa_id` form of an E.164 number: digits only. */
export const toWaId = (e164: string): string => e164.replace(/^\+/, '');
