import { useId, useMemo, useState } from 'react';
import type { UsableTemplate } from './types.js';

/** The values typed for a template's parameters, by `component:name` (`body:1`, `header:order`, `button:0:url`). */
export type ParameterValues = Record<string, string>;

const keyOf = (p: { component: string; name: string }) => `${p.component}:${p.name}`;
const MEDIA = new Set(['image', 'video', 'document']);

/** The send-time parameters for `POST /v1/templates/{id}/preview` (src/template-text/params.ts). */
export function templateParams(t: UsableTemplate, values: ParameterValues): Record<string, unknown> {
  const params: { header?: unknown; body?: Record<string, string>; buttons?: Record<string, string> } = {};
  for (const p of t.parameters) {
    const value = values[keyOf(p)] ?? '';
    if (p.component === 'header') params.header = MEDIA.has(p.name) ? { [p.name]: { link: value } } : value;
    else if (p.component === 'body') (params.body ??= {})[p.name] = value;
    else if (p.component.startsWith('button:')) (params.buttons ??= {})[p.component.slice(7)] = value;
  }
  return params;
}

/** Which parameters are still empty. */
export const missingParameters = (t: UsableTemplate, values: ParameterValues) => t.parameters.filter((p) => !(values[keyOf(p)] ?? '').trim());

const fill = (text: string, component: string, values: ParameterValues) =>
  text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => values[`${component}:${name}`]?.trim() || whole);

const label = (p: { component: string; name: string }) => {
  if (p.component === 'header') return MEDIA.has(p.name) ? `Header ${p.name} (public link)` : `Header {{${p.name}}}`;
  if (p.component === 'body') return `Body {{${p.name}}}`;
  return `Button ${Number(p.component.slice(7)) + 1} (${p.name.replace(/_/g, ' ')})`;
};

/** The template as WhatsApp shows it: header, the body with the values filled in, footer, buttons. */
export function TemplatePreview({ template, values }: { template: UsableTemplate; values: ParameterValues }) {
  const parts = useMemo(() => {
    const find = (type: string) => template.components.find((c) => String(c.type).toUpperCase() === type) as Record<string, any> | undefined;
    return { header: find('HEADER'), body: find('BODY'), footer: find('FOOTER'), buttons: (find('BUTTONS')?.buttons ?? []) as Array<Record<string, any>> };
  }, [template]);
  const headerFormat = String(parts.header?.format ?? 'TEXT').toUpperCase();
  return (
    <figure className="wa-preview" aria-label="Preview as the customer will see it">
      <div className="wa-bubble">
        {parts.header ? (
          headerFormat === 'TEXT'
            ? <p className="wa-header">{fill(String(parts.header.text ?? ''), 'header', values)}</p>
            : <p className="wa-header wa-media">[{headerFormat.toLowerCase()}{values[`header:${headerFormat.toLowerCase()}`] ? `: ${values[`header:${headerFormat.toLowerCase()}`]}` : ''}]</p>
        ) : null}
        {parts.body ? <p className="wa-body">{fill(String(parts.body.text ?? ''), 'body', values)}</p> : null}
        {parts.footer ? <p className="wa-footer">{String(parts.footer.text ?? '')}</p> : null}
      </div>
      {parts.buttons.length ? (
        <ul className="wa-buttons" aria-label="Buttons">
          {parts.buttons.map((b, i) => <li key={i}>{b.type === 'URL' ? '↗ ' : b.type === 'PHONE_NUMBER' ? '☎ ' : b.type === 'COPY_CODE' ? '⧉ ' : '↩ '}{String(b.text ?? '')}</li>)}
        </ul>
      ) : null}
      <figcaption className="muted">Preview as the customer will see it</figcaption>
    </figure>
  );
}

/** Choose an approved template of the sender, fill its parameters, see it rendered. */
export function TemplatePicker({ templates, chosen, onChoose, values, onValues }: {
  templates: UsableTemplate[];
  chosen: UsableTemplate | null;
  onChoose: (t: UsableTemplate | null) => void;
  values: ParameterValues;
  onValues: (v: ParameterValues) => void;
}) {
  const id = useId();
  const [query, setQuery] = useState('');
  if (templates.length === 0) return <p className="empty">This sender has no approved template for the customer's language. Ask whoever manages templates to create one and submit it for approval, or wait for the customer to write.</p>;
  const shown = templates.filter((t) => t.name.includes(query.trim().toLowerCase()));
  return (
    <div className="template-picker">
      <div className="row">
        <label htmlFor={`${id}-filter`}>Find a template</label>
        <input id={`${id}-filter`} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      <div className="row">
        <label htmlFor={`${id}-template`}>Template</label>
        <select id={`${id}-template`} value={chosen?.id ?? ''} onChange={(e) => onChoose(templates.find((t) => t.id === e.target.value) ?? null)}>
          <option value="">Choose a template…</option>
          {shown.map((t) => <option key={t.id} value={t.id}>{t.name} ({t.language}, {t.category.toLowerCase()})</option>)}
        </select>
      </div>
      {chosen ? (
        <div className="template-fill">
          <fieldset>
            <legend>Parameters</legend>
            {chosen.parameters.length === 0 ? <p className="muted">This template takes no parameters.</p> : null}
            {chosen.parameters.map((p) => (
              <div className="row" key={keyOf(p)}>
                <label htmlFor={`${id}-${keyOf(p)}`}>{label(p)}</label>
                <input id={`${id}-${keyOf(p)}`} value={values[keyOf(p)] ?? ''} placeholder={p.example ?? ''} onChange={(e) => onValues({ ...values, [keyOf(p)]: e.target.value })} />
              </div>
            ))}
          </fieldset>
          <TemplatePreview template={chosen} values={values} />
        </div>
      ) : null}
    </div>
  );
}
