import { useQuery } from '@tanstack/react-query';
import { api, type Conversation } from '../api.js';
import { ErrorNotice } from '../error-notice.js';
import { Link } from '../link.js';
import { ConversationPanel } from './conversation.js';

/** The filter tabs: a state, or every conversation. */
const FILTERS = [
  { value: 'pending', label: 'Pending' },
  { value: 'active', label: 'Active' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'all', label: 'All' },
] as const;
type Filter = (typeof FILTERS)[number]['value'];

const EMPTY: Record<Filter, string> = {
  pending: 'No conversation is waiting. When a customer writes to one of your numbers, the conversation appears here at once.',
  active: 'No conversation is active. Open a pending one and reply, or assign it, to make it active.',
  resolved: 'No conversation is resolved yet. Resolve one from its view when the customer has what they needed.',
  all: 'No conversations yet. They start when a customer writes to one of your numbers: try the emulator (npm start prints its URL).',
};

export const conversationsKey = (filter: Filter) => ['conversations', filter] as const;

const time = (iso: string) => new Date(iso).toLocaleString();

export function InboxPage({ filter: requested, conversationId }: { filter: string | null; conversationId: string | null }) {
  const filter: Filter = FILTERS.some((f) => f.value === requested) ? (requested as Filter) : 'pending';
  const list = useQuery({
    queryKey: conversationsKey(filter),
    queryFn: () => api<{ data: Conversation[] }>(`/v1/conversations?limit=100${filter === 'all' ? '' : `&state=${filter}`}`).then((r) => r.data),
  });
  const query = `?state=${filter}`;

  return (
    <div className="inbox">
      <section className="list" aria-labelledby="inbox-heading">
        <h1 id="inbox-heading">Inbox</h1>
        <nav aria-label="Filter by state" className="filters">
          <ul>
            {FILTERS.map((f) => (
              <li key={f.value}>
                <Link to={`/inbox${conversationId ? `/${conversationId}` : ''}?state=${f.value}`} aria-current={f.value === filter ? 'page' : undefined}>{f.label}</Link>
              </li>
            ))}
          </ul>
        </nav>
        {list.isPending ? <p role="status">Loading conversations…</p> : null}
        {list.error ? <ErrorNotice error={list.error} /> : null}
        {list.data?.length === 0 ? <p className="empty">{EMPTY[filter]}</p> : null}
        {list.data?.length ? (
          <ul className="conversations" aria-label="Conversations">
            {list.data.map((c) => (
              <li key={c.id}>
                <Link to={`/inbox/${c.id}${query}`} aria-current={c.id === conversationId ? 'true' : undefined} data-conversation-id={c.id}>
                  <span className="contact">Contact {c.contactId}</span>
                  <span className={`state state-${c.state}`}>{c.state}</span>
                  <span className="muted">{c.waitingSince ? `waiting since ${time(c.waitingSince)}` : `last activity ${time(c.lastActivityAt)}`}</span>
                </Link>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <section className="detail" aria-label="Conversation">
        {conversationId ? <ConversationPanel id={conversationId} /> : <p className="empty">Pick a conversation on the left to see its messages and history.</p>}
      </section>
    </div>
  );
}
