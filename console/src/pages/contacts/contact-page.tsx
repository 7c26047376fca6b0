import { useState } from 'react';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../api.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { ErrorNotice } from '../../error-notice.js';
import { Link } from '../../link.js';
import { type ConsentRecord, type Contact, type CurrentConsent, type TimelineItem, contactConsentKey, contactKey, when } from './types.js';
import './contacts.css';


function describe(item: TimelineItem): { title: string; detail: string } {
  switch (item.kind) {
    case 'message':
      return {
        title: `${item.direction === 'inbound' ? 'Message from the contact' : 'Message to the contact'} (${item.templateName ? `template ${item.templateName}` : item.type})`,
        detail: `status now ${item.status}${item.errorCode ? `, error ${item.errorCode}` : ''}`,
      };
    case 'status':
      return { title: `Message ${item.status}`, detail: `${item.direction} ${item.type} message ${item.messageId}` };
    case 'consent':
      return { title: `Consent ${item.status}: ${item.purpose} on ${item.channel}`, detail: `source ${item.source}, recorded by ${item.actor.type} ${item.actor.id}` };
    case 'conversation':
      return { title: 'Conversation opened', detail: `state now ${item.state}${item.endedAt ? `, ended ${when(item.endedAt)}` : ''}` };
  }
}

