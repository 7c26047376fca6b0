import { useQuery } from '@tanstack/react-query';
import { api, type Conversation } from '../../api.js';
import { ErrorNotice } from '../../error-notice.js';
import { Link } from '../../link.js';
import { conversationKey } from '../conversation.js';
import { contactConsentKey, contactKey, type CurrentConsent } from '../contacts/types.js';

// The contact beside the open conversation: who they are (when the role may read personal data),
// their consent per purpose and channel as the consent gate sees it now, their attributes and tags,
// and their other conversations.

interface ContactView {
  id: string;
  phone: string | null;
  name: string | null;
  email: string | null;
  language: string | null;
  timeZone: string | null;
  country: string | null;
  attributes: Record<string, unknown> | null;
  tags: string[];
  mergedInto: string | null;
  erasedAt: string | null;
  redacted?: string[];
}

/** Under `conversations`, so the live stream's invalidation refreshes it with the lists. */
export const contactConversationsKey = (contactId: string) => ['conversations', 'contact', contactId] as const;

const date = (iso: string) => new Date(iso).toLocaleDateString();
const attributeText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export function ContactPanel({ conversationId, permissions, listQuery }: { conversationId: string; permissions: readonly string[]; listQuery: string }) {
  const mayReadContacts = permissions.includes('contacts.read');
  const mayReadConsent = permissions.includes('consent.read');
  // The same query as the conversation's own view: one request serves both.
  const conversation = useQuery({ queryKey: [...conversationKey(conversationId), 'view'], queryFn: () => api<Conversation>(`/v1/conversations/${conversationId}`) });
  const contactId = conversation.data?.contactId ?? null;
  const contact = useQuery({
    queryKey: contactKey(contactId ?? ''),
    queryFn: () => api<ContactView>(`/v1/contacts/${contactId}`),
    enabled: contactId !== null && mayReadContacts,
  });
  const consent = useQuery({
    queryKey: contactConsentKey(contactId ?? ''),
    queryFn: () => api<{ consent: CurrentConsent[] }>(`/v1/contacts/${contactId}/consent`).then((r) => r.consent),
    enabled: contactId !== null && mayReadConsent,
  });
  const others = useQuery({
    queryKey: contactConversationsKey(contactId ?? ''),
    queryFn: () => api<{ data: Conversation[] }>(`/v1/conversations?contactId=${contactId}&limit=50`).then((r) => r.data),
    enabled: contactId !== null,
  });

  const c = contact.data;
  const purposes = [...new Set((consent.data ?? []).map((l) => l.purpose))];
  const channels = [...new Set((consent.data ?? []).map((l) => l.channel))];
  const previous = (others.data ?? []).filter((o) => o.id !== conversationId);
  const attributes = Object.entries(c?.attributes ?? {});

  return (
    <aside className="contact-panel" aria-labelledby="contact-heading">
      <h2 id="contact-heading">Contact</h2>
      {conversation.error ? <ErrorNotice error={conversation.error} /> : null}
      {!mayReadContacts ? <p className="muted">Your role does not read contacts.</p> : null}
      {contact.error ? <ErrorNotice error={contact.error} /> : null}
      {c ? (
        <dl className="facts">
          <dt>Name</dt><dd>{c.name ?? (c.redacted?.includes('name') ? 'hidden from your role' : 'not known')}</dd>
          <dt>Phone</dt><dd>{c.phone ?? (c.redacted?.includes('phone') ? 'hidden from your role' : 'none')}</dd>
          {c.email ? <><dt>E-mail</dt><dd>{c.email}</dd></> : null}
          {c.language ? <><dt>Language</dt><dd>{c.language}</dd></> : null}
          {c.timeZone ? <><dt>Time zone</dt><dd>{c.timeZone}</dd></> : null}
          {c.erasedAt ? <><dt>Erased</dt><dd>{date(c.erasedAt)}</dd></> : null}
        </dl>
      ) : null}

      <h3 id="consent-heading">Consent</h3>
      {!mayReadConsent ? <p className="muted">Your role does not read consent.</p> : null}
      {consent.error ? <ErrorNotice error={consent.error} /> : null}
      {consent.data ? (
        <table className="consent" aria-labelledby="consent-heading">
          <thead>
            <tr><th scope="col">Purpose</th>{channels.map((ch) => <th scope="col" key={ch}>{ch}</th>)}</tr>
          </thead>
          <tbody>
            {purposes.map((p) => (
              <tr key={p}>
                <th scope="row">{p}</th>
                {channels.map((ch) => {
                  const line = consent.data.find((l) => l.purpose === p && l.channel === ch);
                  if (!line) return <td key={ch}>—</td>;
                  return (
                    <td key={ch} className={line.allowed ? 'allowed' : 'refused'} title={line.explanation} data-consent={`${p}.${ch}`}>
                      <span>{line.status}</span>
                      <span className="verdict">{line.allowed ? 'may send' : 'refused'}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      {c ? (
        <>
          <h3>Attributes</h3>
          {attributes.length ? (
            <dl className="facts">{attributes.map(([k, v]) => <div key={k}><dt>{k}</dt><dd>{attributeText(v)}</dd></div>)}</dl>
          ) : <p className="muted">{c.redacted?.includes('attributes') ? 'Hidden from your role.' : 'None. Set them through the contacts API or an import.'}</p>}
          <h3>Tags</h3>
          {c.tags.length ? <ul className="tags" aria-label="Tags">{c.tags.map((t) => <li key={t}>{t}</li>)}</ul> : <p className="muted">No tags.</p>}
        </>
      ) : null}

      <h3 id="previous-heading">Previous conversations</h3>
      {others.error ? <ErrorNotice error={others.error} /> : null}
      {others.data && previous.length === 0 ? <p className="muted">This is the contact’s only conversation.</p> : null}
      {previous.length ? (
        <ul className="previous" aria-labelledby="previous-heading">
          {previous.map((o) => (
            <li key={o.id}>
              <Link to={`/inbox/${o.id}${listQuery}`}>{date(o.createdAt)} · {o.state}{o.cycle > 1 ? ` · ${o.cycle} cycles` : ''}</Link>
            </li>
          ))}
        </ul>
      ) : null}
    </aside>
  );
}
