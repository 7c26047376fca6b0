import { CHANNELS, PURPOSES, type Channel, type Purpose } from '../consent/types.js';
import { PAGE_TEXTS, RTL_LANGUAGES, type PageTexts } from './page-texts.js';

/**
 * The preference centre's HTML: plain, accessible, no JavaScript. One fieldset per purpose (its
 * legend names the purpose, a hint says what it covers), one labelled checkbox per channel, one
 * submit button. Large tap targets and a viewport meta so it works on a phone; the status message
 * after saving is announced by screen readers (role=status). Pure: data in, HTML out.
 */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export type Choices = Record<Purpose, Record<Channel, boolean>>;

/** The form field of a purpose × channel checkbox. */
export const fieldName = (purpose: Purpose, channel: Channel): string => `${purpose}.${channel}`;

const STYLE = `
  *{box-sizing:border-box}
  body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f6f7f9}
  main{max-width:34rem;margin:0 auto;padding:1.25rem}
  h1{font-size:1.5rem;margin:.5rem 0 1rem}
  fieldset{border:1px solid #c9ced6;border-radius:.5rem;background:#fff;margin:0 0 1rem;padding:.75rem 1rem}
  legend{font-weight:600;padding:0 .25rem}
  .hint{margin:.25rem 0 .5rem;color:#4a4f57;font-size:.95rem}
  label{display:flex;align-items:center;gap:.75rem;min-height:2.75rem;cursor:pointer}
  input[type=checkbox]{width:1.5rem;height:1.5rem;flex:none}
  button{width:100%;min-height:3rem;font:inherit;font-weight:600;color:#fff;background:#0b5fff;border:0;border-radius:.5rem;cursor:pointer}
  button:focus-visible,input:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
  .status{background:#e7f6ec;border:1px solid #5cb176;border-radius:.5rem;padding:.75rem 1rem;margin:0 0 1rem}
  .who{color:#4a4f57;margin-top:-.5rem}
`;

function shell(lang: string, title: string, body: string): string {
  const dir = RTL_LANGUAGES.has(lang) ? 'rtl' : 'ltr';
  return `<!doctype html>
<html lang="${escapeHtml(lang)}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export interface PreferencePageInput {
  lang: string;
  businessName: string;
  /** A masked hint of whose preferences these are (`•••• 4321`), or null. */
  who: string | null;
  choices: Choices;
  notice?: 'saved' | 'unchanged';
  /** Where the form posts: the token, relative to the page's own URL (`/preferences/<token>`). */
  action: string;
}

export function renderPreferencePage(input: PreferencePageInput): string {
  const t: PageTexts = PAGE_TEXTS[input.lang] ?? PAGE_TEXTS.en;
  const notice = input.notice ? `<p class="status" role="status">${escapeHtml(input.notice === 'saved' ? t.saved : t.unchanged)}</p>\n` : '';
  const who = input.who ? `<p class="who">${escapeHtml(t.who.replace('{who}', input.who))}</p>\n` : '';
  const fieldsets = PURPOSES.map((purpose) => {
    const p = t.purposes[purpose];
    const hintId = `hint-${purpose}`;
    const boxes = CHANNELS.map((channel) => {
      const id = `c-${purpose}-${channel}`;
      const checked = input.choices[purpose][channel] ? ' checked' : '';
      return `<label for="${id}"><input type="checkbox" id="${id}" name="${fieldName(purpose, channel)}" value="on"${checked} aria-describedby="${hintId}"> ${escapeHtml(t.channels[channel])}</label>`;
    }).join('\n');
    return `<fieldset>\n<legend>${escapeHtml(p.label)}</legend>\n<p class="hint" id="${hintId}">${escapeHtml(p.hint)}</p>\n${boxes}\n</fieldset>`;
  }).join('\n');
  const body = `<h1>${escapeHtml(t.title)}</h1>
${who}${notice}<p>${escapeHtml(t.intro.replace('{business}', input.businessName))}</p>
<form method="post" action="${escapeHtml(input.action)}">
<input type="hidden" name="submitted" value="1">
${fieldsets}
<button type="submit">${escapeHtml(t.save)}</button>
</form>`;
  return shell(input.lang, t.title, body);
}

export type ErrorKind = 'expired' | 'invalid' | 'gone';

export function renderErrorPage(lang: string, kind: ErrorKind): string {
  const t = PAGE_TEXTS[lang] ?? PAGE_TEXTS.en;
  const [title, text] = kind === 'expired' ? [t.expiredTitle, t.expiredBody] : kind === 'invalid' ? [t.invalidTitle, t.invalidBody] : [t.goneTitle, t.goneBody];
  return shell(lang, title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>`);
}

/** The wording a customer saw for one checkbox, as it goes into the ledger. */
export function choiceWording(lang: string, purpose: Purpose, channel: Channel, granted: boolean): string {
  const t = PAGE_TEXTS[lang] ?? PAGE_TEXTS.en;
  const p = t.purposes[purpose];
  return `Preference centre (${lang}): "${p.label}" (${p.hint}) on ${t.channels[channel]} ${granted ? 'ticked' : 'unticked'}.`;
}
