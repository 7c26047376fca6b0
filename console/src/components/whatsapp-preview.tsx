// A template message drawn the way WhatsApp draws it: header (text, or a placeholder for its media), body with
// WhatsApp's formatting (*bold*, _italic_, ~strike~, ```monospace```) and its {{n}} / {{name}} placeholders
// filled, footer, and the buttons under the bubble. Self-contained (its own styles, no API calls) so that any
// page showing a template message can use it: props are the template's components, in Meta's shape, and the
// values of its parameters.
import type { ReactNode } from 'react';
import { PLACEHOLDER, fillPlaceholders as fill, parseWhatsApp, placeholdersOf, type FormattedText } from './whatsapp-format.js';
import './whatsapp-preview.css';

/** One component of a template, as Meta's create body has it (`{ type: 'BODY', text, example, ... }`). */
export type PreviewComponent = { type: string } & Record<string, unknown>;

/**
 * Values for the placeholders, in the shape a send takes them: the header's one value, the body's values in
 * placeholder order (`['Asha', 'A123']` for {{1}}, {{2}}) or by name, and button values by position.
 * A placeholder without a value shows the template's example value, else the placeholder itself.
 */
export interface PreviewValues {
  header?: string;
  body?: readonly string[] | Readonly<Record<string, string>>;
  buttons?: Readonly<Record<string, string>>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The example values a component carries, by placeholder key (`'1'` or the parameter's name). */
function examplesOf(component: PreviewComponent | undefined, kind: 'header' | 'body'): Record<string, string> {
  const example = obj(component?.example);
  const out: Record<string, string> = {};
  const positional = kind === 'header' ? example.header_text : Array.isArray(example.body_text) ? example.body_text[0] : undefined;
  if (Array.isArray(positional)) positional.forEach((v, i) => { const s = str(v); if (s !== undefined) out[String(i + 1)] = s; });
  const named = kind === 'header' ? example.header_text_named_params : example.body_text_named_params;
  if (Array.isArray(named)) for (const p of named) { const name = str(obj(p).param_name); const value = str(obj(p).example); if (name && value !== undefined) out[name] = value; }
  return out;
}

const TAG = { bold: 'strong', italic: 'em', strike: 's', mono: 'code' } as const;

/** WhatsApp-formatted text as React nodes. */
export function formatWhatsApp(text: string | FormattedText[], keyPrefix = 'f'): ReactNode[] {
  return (typeof text === 'string' ? parseWhatsApp(text) : text).map((part, i) => {
    if (typeof part === 'string') return part;
    const Tag = TAG[part.style];
    return <Tag key={`${keyPrefix}-${i}`}>{formatWhatsApp(part.children, `${keyPrefix}-${i}`)}</Tag>;
  });
}

const MEDIA_LABEL: Record<string, string> = { IMAGE: 'Image', VIDEO: 'Video', DOCUMENT: 'Document', LOCATION: 'Location', GIF: 'GIF' };
const BUTTON_ICON: Record<string, string> = { QUICK_REPLY: '↩', URL: '↗', PHONE_NUMBER: '✆', COPY_CODE: '⧉', OTP: '⧉', FLOW: '☰', CATALOG: '☰', MPM: '☰', SPM: '☰', VOICE_CALL: '✆' };

function buttonLabel(button: Record<string, unknown>): string {
  const type = str(button.type)?.toUpperCase() ?? '';
  if (type === 'COPY_CODE') return 'Copy offer code';
  if (type === 'OTP') return str(button.text) ?? (str(button.otp_type)?.toUpperCase() === 'COPY_CODE' ? 'Copy code' : 'Autofill');
  return str(button.text) ?? type.toLowerCase();
}

/** What a button does, for people who cannot see its icon. */
function buttonPurpose(button: Record<string, unknown>, value: string | undefined): string {
  const type = str(button.type)?.toUpperCase() ?? '';
  if (type === 'URL') {
    const url = str(button.url) ?? '';
    const example = Array.isArray(button.example) ? str(button.example[0]) : undefined;
    return `opens ${url.replace(PLACEHOLDER, () => value ?? (example ? '' : '{{1}}')) || url}${example && !value && /\{\{/.test(url) ? ` (e.g. ${example})` : ''}`;
  }
  if (type === 'PHONE_NUMBER') return `calls ${str(button.phone_number) ?? ''}`;
  if (type === 'COPY_CODE') return `copies ${value ?? str(button.example) ?? 'the code'}`;
  if (type === 'OTP') return 'copies the one-time code';
  if (type === 'QUICK_REPLY') return 'replies with its text';
  return type.toLowerCase().replace(/_/g, ' ');
}

/** The message bubble and its buttons. `label` names the figure for assistive technology. */
export function WhatsAppPreview({ components, values = {}, label = 'Message preview' }: { components: readonly PreviewComponent[]; values?: PreviewValues; label?: string }) {
  const find = (type: string) => components.find((c) => str(c.type)?.toUpperCase() === type);
  const header = find('HEADER');
  const body = find('BODY');
  const footer = find('FOOTER');
  const buttons = (Array.isArray(find('BUTTONS')?.buttons) ? (find('BUTTONS')!.buttons as unknown[]) : []).map(obj);

  const headerFormat = str(header?.format)?.toUpperCase();
  const headerText = headerFormat === 'TEXT' && str(header?.text) !== undefined
    ? fill(str(header!.text)!, (() => { const keys = placeholdersOf(str(header!.text)!); return values.header !== undefined && keys[0] ? { [keys[0]]: values.header } : {}; })(), examplesOf(header, 'header'))
    : null;

  const bodyGiven: Record<string, string> = {};
  if (Array.isArray(values.body)) (values.body as readonly string[]).forEach((v, i) => { bodyGiven[String(i + 1)] = v; });
  else if (values.body) Object.assign(bodyGiven, values.body);
  let bodyText = str(body?.text);
  // Authentication templates: Meta writes the body itself.
  if (body && bodyText === undefined) {
    bodyText = '*{{1}}* is your verification code.' + (body.add_security_recommendation === true ? ' For your security, do not share this code.' : '');
  }
  const filledBody = bodyText !== undefined ? fill(bodyText, bodyGiven, examplesOf(body, 'body')) : null;
  const expiry = typeof footer?.code_expiration_minutes === 'number' ? `This code expires in ${footer.code_expiration_minutes} minutes.` : null;
  const footerText = str(footer?.text) ?? expiry;

  // WhatsApp shows up to three buttons; with more, two and a "See all options" row.
  const shown = buttons.length > 3 ? buttons.slice(0, 2) : buttons;

  return (
    <figure className="wa-preview" aria-label={label}>
      <div className="wa-bubble">
        {headerFormat && headerFormat !== 'TEXT' ? (
          <div className="wa-media" role="img" aria-label={`${MEDIA_LABEL[headerFormat] ?? headerFormat} header`}>
            <span aria-hidden="true">{MEDIA_LABEL[headerFormat] ?? headerFormat}</span>
          </div>
        ) : null}
        {headerText ? <p className="wa-header">{headerText}</p> : null}
        {filledBody !== null ? <p className="wa-body">{formatWhatsApp(filledBody)}</p> : null}
        {footerText ? <p className="wa-footer">{footerText}</p> : null}
      </div>
      {shown.length ? (
        <ul className="wa-buttons" aria-label="Buttons">
          {shown.map((button, i) => {
            const type = str(button.type)?.toUpperCase() ?? '';
            const value = values.buttons?.[String(i)];
            return (
              <li key={i} className={`wa-button wa-button-${type.toLowerCase()}`}>
                <span className="wa-icon" aria-hidden="true">{BUTTON_ICON[type] ?? '•'}</span>
                <span>{buttonLabel(button)}</span>
                <span className="wa-sr">, {buttonPurpose(button, value)}</span>
              </li>
            );
          })}
          {buttons.length > 3 ? (
            <li className="wa-button"><span className="wa-icon" aria-hidden="true">☰</span><span>See all options</span></li>
          ) : null}
        </ul>
      ) : null}
    </figure>
  );
}
