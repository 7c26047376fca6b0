// Meta sends template ids as JSON numbers (`"message_template_id": 1689556908129832`). Ids beyond
// 2^53 would lose digits in JSON.parse, so integers of 16 digits or more are quoted before parsing:
// Parley keeps every provider id as a string. The scan tracks strings, so digits inside text are untouched.

// A run of 16 digits at the start of a digit run: anchoring on a non-digit keeps the scan linear
// (a bare /\d{16,}/ retries from every digit of every shorter run: timestamps, phone numbers).
const LONG_INTEGER = /(?:^|\D)\d{16}/;

export function parseJsonKeepingLongIntegers(text: string): unknown {
  if (!LONG_INTEGER.test(text)) return JSON.parse(text);
  return JSON.parse(quoteLongIntegers(text));
}

export function quoteLongIntegers(text: string): string {
  let out = '';
  let last = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c /* \ */) i++;
      else if (ch === 0x22 /* " */) inString = false;
      continue;
    }
    if (ch === 0x22) {
      inString = true;
      continue;
    }
    const isMinus = ch === 0x2d;
    if (isMinus || (ch >= 0x30 && ch <= 0x39)) {
      let end = i + (isMinus ? 1 : 0);
      while (end < text.length && text.charCodeAt(end) >= 0x30 && text.charCodeAt(end) <= 0x39) end++;
      const next = text[end];
      const digits = end - i - (isMinus ? 1 : 0);
      // Only plain integers: a fraction or exponent stays a number.
      if (digits >= 16 && next !== '.' && next !== 'e' && next !== 'E') {
        out += text.slice(last, i) + '"' + text.slice(i, end) + '"';
        last = end;
      }
      i = end - 1;
    }
  }
  return out + text.slice(last);
}
