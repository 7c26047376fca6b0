import { useEffect, useRef } from 'react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { api, type Conversation } from '../../api.js';
import { ErrorNotice } from '../../error-notice.js';
import { Link } from '../../link.js';
import { useSession } from '../../session.js';
import { listQuery, type InboxFilter } from './filters.js';

// The conversation list, a page of the API at a time as the user scrolls, with only the rows in view
// (and a few around them) in the document: an inbox of ten thousand conversations stays as quick as
// one of ten.

const PAGE = 50;
const ROW_HEIGHT = 84;

export const conversationListKey = (f: InboxFilter, contactId: string | null, text: string | null, names = false) => ['conversations', 'list', f.view, f.state, contactId, text, names] as const;

/** Who the customer is, as a row shows them: their name, else their number, else that nobody knows (without `include=contact`: the contact's id). */
function contactText(c: Conversation): string {
  if (!c.contact) return `Contact ${c.contactId}`;
  return c.contact.name ?? c.contact.phone ?? 'Unknown contact';
}

const time = (iso: string) => new Date(iso).toLocaleString();

function ownerText(c: Conversation, userId: string): string {
  if (c.owner.type === 'user') return c.owner.userId === userId ? 'yours' : 'assigned';
  return c.owner.type === 'bot' ? 'bot' : 'unassigned';
}

export function ConversationList({ filter, contactId, text = null, userId, openId, linkQuery, empty }: {
  filter: InboxFilter;
  /** When searching by phone or e-mail: the contact found, whose conversations are listed. */
  contactId: string | null;
  /** When searching by words: the conversations whose contact's name or messages hold them all. */
  text?: string | null;
  userId: string;
  openId: string | null;
  /** The filter's query string, kept on the links. */
  linkQuery: string;
  empty: string;
}) {
  // Names are personal data: asked for (and recorded by the API, once a page) only by who may read them.
  const names = useSession().data?.permissions.includes('contacts.read_pii') ?? false;
  const list = useInfiniteQuery({
    queryKey: conversationListKey(filter, contactId, text, names),
    queryFn: ({ pageParam }) => api<{ data: Conversation[]; nextCursor: string | null }>(listQuery(filter, userId, contactId, pageParam, PAGE, text, names)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const rows = list.data?.pages.flatMap((p) => p.data) ?? [];
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 6 });
  const items = virtualizer.getVirtualItems();
  const lastShown = items.length ? items[items.length - 1]!.index : -1;

  // Near the end of what is loaded: the next page.
  useEffect(() => {
    if (lastShown >= rows.length - 10 && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
  }, [lastShown, rows.length, list.hasNextPage, list.isFetchingNextPage, list.fetchNextPage]);

  if (list.isPending) return <p role="status">Loading conversations…</p>;
  if (list.error) return <ErrorNotice error={list.error} />;
  if (rows.length === 0) return <p className="empty">{empty}</p>;
  return (
    <>
      <div className="conversation-scroll" ref={scroller}>
        <ul className="conversations" aria-label="Conversations" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const c = rows[item.index]!;
            return (
              <li key={c.id} aria-setsize={list.hasNextPage ? -1 : rows.length} aria-posinset={item.index + 1} style={{ height: item.size, transform: `translateY(${item.start}px)` }}>
                <Link to={`/inbox/${c.id}${linkQuery}`} aria-current={c.id === openId ? 'true' : undefined} data-conversation-id={c.id}>
                  <span className="contact">{contactText(c)}</span>
                  <span><span className={`state state-${c.state}`}>{c.state}</span> <span className="muted">· {ownerText(c, userId)}</span></span>
                  <span className="muted">{c.waitingSince ? `waiting since ${time(c.waitingSince)}` : `last activity ${time(c.lastActivityAt)}`}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      </div>
      <p className="muted list-count" role="status">
        {list.isFetchingNextPage ? 'Loading more…' : list.hasNextPage ? `${rows.length} loaded; scroll for more` : `${rows.length} conversation${rows.length === 1 ? '' : 's'}`}
      </p>
    </>
  );
}
