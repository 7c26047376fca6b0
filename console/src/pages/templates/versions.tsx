import { useId, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.js';
import { ErrorNotice } from '../../error-notice.js';
import { diffRows, type DiffPart } from '../../components/text-diff.js';
import { contentLines, contentOfVersion } from './draft.js';
import { statusLabel } from './list.js';
import { templateKeys, type Version } from './templates-api.js';

const linesOf = (v: Version) => contentLines(contentOfVersion(v));
const time = (iso: string) => new Date(iso).toLocaleString();

function Words({ words, side }: { words: DiffPart[]; side: 'before' | 'after' }) {
  return (
    <>
      {words.map((w, i) => {
        if (w.op === 'same') return <span key={i}>{w.text}</span>;
        if (side === 'before' && w.op === 'removed') return <del key={i}>{w.text}</del>;
        if (side === 'after' && w.op === 'added') return <ins key={i}>{w.text}</ins>;
        return null;
      })}
    </>
  );
}

/** What changed from one version to another, line by line, words marked inside a changed line. */
export function VersionDiff({ before, after }: { before: Version; after: Version }) {
  const rows = diffRows(linesOf(before), linesOf(after));
  const changes = rows.filter((r) => r.op !== 'same').length;
  return (
    <>
      <p className="muted">{changes === 0 ? `Versions ${before.number} and ${after.number} have the same content.` : `${changes} line${changes === 1 ? '' : 's'} changed from version ${before.number} to version ${after.number}.`}</p>
      <ol className="diff" aria-label={`Changes from version ${before.number} to version ${after.number}`}>
        {rows.flatMap((row, i) => {
          if (row.op === 'changed') {
            return [
              <li key={`${i}-b`} className="diff-removed"><span className="wa-sr">Removed: </span><span aria-hidden="true">− </span><Words words={row.words} side="before" /></li>,
              <li key={`${i}-a`} className="diff-added"><span className="wa-sr">Added: </span><span aria-hidden="true">+ </span><Words words={row.words} side="after" /></li>,
            ];
          }
          if (row.op === 'same') return [<li key={i} className="diff-same"><span aria-hidden="true">{'  '}</span>{row.text}</li>];
          return [<li key={i} className={`diff-${row.op}`}><span className="wa-sr">{row.op === 'added' ? 'Added: ' : 'Removed: '}</span><span aria-hidden="true">{row.op === 'added' ? '+ ' : '− '}</span>{row.text}</li>];
        })}
      </ol>
    </>
  );
}

export function VersionHistory({ templateId }: { templateId: string }) {
  const id = useId();
  const versions = useQuery({ queryKey: templateKeys.versions(templateId), queryFn: () => api<{ data: Version[] }>(`/v1/templates/${templateId}/versions`).then((r) => r.data) });
  const [picked, setPicked] = useState<{ from: number; to: number } | null>(null);
  const data = versions.data ?? [];
  const latest = data.at(-1);
  const to = data.find((v) => v.number === picked?.to) ?? latest;
  const from = data.find((v) => v.number === picked?.from) ?? data.at(-2) ?? latest;
  return (
    <section className="panel" aria-labelledby="versions-heading">
      <h2 id="versions-heading">Versions</h2>
      {versions.isPending ? <p role="status">Loading versions…</p> : null}
      {versions.error ? <ErrorNotice error={versions.error} /> : null}
      {data.length ? (
        <table className="versions">
          <caption className="wa-sr-legend">Versions, oldest first</caption>
          <thead><tr><th scope="col">Version</th><th scope="col">State</th><th scope="col">Written</th><th scope="col">Review</th></tr></thead>
          <tbody>
            {data.map((v) => (
              <tr key={v.number}>
                <th scope="row">v{v.number}</th>
                <td>{statusLabel(v.state)}</td>
                <td>{time(v.createdAt)}</td>
                <td>{v.reviewNote ?? (v.reviewedAt ? `reviewed ${time(v.reviewedAt)}` : '—')}{v.providerReason ? ` · provider: ${v.providerReason}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {data.length > 1 && from && to ? (
        <>
          <h3>Compare</h3>
          <div className="field-row">
            <div>
              <label htmlFor={`${id}-from`}>From version</label>
              <select id={`${id}-from`} value={from.number} onChange={(e) => setPicked({ from: Number(e.target.value), to: to.number })}>
                {data.map((v) => <option key={v.number} value={v.number}>v{v.number}</option>)}
              </select>
            </div>
            <div>
              <label htmlFor={`${id}-to`}>To version</label>
              <select id={`${id}-to`} value={to.number} onChange={(e) => setPicked({ from: from.number, to: Number(e.target.value) })}>
                {data.map((v) => <option key={v.number} value={v.number}>v{v.number}</option>)}
              </select>
            </div>
          </div>
          <VersionDiff before={from} after={to} />
        </>
      ) : data.length === 1 ? <p className="empty">Only one version so far. Save an edit above to make version 2; its changes show here.</p> : null}
    </section>
  );
}
