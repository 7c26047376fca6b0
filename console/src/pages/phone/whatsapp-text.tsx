import type { ReactNode } from 'react';

/**
 * WhatsApp's text formatting as React elements (never as HTML): *bold*, _italic_, ~strikethrough~,
 * ```monospace``` and `inline code`. A marker counts only around non-blank text, as WhatsApp applies it.
 */
const MARKERS: Array<{ open: string; tag: (children: ReactNode, key: number) => ReactNode }> = [
  { open: '```', tag: (c, k) => <code key={k} className="wa-mono">{c}</code> },
  { open: '`', tag: (c, k) => <code key={k}>{c}</code> },
  { open: '*', tag: (c, k) => <strong key={k}>{c}</strong> },
  { open: '_', tag: (c, k) => <em key={k}>{c}</em> },
  { open: '~', tag: (c, k) => <s key={k}>{c}</s> },
];

export function formatWhatsApp(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let plain = '';
  let key = 0;
  let i = 0;
  while (i < text.length) {
    const marker = MARKERS.find((m) => text.startsWith(m.open, i));
    if (marker) {
      const end = text.indexOf(marker.open, i + marker.open.length);
      const inner = end > 0 ? text.slice(i + marker.open.length, end) : '';
      if (inner.trim() && inner === inner.trim() && !inner.includes('\n')) {
        if (plain) out.push(plain);
        plain = '';
        out.push(marker.tag(marker.open.startsWith('`') ? inner : formatWhatsApp(inner), key++));
        i = end + marker.open.length;
        continue;
      }
    }
    plain += text[i];
    i++;
  }
  if (plain) out.push(plain);
  return out;
}

/** A template's text with its parameters put in: `{{1}}` by position, `{{name}}` by name. */
export function fillParameters(text: string, parameters: Array<Record<string, any>>): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => {
    const byName = parameters.find((p) => p.parameter_name === name);
    const p = byName ?? (/^\d+$/.test(name) ? parameters[Number(name) - 1] : undefined);
    if (!p) return whole;
    if (p.type === 'currency') return p.currency?.fallback_value ?? whole;
    if (p.type === 'date_time') return p.date_time?.fallback_value ?? whole;
    return typeof p.text === 'string' ? p.text : whole;
  });
}
