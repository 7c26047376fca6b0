import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.js';
import { ErrorNotice } from '../../error-notice.js';
import { Link } from '../../link.js';
import { listTemplates, templateKeys } from './templates-api.js';

const QUALITY: Record<string, string> = { GREEN: 'High', YELLOW: 'Medium', RED: 'Low', UNKNOWN: 'Not rated yet' };
export const qualityLabel = (q: string | null) => (q ? QUALITY[q.toUpperCase()] ?? q : 'Not rated yet');
export const statusLabel = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase().replace(/_/g, ' ');

interface SyncReport { wabaId: string; checked: number; updated: number; imported: number; error?: { code: string; message: string } }

/** Asks the provider now for statuses, quality ratings and templates made outside Parley. */
function useSync() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ data: SyncReport[] }>('/v1/templates/sync', { method: 'POST', body: {} }).then((r) => r.data),
    onSuccess: () => client.invalidateQueries({ queryKey: ['templates'] }),
  });
}

function SyncResult({ sync }: { sync: ReturnType<typeof useSync> }) {
  if (sync.error) return <ErrorNotice error={sync.error} />;
  if (!sync.data) return null;
  return (
    <div role="status">
      <ul className="sync-report">
        {sync.data.length === 0 ? <li>No WhatsApp Business Account to sync: add a Cloud API sender first.</li> : null}
        {sync.data.map((r) => (
          <li key={r.wabaId}>{r.error ? `${r.wabaId}: ${r.error.message}` : `${r.wabaId}: ${r.checked} checked, ${r.updated} updated, ${r.imported} imported.`}</li>
        ))}
      </ul>
    </div>
  );
}

/** Every template, by name then language, with its provider status and quality rating. */
export function TemplateListPage({ canWrite }: { canWrite: boolean }) {
  const id = useId();
  const list = useQuery({ queryKey: templateKeys.list, queryFn: listTemplates });
  const sync = useSync();
  const [name, setName] = useState('');
  const [language, setLanguage] = useState('');
  const languages = [...new Set((list.data ?? []).map((t) => t.language))].sort();
  const rows = (list.data ?? [])
    .filter((t) => t.name.includes(name.trim().toLowerCase()) && (!language || t.language === language))
    .sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language) || a.wabaId.localeCompare(b.wabaId));
  return (
    <section className="templates panel" aria-labelledby="templates-heading">
      <div className="panel-head">
        <h1 id="templates-heading">Templates</h1>
        {canWrite ? (
          <div className="actions">
            <button type="button" className="secondary" disabled={sync.isPending} onClick={() => sync.mutate()}>{sync.isPending ? 'Syncing…' : 'Sync with WhatsApp'}</button>
            <Link className="button-link" to="/templates/new">New template</Link>
          </div>
        ) : null}
      </div>
      <SyncResult sync={sync} />
      {list.isPending ? <p role="status">Loading templates…</p> : null}
      {list.error ? <ErrorNotice error={list.error} /> : null}
      {list.data?.length ? (
        <div className="field-row filters-row">
          <div>
            <label htmlFor={`${id}-name`}>Name contains</label>
            <input id={`${id}-name`} type="search" value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <div>
            <label htmlFor={`${id}-language`}>Language</label>
            <select id={`${id}-language`} value={language} onChange={(e) => setLanguage(e.target.value)}>
              <option value="">Every language</option>
              {languages.map((l) => <option key={l} value={l}>{l}</option>)}
            </select>
          </div>
        </div>
      ) : null}
      {list.data?.length && rows.length === 0 ? <p className="empty">No template matches. Clear the filters to see them all.</p> : null}
      {list.data?.length === 0 ? (
        <p className="empty">
          No templates yet. {canWrite ? 'Write one with “New template”, or sync from the provider to import the ones your WhatsApp Business Account already has.' : 'Ask a developer or an admin to write one: your role reads templates only.'}
        </p>
      ) : null}
      {rows.length ? (
        <table className="template-table">
          <caption className="wa-sr-legend">Templates by name and language</caption>
          <thead>
            <tr><th scope="col">Name</th><th scope="col">Language</th><th scope="col">Category</th><th scope="col">Status</th><th scope="col">Quality</th><th scope="col">Versions</th></tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.id}>
                <th scope="row"><Link to={`/templates/${t.id}`}>{t.name}</Link></th>
                <td>{t.language}</td>
                <td>{statusLabel(t.category)}</td>
                <td><span className={`badge status-${t.status.toLowerCase()}`}>{statusLabel(t.status)}</span>{t.sendable ? <span className="muted"> · sends</span> : null}</td>
                <td><span className={`badge quality-${(t.quality ?? 'unknown').toLowerCase()}`}>{qualityLabel(t.quality)}</span></td>
                <td>{t.liveVersion ? `live v${t.liveVersion}` : 'none live'}{t.latestVersion !== t.liveVersion ? `, latest v${t.latestVersion}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
