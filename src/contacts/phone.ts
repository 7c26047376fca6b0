import { parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import { canonicalPhone, equivalentPhones } from './phone-equivalence.js';
import { BoundedCache } from '../shared/bounded-cache.js';

export interface NormalizedPhone {
  /** E.164, with the leading `+`. */
  e164: string;
  /** ISO 3166-1 alpha-2, when known. */
  country: string | undefined;
}

type Parsed = NormalizedPhone & { valid: boolean };

const internationals = new BoundedCache<string, PhoneNumber | undefined>(20_000);
const normalizations = new BoundedCache<string, NormalizedPhone | undefined>(20_000);

/** libphonenumber's reading of a `+` number, memoised (it is the costly step; callers must not mutate it). */
export const parseInternational = (e164: string): PhoneNumber | undefined => internationals.through(e164, (n) => parsePhoneNumberFromString(n));

function parse(candidate: string, defaultCountry?: string): Parsed | undefined {
  const parsed = candidate.startsWith('+')
    ? parseInternational(candidate)
    : defaultCountry
      ? parsePhoneNumberFromString(candidate, defaultCountry.toUpperCase() as CountryCode)
      : undefined;
  // The country of a number valid in no single country (test and new ranges) is its calling code's main one.
  return parsed && parsed.isPossible() ? { e164: parsed.number, country: parsed.country ?? parsed.getPossibleCountries()[0], valid: parsed.isValid() } : undefined;
}

const parsePossible = (candidate: string): NormalizedPhone | undefined => {
  const parsed = parse(candidate);
  return parsed && { e164: parsed.e164, country: parsed.country };
};

/**
 * Normalizes a phone number to E.164. Accepts `+` numbers, numbers with international digits but
 * no `+` (as WhatsApp's `wa_id` is), and national numbers when a default country is given (digits
 * without `+` are then read as national first: `11987654321` with BR is São Paulo, not +1). Of the
 * readings, a valid number wins over a merely possible one. A form libphonenumber no longer accepts
 * but an equivalence rule knows (Mexico's `+52 1 …`, still used in WhatsApp ids) normalizes to its
 * current form. Returns undefined when the input is not a possible phone number.
 */
export function normalizePhone(input: string, defaultCountry?: string): NormalizedPhone | undefined {
  // Parsing is the costliest step of an accept; the same numbers come back again and again.
  return normalizations.through(defaultCountry ? `${input}\u0000${defaultCountry}` : input, () => normalizeUncached(input, defaultCountry));
}

function normalizeUncached(input: string, defaultCountry?: string): NormalizedPhone | undefined {
  const cleaned = input.trim();
  if (!/\d/.test(cleaned)) return undefined;
  const digitsOnly = /^\d+$/.test(cleaned);
  const candidates = cleaned.startsWith('+') || (!digitsOnly && !defaultCountry) ? [cleaned] : defaultCountry ? [cleaned, `+${cleaned.replace(/\D/g, '')}`] : [`+${cleaned}`, cleaned];
  const readings: Parsed[] = [];
  for (const candidate of candidates) {
    const parsed = parse(candidate, defaultCountry);
    if (parsed) readings.push(parsed);
    else if (/^\+\d+$/.test(candidate)) {
      for (const equivalent of equivalentPhones(candidate).slice(1)) {
        const viaRule = parse(equivalent);
        if (viaRule) {
          readings.push(viaRule);
          break;
        }
      }
    }
  }
  const best = readings.find((r) => r.valid) ?? readings[0];
  return best && Object.freeze({ e164: best.e164, country: best.country });
}

/** Normalizes and then takes the canonical form (the one stored and hashed), with its country. */
export function normalizeCanonicalPhone(input: string, defaultCountry?: string): NormalizedPhone | undefined {
  const normalized = normalizePhone(input, defaultCountry);
  if (!normalized) return undefined;
  const canonical = canonicalPhone(normalized.e164);
  if (canonical === normalized.e164) return normalized;
  return { e164: canonical, country: parsePossible(canonical)?.country ?? normalized.country };
}

/** The `wa_id` form of an E.164 number: digits only. */
export const toWaId = (e164: string): string => e164.replace(/^\+/, '');
