import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type SessionView } from '../../api.js';
import { ErrorNotice } from '../../error-notice.js';
import { Link } from '../../link.js';
import { WhatsAppPreview } from '../../components/whatsapp-preview.js';
import { contentOf, contentOfVersion, draftFrom, type Draft } from './draft.js';
import { LintResults, TemplateEditor } from './editor.js';
import { qualityLabel, statusLabel } from './list.js';
import { LocaleMatrix } from './matrix.js';
import { ReviewPanel } from './review.js';
import { templateKeys, type Template, type TemplateView, type Version } from './templates-api.js';
import { VersionHistory } from './versions.js';

/** The form on the latest version; saving makes the next version (a draft to review). */
function EditPanel({ template, latest }: { template: Template; latest: Version }) {
  const client = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftFrom(contentOfVersion(latest)));
  const save = useMutation({
    mutationFn: () => {
      const content = contentOf(draft);
      return api<Version>(`/v1/templates/${template.id}/versions`, { method: 'POST', body: { category: content.category, parameterFormat: content.parameterFormat, components: content.components } });
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['templates'] }),
  });
  const unchanged = JSON.stringify(contentOf(draft)) === JSON.stringify(contentOf(draftFrom(contentOfVersion(latest))));
  return (
    <section className="panel" aria-labelledby="edit-heading">
      <h2 id="edit-heading">Edit</h2>
      <p className="muted">Editing starts from version {latest.number}. Saving makes version {latest.number + 1}, a draft that someone else reviews before it is submitted.</p>
      <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
        <TemplateEditor name={template.name} language={template.language} draft={draft} onChange={setDraft} />
        <div className="actions">
          <button type="submit" disabled={save.isPending || unchanged}>Save as version {latest.number + 1}</button>
          {unchanged ? <span className="muted">No change from version {latest.number} yet.</span> : null}
        </div>
        {save.error ? <ErrorNotice error={save.error} /> : null}
        {save.isSuccess && !save.isPending ? <p role="status">Saved as version {save.data.number}.</p> : null}
      </form>
    </section>
  );
}

/** Read-only: the latest version's preview and the checks it was saved with. */
function LatestPanel({ latest }: { latest: Version }) {
  const draft = draftFrom(contentOfVersion(latest));
  return (
    <section className="panel" aria-labelledby="latest-heading">
      <h2 id="latest-heading">Version {latest.number}</h2>
      <div className="editor">
        <div className="editor-form"><LintResults findings={latest.lint} draft={draft} checking={false} error={null} /></div>
        <section className="editor-preview" aria-labelledby="preview-heading">
          <h3 id="preview-heading">Preview</h3>
          <WhatsAppPreview components={latest.components} label="Preview of the message as WhatsApp shows it" />
        </section>
      </div>
    </section>
  );
}

export function TemplatePage({ id, session }: { id: string; session: SessionView }) {
  const view = useQuery({ queryKey: templateKeys.one(id), queryFn: () => api<TemplateView>(`/v1/templates/${encodeURIComponent(id)}`) });
  const canWrite = session.permissions.includes('templates.write');
  const canSubmit = session.permissions.includes('templates.submit');
  if (view.isPending) return <p role="status">Loading the template…</p>;
  if (view.error) return <><p><Link to="/templates">All templates</Link></p><ErrorNotice error={view.error} /></>;
  const { template, latestVersion } = view.data;
  return (
    <div className="template-page">
      <p><Link to="/templates">All templates</Link></p>
      <section className="panel" aria-labelledby="template-heading">
        <h1 id="template-heading">{template.name} <span className="muted">({template.language})</span></h1>
        <dl className="facts">
          <dt>Status</dt><dd><span className={`badge status-${template.status.toLowerCase()}`}>{statusLabel(template.status)}</span> {template.sendable ? 'Sends use it now.' : 'Sends cannot use it now.'}</dd>
          <dt>Quality</dt><dd>{qualityLabel(template.quality)}</dd>
          <dt>Category</dt><dd>{statusLabel(template.category)}</dd>
          <dt>WhatsApp Business Account</dt><dd>{template.wabaId}</dd>
          <dt>Versions</dt><dd>{template.liveVersion ? `v${template.liveVersion} live` : 'none live'}, v{template.latestVersion} latest{template.submittedVersion ? `, v${template.submittedVersion} submitted` : ''}</dd>
          {template.rejection ? <><dt>Rejected</dt><dd>{template.rejection.reason ?? 'No reason given.'}</dd></> : null}
        </dl>
      </section>
      {canWrite ? <EditPanel key={`${template.id}`} template={template} latest={latestVersion} /> : <LatestPanel latest={latestVersion} />}
      <ReviewPanel key={`${template.id}-${latestVersion.number}`} template={template} version={latestVersion} userId={session.user.id} canWrite={canWrite} canSubmit={canSubmit} />
      <LocaleMatrix template={template} canWrite={canWrite} />
      <VersionHistory templateId={template.id} />
    </div>
  );
}
