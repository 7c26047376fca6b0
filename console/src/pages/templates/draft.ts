// The editor's form and Meta's components, both ways. Fields the form does not show (an authentication
// body's security note, a media header's sample handle, an OTP button's app) are kept from the component
// they came from, so editing a template never drops what it cannot display.
import { placeholdersOf } from '../../components/whatsapp-format.js';
import type { PreviewComponent } from '../../components/whatsapp-preview.js';
import type { TemplateContent, Version } from './templates-api.js';

export const CATEGORIES = ['UTILITY', 'MARKETING', 'AUTHENTICATION'] as const;
export const HEADER_FORMATS = ['NONE', 'TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'] as const;
export const BUTTON_TYPES = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE'] as const;

export interface DraftButton {
  type: string;
  text: string;
  /** URL of a URL button, number of a PHONE_NUMBER button. */
  target: string;
  /** Sample value: the URL's {{1}}, or a COPY_CODE code. */
  example: string;
  original: Record<string, unknown>;
}

export interface Draft {
  category: string;
  parameterFormat: 'POSITIONAL' | 'NAMED';
  headerFormat: string;
  headerText: string;
  bodyText: string;
  footerText: string;
  /** Sample values by placeholder key ('1', 'first_name'), for header and body: Meta needs them, the preview shows them. */
  examples: Record<string, string>;
  buttons: DraftButton[];
  originals: Record<string, PreviewComponent>;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

export const emptyDraft = (): Draft => ({
  category: 'UTILITY', parameterFormat: 'POSITIONAL', headerFormat: 'NONE', headerText: '', bodyText: '', footerText: '', examples: {}, buttons: [], originals: {},
});

export function draftFrom(content: TemplateContent): Draft {
  const originals: Record<string, PreviewComponent> = {};
  for (const c of content.components) originals[str(c.type).toUpperCase()] = c;
  const header = originals.HEADER;
  const body = originals.BODY;
  const examples: Record<string, string> = {};
  const collect = (component: PreviewComponent | undefined, text: string, positional: unknown, named: unknown) => {
    if (!component) return;
    const keys = placeholdersOf(text);
    if (Array.isArray(positional)) positional.forEach((v, i) => { examples[keys[i] ?? String(i + 1)] = str(v); });
    if (Array.isArray(named)) for (const p of named) examples[str(obj(p).param_name)] = str(obj(p).example);
  };
  const headerExample = obj(header?.example);
  const bodyExample = obj(body?.example);
  collect(header, str(header?.text), headerExample.header_text, headerExample.header_text_named_params);
  collect(body, str(body?.text), Array.isArray(bodyExample.body_text) ? bodyExample.body_text[0] : undefined, bodyExample.body_text_named_params);
  return {
    category: content.category,
    parameterFormat: content.parameterFormat,
    headerFormat: header ? str(header.format).toUpperCase() || 'TEXT' : 'NONE',
    headerText: str(header?.text),
    bodyText: str(body?.text),
    footerText: str(originals.FOOTER?.text),
    examples,
    buttons: (Array.isArray(originals.BUTTONS?.buttons) ? (originals.BUTTONS!.buttons as unknown[]) : []).map((b) => {
      const button = obj(b);
      const type = str(button.type).toUpperCase();
      return {
        type,
        text: str(button.text),
        target: type === 'PHONE_NUMBER' ? str(button.phone_number) : str(button.url),
        example: Array.isArray(button.example) ? str(button.example[0]) : str(button.example),
        original: button,
      };
    }),
    originals,
  };
}

/** `{ ...original, ...changes }` without the keys set to undefined (an emptied field leaves the component). */
function merge(original: Record<string, unknown> | undefined, changes: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...original, ...changes };
  for (const [key, value] of Object.entries(out)) if (value === undefined) delete out[key];
  return out;
}

function textExample(text: string, examples: Record<string, string>, format: Draft['parameterFormat'], kind: 'header' | 'body'): Record<string, unknown> | undefined {
  const keys = placeholdersOf(text);
  if (!keys.length) return undefined;
  if (format === 'NAMED') {
    return { [`${kind}_text_named_params`]: keys.map((key) => ({ param_name: key, example: examples[key] ?? '' })) };
  }
  const values = keys.map((key) => examples[key] ?? '');
  return kind === 'header' ? { header_text: values } : { body_text: [values] };
}

