import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.js';
import { ErrorNotice } from '../error-notice.js';
import { Link } from '../link.js';
import { navigate, useLocation } from '../router.js';
import { useSession } from '../session.js';
import { ConversationPanel } from './conversation.js';
import { ContactPanel } from './inbox/contact-panel.js';
import { ConversationList } from './inbox/conversation-list.js';
import { DockedPhone, PhoneDockToggle, usePhoneDock } from './inbox/docked-phone.js';
import { STATES, VIEWS, filterQuery, readFilter, searchKind, type InboxFilter } from './inbox/filters.js';
import './inbox/inbox.css';

const EMPTY_STATE: Record<InboxFilter['state'], string> = {
  pending: 'No conversation is waiting here. When a customer writes to one of your numbers, the conversation appears at once.',
  active: 'No conversation is active here. Open a pending one and reply, or assign it, to make it active.',
  escalated: 'No conversation is escalated here.',
  snoozed: 'No conversation is snoozed here. Snooze one from its view to set it aside until later.',
  resolved: 'No conversation is resolved here yet. Resolve one from its view when the customer has what they needed.',
  any: 'No conversations here yet. They start when a customer writes to one of your numbers: try the emulator (npm start prints its URL).',
};
const EMPTY_VIEW: Record<InboxFilter['view'], string> = {
  all: '',
  mine: ' Pick "Unassigned" to take one for yourself.',
  unassigned: ' Every conversation has an owner.',
  teams: ' Conversations reach your teams when a sender or the bot routes them there; an admin sets your teams.',
};

/**
 * The contacts a search names: the one with the phone number (one person, one contact), or those
 * with the e-mail address (several contacts may share one).
 */
function useContactSearch(q: string) {
  const kind = searchKind(q);
  const found = useQuery({
    queryKey: ['contact-search', kind, q],
    queryFn: () => api<{ data: Array<{ id: string }> }>(`/v1/contacts?${kind}=${encodeURIComponent(q)}&limit=2`).then((r) => r.data.map((c) => c.id)),
    enabled: kind !== null,
    staleTime: 60_000,
  });
  return { kind, found };
}

function SearchForm({ filter }: { filter: InboxFilter }) {
  // What is typed stays while a search fails; the URL changes only on submit.
  const [text, setText] = useState(filter.q);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(`/inbox${filterQuery({ ...filter, q: text.trim() })}`);
  };
  return (
    <form role="search" className="inbox-search" onSubmit={submit}>
      <label htmlFor="inbox-search">Search by name, phone or text</label>
      <div>
        <input id="inbox-search" type="search" autoComplete="off" maxLength={100} value={text} onChange={(e) => setText(e.target.value)} placeholder="Ana, +1 650 555 0100, ana@example.com or words of a message" aria-describedby="inbox-search-help" />
        <button type="submit">Search</button>
      </div>
      <p id="inbox-search-help" className="muted">A number in full with its country code or a whole e-mail address finds that contact; other words find names starting with them and messages holding them all (accents and case do not matter; new messages are found within seconds).</p>
    </form>
  );
}

export function InboxPage({ conversationId }: { conversationId: string | null }) {
  const session = useSession().data!;
  const { search } = useLocation();
  const filter = readFilter(search);
  const query = filterQuery(filter);
  const here = (f: InboxFilter) => `/inbox${conversationId ? `/${conversationId}` : ''}${filterQuery(f)}`;
  const { kind, found } = useContactSearch(filter.q);
  const dock = usePhoneDock(session.permissions);

  let list;
  if (!filter.q) {
    list = <ConversationList filter={filter} contactId={null} userId={session.user.id} openId={conversationId} linkQuery={query} empty={EMPTY_STATE[filter.state] + EMPTY_VIEW[filter.view]} />;
  } else if (!kind) {
    list = <ConversationList filter={filter} contactId={null} text={filter.q} userId={session.user.id} openId={conversationId} linkQuery={query} empty={`No conversation in this view has a contact named “${filter.q}” or a message with all of its words. Pick "Any state" or "All" to look further, or use whole words of two letters or more.`} />;
  } else if (found.isPending) {
    list = <p role="status">Looking up {filter.q}…</p>;
  } else if (found.error) {
    list = <ErrorNotice error={found.error} />;
  } else if (found.data.length === 0) {
    list = <p className="empty" role="status">No contact has {kind === 'phone' ? 'the number' : 'the address'} {filter.q}. {kind === 'phone' ? 'Check the country code' : 'Check the spelling'}, or clear the search.</p>;
  } else if (found.data.length > 1) {
    list = <p className="empty" role="status">Several contacts share the address {filter.q}. Search by the customer’s phone number instead: it names one contact.</p>;
  } else {
    list = <ConversationList filter={filter} contactId={found.data[0]!} userId={session.user.id} openId={conversationId} linkQuery={query} empty={`The contact with ${filter.q} has no conversation in this view. Pick "Any state" or "All" to see every one.`} />;
  }

  return (
    <div className={`inbox${conversationId ? ' with-contact' : ''}${dock.docked ? ' with-phone' : ''}`}>
      <section className="list" aria-labelledby="inbox-heading">
        <h1 id="inbox-heading">Inbox</h1>
        {dock.available ? <PhoneDockToggle docked={dock.docked} toggle={dock.toggle} /> : null}
        <SearchForm key={filter.q} filter={filter} />
        {filter.q ? <p className="searching">{kind ? <>Showing {filter.q}’s conversations.</> : <>Showing conversations matching “{filter.q}”.</>} <Link to={here({ ...filter, q: '' })}>Clear the search</Link></p> : null}
        <nav aria-label="Views" className="filters">
          <ul>
            {VIEWS.map((v) => (
              <li key={v.value}><Link to={here({ ...filter, view: v.value })} aria-current={v.value === filter.view ? 'page' : undefined}>{v.label}</Link></li>
            ))}
          </ul>
        </nav>
        <nav aria-label="Filter by state" className="filters">
          <ul>
            {STATES.map((s) => (
              <li key={s.value}><Link to={here({ ...filter, state: s.value })} aria-current={s.value === filter.state ? 'page' : undefined}>{s.label}</Link></li>
            ))}
          </ul>
        </nav>
        {list}
      </section>
      <section className="detail" aria-label="Conversation">
        {conversationId ? <ConversationPanel id={conversationId} /> : <p className="empty">Pick a conversation on the left to see its messages and history.</p>}
      </section>
      {conversationId ? <ContactPanel key={conversationId} conversationId={conversationId} permissions={session.permissions} listQuery={query} /> : null}
      {dock.docked ? <DockedPhone conversationId={conversationId} permissions={session.permissions} /> : null}
    </div>
  );
}