function Timeline({ id }: { id: string }) {
  const timeline = useInfiniteQuery({
    queryKey: [...contactKey(id), 'timeline'],
    queryFn: ({ pageParam }) => api<{ data: TimelineItem[]; nextCursor: string | null }>(`/v1/contacts/${encodeURIComponent(id)}/timeline?limit=50${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = timeline.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <section aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      {timeline.isPending ? <p role="status">Loading the timeline…</p> : null}
      {timeline.error ? <ErrorNotice error={timeline.error} /> : null}
      {timeline.data && items.length === 0 ? <p className="empty">Nothing has happened with this contact yet: messages, consent changes and conversations will appear here, newest first.</p> : null}
      {items.length ? (
        <ol className="contact-timeline" aria-label="Timeline">
          {items.map((item) => {
            const { title, detail } = describe(item);
            return (
              <li key={`${item.kind}:${item.id}`} className={`kind-${item.kind}`}>
                <span>{item.kind === 'conversation' ? <Link to={`/inbox/${item.id}?state=all`}>{title}</Link> : title}</span>
                <span className="meta">{when(item.at)} · {detail}</span>
              </li>
            );
          })}
        </ol>
      ) : null}
      {timeline.hasNextPage ? <button type="button" onClick={() => void timeline.fetchNextPage()} disabled={timeline.isFetchingNextPage}>{timeline.isFetchingNextPage ? 'Loading…' : 'Show older'}</button> : null}
    </section>
  );
}

function Consent({ id }: { id: string }) {
  const current = useQuery({ queryKey: contactConsentKey(id), queryFn: () => api<{ consent: CurrentConsent[] }>(`/v1/contacts/${encodeURIComponent(id)}/consent`).then((r) => r.consent) });
  const history = useQuery({ queryKey: [...contactKey(id), 'consent-history'], queryFn: () => api<{ records: ConsentRecord[] }>(`/v1/contacts/${encodeURIComponent(id)}/consent/history`) });
  const recorded = current.data?.filter((c) => c.status !== 'none') ?? [];
  return (
    <section aria-labelledby="consent-heading">
      <h2 id="consent-heading">Consent</h2>
      {current.error ? <ErrorNotice error={current.error} /> : null}
      {current.data && recorded.length === 0 ? <p className="empty">No consent recorded: record it through POST /v1/contacts/{'{id}'}/consent, an import with consent columns, or the preference centre.</p> : null}
      {recorded.length ? (
        <ul aria-label="Current consent">
          {recorded.map((c) => <li key={`${c.purpose}:${c.channel}`}>{c.purpose} on {c.channel}: <strong>{c.status}</strong>{c.since ? ` since ${when(c.since)}` : ''} ({c.allowed ? 'messages allowed' : 'messages refused'})</li>)}
        </ul>
      ) : null}
      <h3>Ledger</h3>
      {history.isPending ? <p role="status">Loading the ledger…</p> : null}
      {history.error ? <ErrorNotice error={history.error} /> : null}
      {history.data?.records.length === 0 ? <p className="empty">The ledger is empty.</p> : null}
      {history.data?.records.length ? (
        <table className="data-table" aria-label="Consent ledger">
          <thead><tr><th scope="col">Effective</th><th scope="col">Consent</th><th scope="col">Provenance</th></tr></thead>
          <tbody>
            {history.data.records.map((r) => (
              <tr key={r.id}>
                <td>{when(r.effectiveAt)}</td>
                <td>{r.status}: {r.purpose} on {r.channel}</td>
                <td>
                  source {r.source}, by {r.actor.type} {r.actor.id}, recorded {when(r.recordedAt)}
                  {r.wording ? <><br />wording: “{r.wording}”</> : null}
                  {r.proof ? <pre className="diff">{JSON.stringify(r.proof, null, 1)}</pre> : r.proof === null ? <><br /><span className="muted">no proof kept</span></> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

async function downloadExport(id: string): Promise<void> {
  const response = await fetch(`/v1/contacts/${encodeURIComponent(id)}/export`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    throw new ApiError(response.status, body?.error?.code ?? 'UNKNOWN', body?.error?.message ?? `The export failed (${response.status}).`, body?.error?.hint ?? null);
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = `contact-${id}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ContactPage({ id, permissions }: { id: string; permissions: readonly string[] }) {
  const client = useQueryClient();
  const contact = useQuery({ queryKey: contactKey(id), queryFn: () => api<Contact>(`/v1/contacts/${encodeURIComponent(id)}`) });
  const [confirming, setConfirming] = useState(false);
  const exporting = useMutation({ mutationFn: () => downloadExport(id) });
  const erasing = useMutation({
    mutationFn: () => api<{ erasedAt: string }>(`/v1/contacts/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => {
      setConfirming(false);
      void client.invalidateQueries({ queryKey: contactKey(id) });
      void client.invalidateQueries({ queryKey: ['contacts'] });
    },
  });
  const can = (permission: string) => permissions.includes(permission);

  if (contact.isPending) return <p role="status">Loading the contact…</p>;
  if (contact.error) return <section className="contact-page"><h1>Contact</h1><ErrorNotice error={contact.error} /><p><Link to="/contacts">Back to contacts</Link></p></section>;
  const c = contact.data;
  const attributes = Object.entries(c.attributes ?? {});
  return (
    <section className="contact-page" aria-labelledby="contact-heading">
      <p><Link to="/contacts">← Contacts</Link></p>
      <h1 id="contact-heading">{c.erasedAt ? 'Erased contact' : (c.name ?? c.phone ?? 'Contact')} <span className="muted">{c.id}</span></h1>
      {c.erasedAt ? <p className="erased-notice" role="status">This contact was erased on {when(c.erasedAt)}: its personal data and message bodies are destroyed; counts and the consent ledger (without proof) are kept.</p> : null}
      {c.mergedInto ? <p className="erased-notice">This contact was merged into <Link to={`/contacts/${c.mergedInto}`}>{c.mergedInto}</Link>.</p> : null}
      <div className="contact-actions">
        {can('contacts.export') ? <button type="button" onClick={() => exporting.mutate()} disabled={exporting.isPending}>{exporting.isPending ? 'Exporting…' : 'Download export (JSON)'}</button> : null}
        {can('contacts.erase') && !c.erasedAt ? <button type="button" className="danger" onClick={() => { erasing.reset(); setConfirming(true); }}>Erase contact…</button> : null}
      </div>
      {exporting.error ? <ErrorNotice error={exporting.error} /> : null}
      <div className="contact-grid">
        <div>
          <section aria-labelledby="details-heading">
            <h2 id="details-heading">Details</h2>
            <dl className="facts">
              <dt>Phone</dt><dd>{c.phone ?? '—'}</dd>
              <dt>WhatsApp id</dt><dd>{c.waId ?? '—'}</dd>
              <dt>Name</dt><dd>{c.name ?? '—'}</dd>
              <dt>Email</dt><dd>{c.email ?? '—'}</dd>
              <dt>Language</dt><dd>{c.language ?? '—'}</dd>
              <dt>Time zone</dt><dd>{c.timeZone ?? '—'}</dd>
              <dt>Country</dt><dd>{c.country ?? '—'}</dd>
              <dt>Created</dt><dd>{when(c.createdAt)}</dd>
            </dl>
            {c.redacted?.length ? <p className="muted">Withheld from your role: {c.redacted.join(', ')}.</p> : null}
            <h3>Tags</h3>
            {c.tags.length ? <p>{c.tags.map((t) => <span key={t} className="tag">{t}</span>)}</p> : <p className="empty">No tags. Set them through PATCH /v1/contacts/{'{id}'} or an import.</p>}
            <h3>Attributes</h3>
            {attributes.length ? (
              <dl className="facts" aria-label="Attributes">
                {attributes.map(([key, value]) => <div key={key} className="contents"><dt>{key}</dt><dd>{String(value)}</dd></div>)}
              </dl>
            ) : <p className="empty">No attributes.</p>}
          </section>
          {can('consent.read') ? <Consent id={id} /> : null}
        </div>
        <Timeline id={id} />
      </div>
      <ConfirmDialog
        open={confirming}
        title="Erase this contact?"
        word="ERASE"
        confirmLabel="Erase contact"
        busy={erasing.isPending}
        onConfirm={() => erasing.mutate()}
        onClose={() => setConfirming(false)}
      >
        <p>Its personal data and the bodies of its messages are destroyed for good; counts and the consent ledger (without proof) are kept, and the erasure is recorded. This cannot be undone.</p>
        {erasing.error ? <ErrorNotice error={erasing.error} /> : null}
      </ConfirmDialog>
    </section>
  );
}
