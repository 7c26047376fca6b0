import { useQuery } from '@tanstack/react-query';
import { ErrorNotice } from '../../error-notice.js';
import { Link } from '../../link.js';
import { listTemplates, templateKeys } from './templates-api.js';

const QUALITY: Record<string, string> = { GREEN: 'High', YELLOW: 'Medium', RED: 'Low', UNKNOWN: 'Not rated yet' };
export const qualityLabel = (q: string | null) => (q ? QUALITY[q.toUpperCase()] ?? q : 'Not rated yet');
export const statusLabel = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase().replace(/_/g, ' ');

/** Every template, by name then language, with its provider status and quality rating. */
export function TemplateListPage({ canWrite }: { canWrite: boolean }) {
  const list = useQuery({ queryKey: templateKeys.list, queryFn: listTemplates });
  const rows = [...(list.data ?? [])].sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language) || a.wabaId.localeCompare(b.wabaId));
  return (
    <section className="templates panel" aria-labelledby="templates-heading">
      <div className="panel-head">
        <h1 id="templates-heading">Templates</h1>
        {canWrite ? <Link className="button-link" to="/templates/new">New template</Link> : null}
      </div>
      {list.isPending ? <p role="status">Loading templates…</p> : null}
      {list.error ? <ErrorNotice error={list.error} /> : null}
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
