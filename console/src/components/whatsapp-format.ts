// WhatsApp's text rules, apart from drawing them (whatsapp-preview.tsx draws them): placeholders and
// inline formatting.

export const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The placeholders of a text in order of first appearance: `['1', '2']` or `['first_name']`. */
export function placeholdersOf(text: string): string[] {
  const seen: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER)) if (!seen.includes(m[1]!)) seen.push(m[1]!);
  return seen;
}

/** The text with each placeholder replaced by its value, else its example; an empty or absent value keeps the placeholder. */
export function fillPlaceholders(text: string, given: Readonly<Record<string, string>>, examples: Readonly<Record<string, string>> = {}): string {
  return text.replace(PLACEHOLDER, (whole, key: string) => given[key] || examples[key] || whole);
}

export type Styled = { style: 'bold' | 'italic' | 'strike' | 'mono'; children: FormattedText[] };
export type FormattedText = string | Styled;

// A marker opens after the start, a space or punctuation and before a non-space, and closes after a
// non-space, on the same line. Monospace takes its text as it is, across lines.
const FORMAT = /```([\s\S]+?)```|(?<![\p{L}\p{N}])([*_~])(?!\s)([^\n]*?\S)\2(?![\p{L}\p{N}])/u;
const STYLES = { '*': 'bold', _: 'italic', '~': 'strike' } as const;

/** `Hi *Asha*` → `['Hi ', { style: 'bold', children: ['Asha'] }]`: *bold*, _italic_, ~strike~, ```monospace```, nested. */
export function parseWhatsApp(text: string): FormattedText[] {
  const out: FormattedText[] = [];
  let rest = text;
  while (rest) {
    const m = FORMAT.exec(rest);
    if (!m) { out.push(rest); break; }
    if (m.index > 0) out.push(rest.slice(0, m.index));
    if (m[1] !== undefined) out.push({ style: 'mono', children: [m[1]] });
    else out.push({ style: STYLES[m[2] as keyof typeof STYLES], children: parseWhatsApp(m[3]!) });
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}
