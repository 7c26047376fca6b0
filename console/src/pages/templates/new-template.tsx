import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type SessionView } from '../../api.js';
import { ErrorNotice } from '../../error-notice.js';
import { Link } from '../../link.js';
import { navigate } from '../../router.js';
import { contentOf, contentOfVersion, draftFrom, emptyDraft, type Draft } from './draft.js';
import { TemplateEditor } from './editor.js';
import { listTemplates, templateKeys, type Template, type TemplateView, type Version } from './templates-api.js';

/** The WABAs the workspace knows: its senders' and its templates'. */
function useWabas(canReadSenders: boolean) {
  const senders = useQuery({
    queryKey: ['senders', 'list'],
    queryFn: () => api<{ data: Array<{ wabaId: string | null }> }>('/v1/senders').then((r) => r.data),
    enabled: canReadSenders,
  });
  const templates = useQuery({ queryKey: templateKeys.list, queryFn: listTemplates });
  return [...new Set([...(senders.data ?? []).map((s) => s.wabaId), ...(templates.data ?? []).map((t) => t.wabaId)].filter((w): w is string => !!w))];
}

function NewTemplateForm({ session, from, language: initialLanguage }: { session: SessionView; from: TemplateView | null; language: string }) {
  const id = useId();
  const client = useQueryClient();
  const wabas = useWabas(session.permissions.includes('senders.read'));
  const [name, setName] = useState(from?.template.name ?? '');
  const [language, setLanguage] = useState(initialLanguage);
  const [waba, setWaba] = useState(from?.template.wabaId ?? '');
  const [draft, setDraft] = useState<Draft>(() => (from ? draftFrom(contentOfVersion(from.latestVersion)) : emptyDraft()));
  const wabaId = waba || wabas[0] || '';
  const create = useMutation({
    mutationFn: () => {
      const content = contentOf(draft);
      return api<{ template: Template; version: Version }>('/v1/templates', { method: 'POST', body: { wabaId, name, language, category: content.category, parameterFormat: content.parameterFormat, components: content.components } });
    },
    onSuccess: async ({ template }) => {
      await client.invalidateQueries({ queryKey: ['templates'] });
      navigate(`/templates/${template.id}`);
    },
  });
  return (
    <section className="panel" aria-labelledby="new-heading">
      <p><Link to="/templates">All templates</Link></p>
      <h1 id="new-heading">{from ? `Translate ${from.template.name}` : 'New template'}</h1>
      {from ? <p className="muted">Starts from the {from.template.language} version {from.latestVersion.number}: translate the texts and sample values.</p> : null}
      <form onSubmit={(e) => { e.preventDefault(); create.mutate(); }}>
        <div className="field-row">
          <div>
            <label htmlFor={`${id}-name`}>Name</label>
            <input id={`${id}-name`} value={name} required readOnly={!!from} aria-describedby={`${id}-name-help`} onChange={(e) => setName(e.target.value)} />
            <p id={`${id}-name-help`} className="help">Lowercase letters, digits and underscores. It cannot change later.</p>
          </div>
          <div>
            <label htmlFor={`${id}-language`}>Language</label>
            <input id={`${id}-language`} value={language} required aria-describedby={`${id}-language-help`} onChange={(e) => setLanguage(e.target.value)} />
            <p id={`${id}-language-help`} className="help">Meta’s locale code, e.g. en_US, es, pt_BR.</p>
          </div>
          <div>
            <label htmlFor={`${id}-waba`}>WhatsApp Business Account</label>
            <input id={`${id}-waba`} value={wabaId} required list={`${id}-wabas`} readOnly={!!from} onChange={(e) => setWaba(e.target.value)} />
            <datalist id={`${id}-wabas`}>{wabas.map((w) => <option key={w} value={w} />)}</datalist>
          </div>
        </div>
        <TemplateEditor name={name} language={language} draft={draft} onChange={setDraft} />
        <div className="actions">
          <button type="submit" disabled={create.isPending}>Save as a draft</button>
          <span className="muted">Drafts are reviewed by someone else, then submitted to WhatsApp.</span>
        </div>
        {create.error ? <ErrorNotice error={create.error} /> : null}
      </form>
    </section>
  );
}

/** A new template, or a new translation of one (`?from=<template id>&language=es`). */
export function NewTemplatePage({ session, from, language }: { session: SessionView; from: string | null; language: string | null }) {
  const source = useQuery({ queryKey: templateKeys.one(from ?? ''), queryFn: () => api<TemplateView>(`/v1/templates/${encodeURIComponent(from!)}`), enabled: !!from });
  if (from && source.isPending) return <p role="status">Loading the template to translate…</p>;
  if (from && source.error) return <ErrorNotice error={source.error} />;
  return <NewTemplateForm key={from ?? 'new'} session={session} from={from ? source.data ?? null : null} language={language ?? (from ? '' : 'en_US')} />;
}
