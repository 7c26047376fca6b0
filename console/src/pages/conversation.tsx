import { useEffect, useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, type Conversation, type ConversationEvent, type TimelineMessage } from '../api.js';
import { ErrorNotice } from '../error-notice.js';

export const conversationKey = (id: string) => ['conversation', id] as const;

const time = (iso: string) => new Date(iso).toLocaleString();

/**
 * The words of a message when the API shows its content and the role may read it: a customer's text,
 * caption, tapped reply or button (the normalized inbound content), or a reply's text or caption (the
 * message as it was sent).
 */
export function messageText(m: TimelineMessage): string | null {
  const content = m.content as Record<string, any> | null;
  if (!content) return null;
  const candidates = [content.text, content.text?.body, content.caption, content.reply?.title, content.button?.text, content.flowReply?.body, content[m.type]?.caption];
  const words = candidates.find((c) => typeof c === 'string' && c !== '');
  return typeof words === 'string' ? words : null;
}

export function ConversationPanel({ id }: { id: string }) {
  const conversation = useQuery({ queryKey: [...conversationKey(id), 'view'], queryFn: () => api<Conversation>(`/v1/conversations/${id}`) });
  const messages = useQuery({ queryKey: [...conversationKey(id), 'messages'], queryFn: () => api<{ data: TimelineMessage[] }>(`/v1/conversations/${id}/messages?limit=200`).then((r) => r.data) });
  const events = useQuery({ queryKey: [...conversationKey(id), 'events'], queryFn: () => api<{ data: ConversationEvent[] }>(`/v1/conversations/${id}/events`).then((r) => r.data) });
  const heading = useRef<HTMLHeadingElement>(null);
  // Opening a conversation moves the focus to it, so keyboard and screen-reader users land there.
  useEffect(() => heading.current?.focus(), [id]);

  const c = conversation.data;
  return (
    <article aria-labelledby="conversation-heading">
      <h2 id="conversation-heading" ref={heading} tabIndex={-1}>{c ? `Conversation with contact ${c.contactId}` : 'Conversation'}</h2>
      {conversation.error ? <ErrorNotice error={conversation.error} /> : null}
      {c ? (
        <dl className="facts">
          <dt>State</dt><dd>{c.state}{c.escalationReason ? ` (${c.escalationReason})` : ''}</dd>
          <dt>Owner</dt><dd>{c.owner.type === 'user' ? `user ${c.owner.userId}` : c.owner.type}</dd>
          <dt>Team</dt><dd>{c.teamId ?? 'none'}</dd>
          <dt>Cycle</dt><dd>{c.cycle}</dd>
        </dl>
      ) : null}
      <h3>Messages</h3>
      {messages.error ? <ErrorNotice error={messages.error} /> : null}
      {messages.data?.length === 0 ? <p className="empty">No messages in this conversation yet.</p> : null}
      {messages.data?.length ? (
        <ol className="timeline" aria-label="Messages">
          {messages.data.map((m) => {
            const text = messageText(m);
            return (
              <li key={m.id} className={`message ${m.direction}`}>
                <p className="meta">
                  <span>{m.direction === 'inbound' ? 'Customer' : m.author ?? 'Business'}</span> · <span>{m.templateName ? `template ${m.templateName}` : m.type}</span> · <span>{m.status}</span> · <time dateTime={m.createdAt}>{time(m.createdAt)}</time>
                </p>
                {text !== null ? <p className="text">{text}</p> : <p className="muted">{m.content ? `(${m.type} message)` : '(content hidden: your role does not read message content)'}</p>}
              </li>
            );
          })}
        </ol>
      ) : null}
      <h3>History</h3>
      {events.error ? <ErrorNotice error={events.error} /> : null}
      {events.data?.length ? (
        <ol className="events" aria-label="History">
          {events.data.map((e) => (
            <li key={e.seq}><time dateTime={e.at}>{time(e.at)}</time> {e.type.replace(/^conversation\./, '').replace(/_/g, ' ')} by {e.actor}{e.reason ? `: ${e.reason}` : ''}</li>
          ))}
        </ol>
      ) : null}
    </article>
  );
}
