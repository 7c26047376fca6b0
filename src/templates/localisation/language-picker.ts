import { baseLanguage, normalizeLanguage } from '../language.js';

/**
 * Which translation a contact gets, and why:
 * 1. `exact`: a translation in the contact's language (`pt_BR` for `pt_BR`);
 * 2. `base`: the translation of the contact's base language (`pt` for `pt_BR`);
 * 3. `fallback`: the workspace's fallback language;
 * 4. `only`: when none of those exist and exactly one translation does, that one (a workspace that
 *    never configured languages still sends its single-language templates);
 * otherwise `none`.
 */
export type LanguageRule = 'exact' | 'base' | 'fallback' | 'only' | 'none';

export interface LanguagePick {
  language: string | null;
  rule: LanguageRule;
  /** One sentence for the decision log. */
  why: string;
}

export function pickLanguage(input: { contactLanguage: string | null | undefined; available: readonly string[]; fallbackLanguage: string | null | undefined }): LanguagePick {
  const available = new Map<string, string>();
  for (const code of input.available) {
    const normalized = normalizeLanguage(code);
    if (normalized && !available.has(normalized)) available.set(normalized, code);
  }
  const contact = normalizeLanguage(input.contactLanguage);
  if (contact) {
    const exact = available.get(contact);
    if (exact) return { language: exact, rule: 'exact', why: `the contact's language ${contact} is available` };
    const base = baseLanguage(contact);
    const baseMatch = base !== contact ? available.get(base) : undefined;
    if (baseMatch) return { language: baseMatch, rule: 'base', why: `no ${contact} translation; the base language ${base} is available` };
  }
  const fallback = normalizeLanguage(input.fallbackLanguage);
  const missing = contact ? `no ${contact} or ${baseLanguage(contact)} translation` : 'the contact has no known language';
  if (fallback && available.has(fallback)) return { language: available.get(fallback)!, rule: 'fallback', why: `${missing}; using the workspace fallback ${fallback}` };
  if (available.size === 1) {
    const [only] = available.values();
    return { language: only, rule: 'only', why: `${missing} and ${fallback ? `the fallback ${fallback} is not available` : 'no fallback is configured'}; ${only} is the only translation` };
  }
  return {
    language: null,
    rule: 'none',
    why: `${missing}, ${fallback ? `the fallback ${fallback} is not available` : 'no fallback language is configured'}, and ${available.size === 0 ? 'no translation is usable' : `${available.size} translations exist`}`,
  };
}
