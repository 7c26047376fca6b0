/**
 * Language codes. Meta names template languages with an underscore (`en_US`, `pt_BR`, `es`), while its
 * status webhooks report them with a hyphen (`en-US`). Parley stores Meta's underscore form and compares
 * normalized codes, so either spelling finds the same template.
 */
export const LANGUAGE_CODE = /^[a-z]{2,3}(_[A-Za-z0-9]{2,4})?$/;

/** `en-US` → `en_US`, `PT_br` → `pt_BR`; returns undefined for something that is not a language code. */
export function normalizeLanguage(code: string | null | undefined): string | undefined {
  if (typeof code !== 'string') return undefined;
  const [base, region, ...rest] = code.trim().replace(/-/g, '_').split('_');
  if (rest.length || !base) return undefined;
  const normalized = region === undefined ? base.toLowerCase() : `${base.toLowerCase()}_${region.length === 2 ? region.toUpperCase() : region}`;
  return LANGUAGE_CODE.test(normalized) ? normalized : undefined;
}

/** `pt_BR` → `pt`; a code without region is its own base. */
export function baseLanguage(code: string): string {
  return code.split('_')[0];
}