export function contentOf(draft: Draft): TemplateContent {
  const components: PreviewComponent[] = [];
  const { originals } = draft;
  if (draft.headerFormat !== 'NONE') {
    const sameFormat = str(originals.HEADER?.format).toUpperCase() === draft.headerFormat;
    const base = sameFormat ? originals.HEADER : undefined;
    components.push(merge(base, draft.headerFormat === 'TEXT'
      ? { type: 'HEADER', format: 'TEXT', text: draft.headerText, example: textExample(draft.headerText, draft.examples, draft.parameterFormat, 'header') }
      : { type: 'HEADER', format: draft.headerFormat, text: undefined }) as PreviewComponent);
  }
  const bodyOriginal = originals.BODY;
  // An authentication body has no text of its own: Meta writes it.
  const presetBody = bodyOriginal && bodyOriginal.text === undefined && draft.bodyText === '';
  components.push(merge(bodyOriginal, presetBody ? { type: 'BODY' } : { type: 'BODY', text: draft.bodyText, example: textExample(draft.bodyText, draft.examples, draft.parameterFormat, 'body') }) as PreviewComponent);
  const footerOriginal = originals.FOOTER;
  if (draft.footerText !== '' || (footerOriginal && footerOriginal.text === undefined)) {
    components.push(merge(footerOriginal, { type: 'FOOTER', text: draft.footerText === '' ? undefined : draft.footerText }) as PreviewComponent);
  }
  if (draft.buttons.length) {
    components.push(merge(originals.BUTTONS, {
      type: 'BUTTONS',
      buttons: draft.buttons.map((b) => {
        const same = str(b.original.type).toUpperCase() === b.type ? b.original : {};
        switch (b.type) {
          case 'URL': return merge(same, { type: 'URL', text: b.text, url: b.target, example: /\{\{/.test(b.target) ? [b.example] : undefined });
          case 'PHONE_NUMBER': return merge(same, { type: 'PHONE_NUMBER', text: b.text, phone_number: b.target });
          case 'COPY_CODE': return merge(same, { type: 'COPY_CODE', example: b.example, text: undefined });
          case 'QUICK_REPLY': return merge(same, { type: 'QUICK_REPLY', text: b.text });
          default: return merge(same, { type: b.type, text: b.text === '' ? undefined : b.text });
        }
      }),
    }) as PreviewComponent);
  }
  return { category: draft.category, parameterFormat: draft.parameterFormat, components };
}

/** The placeholders the sample fields are for: the header's, then the body's. */
export const placeholdersOfDraft = (draft: Draft): string[] => [...new Set([...(draft.headerFormat === 'TEXT' ? placeholdersOf(draft.headerText) : []), ...placeholdersOf(draft.bodyText)])];

/** A version's content as lines to compare: one per line of text, each prefixed by where it is. */
export function contentLines(content: TemplateContent): string[] {
  const lines = [`Category: ${content.category}`];
  for (const c of content.components) {
    const type = str(c.type).toUpperCase();
    if (type === 'BUTTONS') {
      (Array.isArray(c.buttons) ? c.buttons : []).forEach((b, i) => {
        const button = obj(b);
        const target = str(button.url) || str(button.phone_number) || (Array.isArray(button.example) ? '' : str(button.example));
        lines.push(`Button ${i + 1} (${str(button.type)}): ${str(button.text)}${target ? ` → ${target}` : ''}`);
      });
      continue;
    }
    const label = type === 'HEADER' ? `Header (${str(c.format)})` : type.charAt(0) + type.slice(1).toLowerCase();
    const text = str(c.text);
    for (const line of text ? text.split('\n') : ['']) lines.push(`${label}: ${line}`);
    const example = obj(c.example);
    const samples = [...(Array.isArray(example.header_text) ? example.header_text : []), ...(Array.isArray(example.body_text) && Array.isArray(example.body_text[0]) ? example.body_text[0] : [])].map(str);
    const named = [...(Array.isArray(example.header_text_named_params) ? example.header_text_named_params : []), ...(Array.isArray(example.body_text_named_params) ? example.body_text_named_params : [])].map((p) => `${str(obj(p).param_name)}=${str(obj(p).example)}`);
    if (samples.length || named.length) lines.push(`${label} samples: ${[...samples, ...named].join(', ')}`);
  }
  return lines;
}

/** A saved version's content, as the form and the diff read it. */
export const contentOfVersion = (v: Version): TemplateContent => ({ category: v.category, parameterFormat: v.parameterFormat === 'NAMED' ? 'NAMED' : 'POSITIONAL', components: v.components });
