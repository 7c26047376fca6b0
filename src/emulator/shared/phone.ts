/** Turns `+1 (650) 555-1234` into the wa_id `16505551234`; null when it cannot be a phone number. */
export function toWaId(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const digits = input.replace(/[\s()+.-]/g, '');
  return /^[0-9]{6,15}$/.test(digits) ? digits : null;
}
