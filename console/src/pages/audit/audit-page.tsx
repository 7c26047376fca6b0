import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { useCursorPages } from '../../components/cursor-pages.js';
import { api } from '../../api.js';
import { ErrorNotice } from '../../error-notice.js';
import { navigate } from '../../router.js';
import '../contacts/contacts.css';

interface AuditEntry {
  id: string;
  seq: number;
  at: string;
  actor: { type: string; id: string; via?: string };
  action: string;
  resource: { type: string; id: string | null };
  diff: Record<string, unknown> | null;
  origin: { address: string | null; userAgent: string | null; requestId: string | null };
}

interface ChainReport {
  ok: boolean;
  entries: number;
  start: { seq: number };
  lastSeq: number;
  checkpoints: number;
  problem: { reason: string; seq: number | null; id: string | null; message: string } | null;
}

const ACTOR_TYPES = ['user', 'api_key', 'customer', 'system'] as const;
const TEXT_FIELDS = ['actorId', 'action', 'resourceType', 'resourceId', 'from', 'to'] as const;
type Form = Record<(typeof TEXT_FIELDS)[number] | 'actorType', string>;
const PAGE = 50;

const formOf = (search: URLSearchParams): Form => Object.fromEntries(['actorType', ...TEXT_FIELDS].map((f) => [f, search.get(f) ?? ''])) as Form;

/** The filters as the page's address holds them: `from` and `to` as the local date-time inputs give them. */
function queryOf(form: Form): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) if (value.trim()) params.set(key, value.trim());
  return params.toString();
}

/** The filters as the API takes them: times in ISO 8601 (the inputs give local times without a zone). */
function apiQueryOf(form: Form): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    if (!value.trim()) continue;
    if (key === 'from' || key === 'to') {
      const ms = new Date(value).getTime();
      params.set(key, Number.isNaN(ms) ? value : new Date(ms).toISOString());
    } else params.set(key, value.trim());
  }
  return params.toString();
}

const actorOf = (a: AuditEntry['actor']) => `${a.type} ${a.id}${a.via ? ` via ${a.via}` : ''}`;

function VerifyChain() {
  const verify = useMutation({ mutationFn: () => api<ChainReport>('/v1/audit/verify') });
  const r = verify.data;
  return (
    <section aria-labelledby="verify-heading">
      <h2 id="verify-heading">Hash chain</h2>
      <p className="muted">Each entry carries the hash of the one before it, and signed checkpoints pin the chain: verifying recomputes it all and names the first entry that was changed, removed or reordered.</p>
      <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending}>{verify.isPending ? 'Verifying…' : 'Verify chain'}</button>
      {verify.error ? <ErrorNotice error={verify.error} /> : null}
      {r?.ok ? (
        <p className="verify-ok" role="status">
          The chain is intact: {r.entries} {r.entries === 1 ? 'entry' : 'entries'} checked{r.entries ? ` (up to entry ${r.lastSeq})` : ''}{r.start.seq ? `, starting after entry ${r.start.seq} (older ones purged)` : ''}; {r.checkpoints} signed {r.checkpoints === 1 ? 'checkpoint agrees' : 'checkpoints agree'}.
        </p>
      ) : null}
      {r && !r.ok && r.problem ? (
        <div className="error" role="alert">
          <p>The chain is broken ({r.problem.reason.replace(/_/g, ' ')}){r.problem.seq !== null ? ` at entry ${r.problem.seq}` : ''}.</p>
          <p className="hint">{r.problem.message}</p>
        </div>
      ) : null}
    </section>
  );
}

export function AuditPage({ search }: { search: URLSearchParams }) {
  const applied = formOf(search);
  const appliedQuery = queryOf(applied);
  const [form, setForm] = useState<Form>(applied);
  const apiQuery = apiQueryOf(applied);
  const { list, page, previous, next } = useCursorPages<AuditEntry>('audit', '/v1/audit', apiQuery, PAGE);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const query = queryOf(form);
    navigate(`/audit${query ? `?${query}` : ''}`);
  };
  const clear = () => {
    setForm(formOf(new URLSearchParams()));
    navigate('/audit');
  };
  const text = (name: (typeof TEXT_FIELDS)[number], label: string, type = 'text', hint?: string) => (
    <label>
      {label}
      <input name={name} type={type} value={form[name]} placeholder={hint} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
    </label>
  );
  const filtered = appliedQuery !== '';

  return (
    <section className="audit-page" aria-labelledby="audit-heading">
      <h1 id="audit-heading">Audit log</h1>
      <VerifyChain />
      <h2>Entries</h2>
      <form className="search-form" role="search" aria-label="Filter audit entries" onSubmit={submit}>
        <label>
          Actor type
          <select name="actorType" value={form.actorType} onChange={(e) => setForm({ ...form, actorType: e.target.value })}>
            <option value="">Any</option>
            {ACTOR_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        {text('actorId', 'Actor id', 'text', 'usr_… or key_…')}
        {text('action', 'Action', 'text', 'contact.erased')}
        {text('resourceType', 'Resource type', 'text', 'contact')}
        {text('resourceId', 'Resource id')}
        {text('from', 'From', 'datetime-local')}
        {text('to', 'Before', 'datetime-local')}
        <div className="actions">
          <button type="submit">Filter</button>
          {filtered ? <button type="button" onClick={clear}>Clear</button> : null}
        </div>
      </form>
      {list.isPending ? <p role="status">Loading entries…</p> : null}
      {list.error ? <ErrorNotice error={list.error} /> : null}
      {list.data?.data.length === 0 ? (
        <p className="empty">{filtered ? 'No entry matches these filters: widen the dates or clear a filter.' : 'No audit entries yet. Every change made through the API or the console, and every read of personal data, is recorded here.'}</p>
      ) : null}
      {list.data?.data.length ? (
        <table className="data-table" aria-label="Audit entries">
          <thead>
            <tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Resource</th><th scope="col">Changes</th><th scope="col">From</th></tr>
          </thead>
          <tbody>
            {list.data.data.map((e) => (
              <tr key={e.id}>
                <td>{e.seq}</td>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td>{actorOf(e.actor)}</td>
                <td>{e.action}</td>
                <td>{e.resource.type}{e.resource.id ? ` ${e.resource.id}` : ''}</td>
                <td className="diff-cell">{e.diff ? <pre className="diff">{JSON.stringify(e.diff)}</pre> : <span className="muted">—</span>}</td>
                <td>{e.origin.address ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {list.data && (page > 1 || list.data.nextCursor) ? (
        <nav className="pager" aria-label="Pages of audit entries">
          <button type="button" disabled={page <= 1} onClick={previous}>Newer entries</button>
          <span>Page {page}</span>
          <button type="button" disabled={!list.data.nextCursor} onClick={next}>Older entries</button>
        </nav>
      ) : null}
    </section>
  );
}
