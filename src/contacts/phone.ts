import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { canonicalPhone, equivalentPhones } from './phone-equivalence.js';

export interface NormalizedPhone {
  /** E.164, with the leading `+`. */
  e164: string;
  /** ISO 3166-1 alpha-2, when known. */
  country: string | undefined;
}

function parsePossible(candidate: string, defaultCountry?: string): NormalizedPhone | undefined {
  const parsed = candidate.startsWith('+')
    ? parsePhoneNumberFromString(candidate)
    : defaultCountry
      ? parsePhoneNumberFromString(candidate, defaultCountry.toUpperCase() as CountryCode)
      : undefined;
  // The country of a number valid in no single country (test and new ranges) is its calling code's main one.
  return parsed && parsed.isPossible() ? { e164: parsed.number, country: parsed.country ?? parsed.getPossibleCountries()[0] } : undefined;
}

/**
 * Normalises a phone number to E.164. Accepts `+` numbers, numbers with international digits but
 * no `+` (as WhatsApp's `wa_id` is), and national numbers when a default country is given.
 * A form libphonenumber no longer accepts but that an equivalence rule knows (Mexico's `+52 1 …`,
 * still used in WhatsApp ids) normalises to its current form. Returns undefined when the input is not
 * a possible phone number.
 */
export function normalizePhone(input: string, defaultCountry?: string): NormalizedPhone | undefined {
  const cleaned = input.trim();
  if (!/\d/.test(cleaned)) return undefined;
  const candidates = cleaned.startsWith('+') || !/^\d+$/.test(cleaned) ? [cleaned] : [`+${cleaned}`, cleaned];
  for (const candidate of candidates) {
    const parsed = parsePossible(candidate, defaultCountry);
    if (parsed) return parsed;
    if (candidate.startsWith('+') && /^\+\d+$/.test(candidate)) {
      for (const equivalent of equivalentPhones(candidate).slice(1)) {
        const viaRule = parsePossible(equivalent);
        if (viaRule) return viaRule;
      }
    }
  }
  return undefined;
}

/** Normalises and then takes the canonical form (the one stored and hashed), with its country. */
export function normalizeCanonicalPhone(input: string, defaultCountry?: string): NormalizedPhone | undefined {
  const normalized = normalizePhone(input, defaultCountry);
  if (!normalized) return undefined;
  const canonical = canonicalPhone(normalized.e164);
  if (canonical === normalized.e164) return normalized;
  return { e164: canonical, country: parsePossible(canonical)?.country ?? normalized.country };
}

/** The `wa_id` form of an E.164 number: digits only. */
export const toWaId = (e164: string): string => e164.replace(/^\+/, '');
