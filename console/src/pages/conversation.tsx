import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.js';
import { ErrorNotice } from '../error-notice.js';
import { useSession } from '../session.js';
import { Actions, type ActionRequest } from './conversation/actions.js';
import { Composer, type ComposerHandle } from './conversation/composer.js';
import { Timeline, stillMoving } from './conversation/timeline.js';
import type { ConversationDetail, Event, Message, Note, ServiceWindow } from './conversation/types.js';
import { contactKey, type Contact } from './contacts/types.js';
import './conversation/conversation.css';

export { messageText } from './conversation/timeline.js';

export const conversationKey = (id: string) => ['conversation', id] as const;

/** How often the view asks again while a reply's delivery may still change: status changes are not on the live stream. */
const STATUS_POLL_MS = 3_000;

const SHORTCUTS: Array<[string, string]> = [
  ['r', 'Write a reply'],
  ['n', 'Write a private note'],
  ['e', 'Resolve'],
  ['s', 'Snooze'],
  ['a', 'Assign'],
  ['?', 'Show these shortcuts'],
  ['Ctrl+Enter', 'Send (in the text box)'],
];

/** Whether a key press belongs to a field being typed in (shortcuts then stay quiet). */
const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, []);
  return (
    <dialog ref={dialog} className="shortcut-help" aria-labelledby="shortcut-help-heading" onClose={onClose}>
      <h2 id="shortcut-help-heading">Keyboard shortcuts</h2>
      <dl>
        {SHORTCUTS.map(([key, what]) => <div key={key}><dt><kbd>{key}</kbd></dt><dd>{what}</dd></div>)}
      </dl>
      <p className="muted">Shortcuts do nothing while you type in a field.</p>
      <button type="button" onClick={() => dialog.current?.close()}>Close</button>
    </dialog>
  );
}

export function ConversationPanel({ id }: { id: string }) {
  const session = useSession().data;
  const permissions = session?.permissions ?? [];
  const selfId = session?.user.id ?? '';
  const conversation = useQuery({ queryKey: [...conversationKey(id), 'view'], queryFn: () => api<ConversationDetail>(`/v1/conversations/${id}`) });
  const messages = useQuery({
    queryKey: [...conversationKey(id), 'messages'],
    queryFn: () => api<{ data: Message[] }>(`/v1/conversations/${id}/messages?limit=200`).then((r) => r.data),
    refetchInterval: (query) => (query.state.data?.some(stillMoving) ? STATUS_POLL_MS : false),
  });
  const notes = useQuery({ queryKey: [...conversationKey(id), 'notes'], queryFn: () => api<{ data: Note[] }>(`/v1/conversations/${id}/notes`).then((r) => r.data) });
  const events = useQuery({ queryKey: [...conversationKey(id), 'events'], queryFn: () => api<{ data: Event[] }>(`/v1/conversations/${id}/events`).then((r) => r.data) });
  // The customer's name for the heading: the same read as the contact panel's beside it (one request).
  const contactId = conversation.data?.contactId ?? '';
  const contact = useQuery({ queryKey: contactKey(contactId), queryFn: () => api<Contact>(`/v1/contacts/${contactId}`), enabled: contactId !== '' && permissions.includes('contacts.read') });
  const window = useQuery({ queryKey: [...conversationKey(id), 'window'], queryFn: () => api<ServiceWindow>(`/v1/conversations/${id}/window`), refetchInterval: 60_000 });
  const heading = useRef<HTMLHeadingElement>(null);
  const composer = useRef<ComposerHandle>(null);
  const [help, setHelp] = useState(false);
  const [request, setRequest] = useState<ActionRequest>({ form: null, act: null, n: 0 });
  // Opening a conversation moves the focus to it, so keyboard and screen-reader users land there.
  useEffect(() => heading.current?.focus(), [id]);

  const mayReply = permissions.includes('conversations.reply');
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || document.querySelector('dialog[open]')) return;
      const ask = (r: Omit<ActionRequest, 'n'>) => setRequest((prev) => ({ ...r, n: prev.n + 1 }));
      if (e.key === '?') setHelp(true);
      else if (e.key === 'r' && mayReply) composer.current?.focus('reply');
      else if (e.key === 'n' && mayReply) composer.current?.focus('note');
      else if (e.key === 'e') ask({ form: null, act: 'resolve' });
      else if (e.key === 's') ask({ form: 'snooze', act: null });
      else if (e.key === 'a') ask({ form: 'assign', act: null });
      else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [mayReply]);

  const c = conversation.data;
  const loadError = messages.error ?? notes.error ?? events.error;
  return (
    <article aria-labelledby="conversation-heading" className="conversation-view">
      <header className="conversation-head">
        <h2 id="conversation-heading" ref={heading} tabIndex={-1}>{c ? `Conversation with ${contact.data?.name ?? contact.data?.phone ?? `contact ${c.contactId}`}` : 'Conversation'}</h2>
        <button type="button" className="link" onClick={() => setHelp(true)} aria-keyshortcuts="?">Keyboard shortcuts (?)</button>
      </header>
      {conversation.error ? <ErrorNotice error={conversation.error} /> : null}
      {c ? (
        <dl className="facts">
          <dt>State</dt><dd className={`state state-${c.state}`}>{c.state}{c.escalationReason ? ` (${c.escalationReason})` : ''}{c.snoozedUntil ? ` until ${new Date(c.snoozedUntil).toLocaleString()}` : ''}</dd>
          <dt>Owner</dt><dd>{c.owner.type === 'user' ? (c.owner.userId === selfId ? 'you' : `user ${c.owner.userId}`) : c.owner.type}</dd>
          <dt>Team</dt><dd>{c.teamId ?? 'none'}</dd>
          <dt>Cycle</dt><dd>{c.cycle}</dd>
        </dl>
      ) : null}
      {c ? <Actions c={c} permissions={permissions} selfId={selfId} request={request} /> : null}
      <h3>Messages</h3>
      {loadError ? <ErrorNotice error={loadError} /> : null}
      {messages.data && notes.data && events.data ? <Timeline messages={messages.data} notes={notes.data} events={events.data} selfId={selfId} /> : null}
      {c && !c.current ? (
        <p className="muted">This conversation has ended: the customer's current conversation with this number takes replies.</p>
      ) : c ? (
        <Composer ref={composer} conversationId={id} window={window.data} canReply={mayReply} onSent={() => void window.refetch()} />
      ) : null}
      {window.error ? <ErrorNotice error={window.error} /> : null}
      {help ? <ShortcutHelp onClose={() => setHelp(false)} /> : null}
    </article>
  );
}
