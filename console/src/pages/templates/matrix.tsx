import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { ErrorNotice } from '../../error-notice.js';
import { Link } from '../../link.js';
import { statusLabel } from './list.js';
import { templateKeys, type Matrix, type Template } from './templates-api.js';

/** The translations of one template name: which languages exist, which required ones are missing. */
export function LocaleMatrix({ template, canWrite }: { template: Template; canWrite: boolean }) {
  const matrix = useQuery({ queryKey: templateKeys.matrix, queryFn: () => api<Matrix>('/v1/templates/matrix') });
  const row = matrix.data?.templates.find((r) => r.name === template.name && r.wabaId === template.wabaId);
  const required = new Set(matrix.data?.requiredLanguages ?? []);
  return (
    <section className="panel" aria-labelledby="matrix-heading">
      <h2 id="matrix-heading">Translations</h2>
      {matrix.isPending ? <p role="status">Loading translations…</p> : null}
      {matrix.error ? <ErrorNotice error={matrix.error} /> : null}
      {matrix.data && row ? (
        <>
          {required.size === 0 ? <p className="muted">The workspace requires no language, so no translation counts as missing. Required languages are set through the API (PUT /v1/templates/settings) by a role that holds templates.settings.</p> : null}
          <table className="matrix">
            <caption className="wa-sr-legend">Languages of {template.name}</caption>
            <thead><tr><th scope="col">Language</th><th scope="col">Required</th><th scope="col">Status</th><th scope="col">Sends</th></tr></thead>
            <tbody>
              {row.languages.map((cell) => (
                <tr key={cell.language} aria-current={cell.templateId === template.id ? 'true' : undefined}>
                  <th scope="row">{cell.templateId === template.id ? <>{cell.language} <span className="muted">(this one)</span></> : <Link to={`/templates/${cell.templateId}`}>{cell.language}</Link>}</th>
                  <td>{required.has(cell.language) ? 'Yes' : 'No'}</td>
                  <td>{statusLabel(cell.status)}</td>
                  <td>{cell.sendable ? 'Yes' : 'No'}</td>
                </tr>
              ))}
              {row.missing.map((language) => (
                <tr key={language} className="missing">
                  <th scope="row">{language}</th>
                  <td>Yes</td>
                  <td><strong>Missing translation</strong></td>
                  <td>{canWrite ? <Link to={`/templates/new?from=${template.id}&language=${encodeURIComponent(language)}`}>Translate into {language}</Link> : 'No'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {matrix.data.fallbackLanguage ? <p className="muted">Sends to a contact whose language has no sendable translation use {matrix.data.fallbackLanguage}.</p> : null}
        </>
      ) : null}
    </section>
  );
}
