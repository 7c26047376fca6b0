// The template form, its live lint (the API's `POST /v1/templates/lint`, a moment after typing stops) and
// its preview. The form is the caller's state: a failed save never loses what was typed.
import { useEffect, useId, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { ErrorNotice } from '../../error-notice.js';
import { WhatsAppPreview } from '../../components/whatsapp-preview.js';
import { BUTTON_TYPES, CATEGORIES, HEADER_FORMATS, contentOf, placeholdersOfDraft, type Draft, type DraftButton } from './draft.js';
import { lintContent, type Finding } from './templates-api.js';

/** `value`, once it has stopped changing for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The lint findings of what the form holds now, asked of the API a moment after the last keystroke. */
export function useLiveLint(name: string, language: string, draft: Draft) {
  const body = useDebounced(JSON.stringify({ name, language, content: contentOf(draft) }), 350);
  return useQuery({
    queryKey: ['templates', 'lint', body],
    queryFn: () => {
      const { name: n, language: l, content } = JSON.parse(body) as { name: string; language: string; content: ReturnType<typeof contentOf> };
      return lintContent(n, l, content);
    },
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    retry: false,
  });
}

const LABEL: Record<string, string> = {
  NONE: 'No header', TEXT: 'Text', IMAGE: 'Image', VIDEO: 'Video', DOCUMENT: 'Document', LOCATION: 'Location',
  QUICK_REPLY: 'Quick reply', URL: 'Visit website', PHONE_NUMBER: 'Call phone number', COPY_CODE: 'Copy offer code',
};

/** Where a finding points, in words: `/components/1/text` → "Body text". */
function place(path: string, draft: Draft): string {
  const m = /^\/components\/(\d+)(?:\/(.*))?$/.exec(path);
  if (!m) return path.replace(/^\//, '').replace(/_/g, ' ') || 'Template';
  const component = contentOf(draft).components[Number(m[1])];
  const type = component ? String(component.type).toLowerCase() : 'component';
  const rest = m[2]?.replace(/^buttons\/(\d+)/, (_, i: string) => `button ${Number(i) + 1}`).replace(/\//g, ' ').replace(/_/g, ' ');
  return `${type.charAt(0).toUpperCase()}${type.slice(1)}${rest ? ` ${rest}` : ''}`;
}

/** The fields an error points into: 'header', 'body', 'footer', 'samples' or 'button-<n>'. */
function flaggedFields(findings: readonly Finding[] | undefined, draft: Draft): Set<string> {
  const out = new Set<string>();
  const components = contentOf(draft).components;
  for (const f of findings ?? []) {
    if (f.severity !== 'error') continue;
    const m = /^\/components\/(\d+)(?:\/(\w+)(?:\/(\d+))?)?/.exec(f.path);
    const type = m ? String(components[Number(m[1])]?.type ?? '').toLowerCase() : '';
    if (type === 'buttons' && m?.[3] !== undefined) out.add(`button-${m[3]}`);
    else if (m?.[2] === 'example') out.add('samples');
    else if (type) out.add(type);
  }
  return out;
}

export function LintResults({ findings, draft, checking, error }: { findings: Finding[] | undefined; draft: Draft; checking: boolean; error: unknown }) {
  const errors = findings?.filter((f) => f.severity === 'error').length ?? 0;
  const warnings = (findings?.length ?? 0) - errors;
  const summary = !findings ? 'Checking the template…' : findings.length === 0 ? 'No problems found: Meta’s known rejection reasons do not apply.' : `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}. Errors block submission; warnings must be acknowledged when submitting.`;
  return (
    <section className="lint" aria-labelledby="lint-heading">
      <h3 id="lint-heading">Checks</h3>
      <p role="status" className="lint-summary">{summary}{checking && findings ? ' (checking your latest change…)' : ''}</p>
      {error ? <ErrorNotice error={error} /> : null}
      {findings?.length ? (
        <ul className="findings" aria-label="Lint findings">
          {findings.map((f, i) => (
            <li key={`${f.ruleId}-${f.path}-${i}`} className={`finding finding-${f.severity}`} data-rule-id={f.ruleId}>
              <p><span className="severity">{f.severity === 'error' ? 'Error' : 'Warning'}</span> <code>{f.ruleId}</code> <span className="muted">in {place(f.path, draft)}</span></p>
              <p>{f.message}</p>
              <p className="fix"><span className="fix-label">Fix:</span> {f.fix}</p>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function ButtonRow({ button, index, invalid, onChange, onRemove }: { button: DraftButton; index: number; invalid: boolean; onChange: (b: DraftButton) => void; onRemove: () => void }) {
  const id = useId();
  const bad = invalid || undefined;
  const known = (BUTTON_TYPES as readonly string[]).includes(button.type);
  return (
    <fieldset className="button-row">
      <legend>Button {index + 1}</legend>
      <label htmlFor={`${id}-type`}>Type</label>
      <select id={`${id}-type`} value={button.type} onChange={(e) => onChange({ ...button, type: e.target.value })}>
        {BUTTON_TYPES.map((t) => <option key={t} value={t}>{LABEL[t]}</option>)}
        {known ? null : <option value={button.type}>{button.type}</option>}
      </select>
      {button.type !== 'COPY_CODE' ? (
        <><label htmlFor={`${id}-text`}>Button text</label><input id={`${id}-text`} value={button.text} aria-invalid={bad} onChange={(e) => onChange({ ...button, text: e.target.value })} /></>
      ) : null}
      {button.type === 'URL' || button.type === 'PHONE_NUMBER' ? (
        <><label htmlFor={`${id}-target`}>{button.type === 'URL' ? 'URL (may end with {{1}})' : 'Phone number (with country code)'}</label><input id={`${id}-target`} value={button.target} aria-invalid={bad} onChange={(e) => onChange({ ...button, target: e.target.value })} /></>
      ) : null}
      {button.type === 'COPY_CODE' || (button.type === 'URL' && /\{\{/.test(button.target)) ? (
        <><label htmlFor={`${id}-example`}>{button.type === 'URL' ? 'Sample value for {{1}}' : 'Sample code'}</label><input id={`${id}-example`} value={button.example} aria-invalid={bad} onChange={(e) => onChange({ ...button, example: e.target.value })} /></>
      ) : null}
      <button type="button" className="secondary" onClick={onRemove}>Remove button {index + 1}</button>
    </fieldset>
  );
}

/** The form of a template's content; fields with a lint error are marked invalid. `readOnly` shows it without the means to change it. */
export function TemplateForm({ draft, onChange, findings, readOnly = false }: { draft: Draft; onChange: (d: Draft) => void; findings?: readonly Finding[]; readOnly?: boolean }) {
  const id = useId();
  const flagged = flaggedFields(findings, draft);
  const bad = (field: string) => flagged.has(field) || undefined;
  const set = (changes: Partial<Draft>) => onChange({ ...draft, ...changes });
  const keys = placeholdersOfDraft(draft);
  return (
    <fieldset className="template-form" disabled={readOnly}>
      <legend className="wa-sr-legend">Content</legend>
      <div className="field-row">
        <div>
          <label htmlFor={`${id}-category`}>Category</label>
          <select id={`${id}-category`} value={draft.category} onChange={(e) => set({ category: e.target.value })}>
            {CATEGORIES.map((c) => <option key={c} value={c}>{c.charAt(0) + c.slice(1).toLowerCase()}</option>)}
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-format`}>Placeholders</label>
          <select id={`${id}-format`} value={draft.parameterFormat} onChange={(e) => set({ parameterFormat: e.target.value as Draft['parameterFormat'] })}>
            <option value="POSITIONAL">Numbered: {'{{1}}'}, {'{{2}}'}</option>
            <option value="NAMED">Named: {'{{first_name}}'}</option>
          </select>
        </div>
        <div>
          <label htmlFor={`${id}-header`}>Header</label>
          <select id={`${id}-header`} value={draft.headerFormat} onChange={(e) => set({ headerFormat: e.target.value })}>
            {HEADER_FORMATS.map((f) => <option key={f} value={f}>{LABEL[f]}</option>)}
          </select>
        </div>
      </div>
      {draft.headerFormat === 'TEXT' ? (
        <><label htmlFor={`${id}-header-text`}>Header text</label><input id={`${id}-header-text`} value={draft.headerText} aria-invalid={bad('header')} onChange={(e) => set({ headerText: e.target.value })} /></>
      ) : null}
      <label htmlFor={`${id}-body`}>Body</label>
      <textarea id={`${id}-body`} rows={6} value={draft.bodyText} aria-invalid={bad('body')} aria-describedby={`${id}-body-help`} onChange={(e) => set({ bodyText: e.target.value })} />
      <p id={`${id}-body-help`} className="help">WhatsApp formatting: *bold*, _italic_, ~strikethrough~, ```monospace```. Placeholders: {draft.parameterFormat === 'NAMED' ? '{{first_name}}' : '{{1}}, {{2}}, … in order'}.</p>
      {keys.length ? (
        <fieldset className="samples">
          <legend>Sample values (Meta reviews them; the preview shows them)</legend>
          {keys.map((key) => (
            <div key={key} className="sample">
              <label htmlFor={`${id}-sample-${key}`}>{`{{${key}}}`}</label>
              <input id={`${id}-sample-${key}`} value={draft.examples[key] ?? ''} aria-invalid={bad('samples')} onChange={(e) => set({ examples: { ...draft.examples, [key]: e.target.value } })} />
            </div>
          ))}
        </fieldset>
      ) : null}
      <label htmlFor={`${id}-footer`}>Footer (optional)</label>
      <input id={`${id}-footer`} value={draft.footerText} aria-invalid={bad('footer')} onChange={(e) => set({ footerText: e.target.value })} />
      {draft.buttons.map((b, i) => (
        <ButtonRow key={i} button={b} index={i} invalid={flagged.has(`button-${i}`)}
          onChange={(changed) => set({ buttons: draft.buttons.map((x, j) => (j === i ? changed : x)) })}
          onRemove={() => set({ buttons: draft.buttons.filter((_, j) => j !== i) })} />
      ))}
      {readOnly ? null : (
        <button type="button" className="secondary" onClick={() => set({ buttons: [...draft.buttons, { type: 'QUICK_REPLY', text: '', target: '', example: '', original: {} }] })}>Add a button</button>
      )}
    </fieldset>
  );
}

/** Form, live checks and preview side by side. */
export function TemplateEditor({ name, language, draft, onChange, readOnly = false }: { name: string; language: string; draft: Draft; onChange: (d: Draft) => void; readOnly?: boolean }) {
  const lint = useLiveLint(name, language, draft);
  return (
    <div className="editor">
      <div className="editor-form">
        <TemplateForm draft={draft} onChange={onChange} findings={lint.data?.findings} readOnly={readOnly} />
        <LintResults findings={lint.data?.findings} draft={draft} checking={lint.isFetching} error={lint.error} />
      </div>
      <section className="editor-preview" aria-labelledby="preview-heading">
        <h3 id="preview-heading">Preview</h3>
        <WhatsAppPreview components={contentOf(draft).components} label="Preview of the message as WhatsApp shows it" />
      </section>
    </div>
  );
}
