import type { ReactNode } from 'react';
import { explainFailure } from './failure.js';
import type { Event, Message, Note } from './types.js';

const time = (iso: string) => new Date(iso).toLocaleString();

/** Who acted, as the history names them: `user:<id>`, `key:<id>`, `bot`, `contact`, `system`. */
export function actorName(actor: string, selfId: string | null): string {
  if (selfId && actor === `user:${selfId}`) return 'you';
  if (actor.startsWith('user:')) return `user ${actor.slice(5)}`;
  if (actor.startsWith('key:')) return `API key ${actor.slice(4)}`;
  if (actor === 'contact') return 'the customer';
  return `the ${actor}`;
}

/** The words of a message: a customer's text, caption, tapped reply or button, or a reply's text or caption as it was sent. */
export function messageText(m: Pick<Message, 'content' | 'type'>): string | null {
  const content = m.content as Record<string, any> | null;
  if (!content) return null;
  const payload = content.payload as Record<string, any> | undefined;
  const candidates = [content.text, content.text?.body, content.caption, content.reply?.title, content.button?.text, content.flowReply?.body, content[m.type]?.caption, payload?.body, payload?.caption];
  const words = candidates.find((c) => typeof c === 'string' && c !== '');
  return typeof words === 'string' ? words : null;
}

/** The parameter values a template message was sent with, in order. */
function templateValues(m: Message): string[] {
  const payload = (m.content as Record<string, any> | null)?.payload ?? (m.content as Record<string, any> | null)?.template;
  const components = Array.isArray(payload?.components) ? payload.components : [];
  return components.flatMap((c: any) => (Array.isArray(c?.parameters) ? c.parameters : [])).map((p: any) => p?.text ?? p?.payload ?? p?.coupon_code ?? '').filter((v: unknown) => typeof v === 'string' && v !== '');
}

/**
 * The file of an outbound image or document: a Parley upload (`mediaId`, read back through
 * `GET /v1/media/{id}/content`) or a public link. Null for any other message.
 */
export function sentMediaOf(m: Pick<Message, 'content' | 'type' | 'direction'>): { src: string; caption: string | null; filename: string } | null {
  const content = m.content as Record<string, any> | null;
  if (m.direction !== 'outbound' || !content || (m.type !== 'image' && m.type !== 'document')) return null;
  const payload = (content.payload ?? content[m.type]) as Record<string, any> | undefined;
  const src = typeof payload?.mediaId === 'string' ? `/v1/media/${encodeURIComponent(payload.mediaId)}/content` : typeof payload?.link === 'string' ? payload.link : null;
  if (!src) return null;
  return { src, caption: typeof payload?.caption === 'string' && payload.caption ? payload.caption : null, filename: typeof payload?.filename === 'string' && payload.filename ? payload.filename : 'document' };
}

function SentMedia({ m }: { m: Message }) {
  const media = sentMediaOf(m);
  if (!media) return null;
  if (m.type === 'image') return <figure className="sent-media"><img src={media.src} alt={media.caption ? `Image sent: ${media.caption}` : 'Image sent'} loading="lazy" /></figure>;
  return <p className="sent-media"><a href={media.src} target="_blank" rel="noreferrer">📄 {media.filename}</a></p>;
}

const TICKS: Record<string, { mark: string; label: string }> = {
  scheduled: { mark: '🕓', label: 'Scheduled' },
  queued: { mark: '🕓', label: 'Sending' },
  sending: { mark: '🕓', label: 'Sending' },
  accepted: { mark: '🕓', label: 'Sending' },
  sent: { mark: '✓', label: 'Sent' },
  delivered: { mark: '✓✓', label: 'Delivered' },
  read: { mark: '✓✓', label: 'Read' },
  failed: { mark: '⚠', label: 'Failed' },
  refused: { mark: '⚠', label: 'Not sent' },
  expired: { mark: '⚠', label: 'Expired' },
  cancelled: { mark: '✕', label: 'Cancelled' },
};
const FAILED = new Set(['failed', 'refused', 'expired']);

/** Whether a message's status may still change (the view asks again for it: status changes are not on the live stream). */
export const stillMoving = (m: Message) => m.direction === 'outbound' && !FAILED.has(m.status) && m.status !== 'read' && m.status !== 'cancelled';

function Ticks({ m }: { m: Message }) {
  const tick = TICKS[m.status] ?? { mark: '', label: m.status };
  return (
    <span className={`ticks status-${m.status}`} data-status={m.status}>
      <span aria-hidden="true" className="mark">{tick.mark}</span> {tick.label}
    </span>
  );
}

/** One line of the history: what changed, who did it, why. */
export function describeEvent(e: Event, selfId: string | null): ReactNode | null {
  const by = actorName(e.actor, selfId);
  const d = e.data;
  switch (e.type) {
    case 'conversation.opened': return 'Conversation opened';
    case 'conversation.assigned': return d.take ? `Taken by ${by}` : `Assigned to ${actorName(`user:${String(d.userId)}`, selfId)} by ${by}`;
    case 'conversation.released': return `Released to the team's queue by ${by}`;
    case 'conversation.transferred': return `Transferred${d.teamId ? ` to team ${String(d.teamId)}` : ''}${d.userId ? ` and user ${String(d.userId)}` : ''} by ${by}`;
    case 'conversation.escalated': return `Escalated by ${by}${e.reason ? `: ${e.reason}` : ''}`;
    case 'conversation.snoozed': return `Snoozed by ${by} ${typeof d.until === 'number' ? `until ${new Date(d.until).toLocaleString()}` : 'until the customer writes'}`;
    case 'conversation.woke': return 'Snooze ended';
    case 'conversation.resolved': return `Resolved by ${by}`;
    case 'conversation.reopened': return `Reopened by ${by} (cycle ${String(d.cycle)})`;
    case 'conversation.handed_off': return `The bot handed the conversation to a person${e.reason ? `: ${e.reason}` : ''}`;
    case 'conversation.bot_took': return 'The bot took the conversation';
    case 'conversation.labeled': return `Labels set by ${by}: ${Array.isArray(d.labels) && d.labels.length ? d.labels.join(', ') : 'none'}`;
    case 'conversation.sla_near_breach': return 'Close to breaching its response target';
    case 'conversation.sla_breached': return 'Breached its response target';
    // Messages and notes are shown as themselves.
    case 'conversation.message_in': case 'conversation.message_out': case 'conversation.note': case 'conversation.mentioned': return null;
    default: return `${e.type.replace(/^conversation\./, '').replace(/_/g, ' ')} by ${by}${e.reason ? `: ${e.reason}` : ''}`;
  }
}

type Entry = { at: string; key: string; node: ReactNode };

export function Timeline({ messages, notes, events, selfId }: { messages: Message[]; notes: Note[]; events: Event[]; selfId: string | null }) {
  const entries: Entry[] = [];
  for (const m of messages) {
    const text = messageText(m);
    const values = m.templateName ? templateValues(m) : [];
    entries.push({
      at: m.createdAt,
      key: `m:${m.id}`,
      node: (
        <li className={`message ${m.direction}`} data-message-id={m.id}>
          <p className="meta">
            <span>{m.direction === 'inbound' ? 'Customer' : m.author ? actorName(m.author, selfId) : 'Business'}</span> · <span>{m.templateName ? `template ${m.templateName}` : m.type}</span> · <time dateTime={m.createdAt}>{time(m.createdAt)}</time>
          </p>
          <SentMedia m={m} />
          {text !== null ? <p className="text">{text}</p> : null}
          {text === null && m.templateName ? <p className="text">{values.length ? `Template ${m.templateName} with ${values.join(', ')}` : `Template ${m.templateName}`}</p> : null}
          {text === null && !m.templateName && !sentMediaOf(m) ? <p className="muted">{m.content ? `(${m.type} message)` : '(content hidden: your role does not read message content)'}</p> : null}
          {m.direction === 'outbound' ? <p className="delivery"><Ticks m={m} /></p> : null}
          {m.direction === 'outbound' && FAILED.has(m.status) ? (
            <p className="failure">
              <strong>Why:</strong> {explainFailure(m.error)}{m.error?.code ? <span className="muted"> (error {m.error.code})</span> : null}
            </p>
          ) : null}
        </li>
      ),
    });
  }
  for (const n of notes) {
    const bot = n.author === 'bot';
    entries.push({
      at: n.createdAt,
      key: `n:${n.id}`,
      node: (
        <li className="note">
          <p className="meta"><span>{bot ? 'Bot\'s hand-off summary' : `Private note by ${actorName(n.author, selfId)}`}</span> · <time dateTime={n.createdAt}>{time(n.createdAt)}</time></p>
          <p className="text">{n.text}</p>
        </li>
      ),
    });
  }
  for (const e of events) {
    const words = describeEvent(e, selfId);
    if (words === null) continue;
    entries.push({ at: e.at, key: `e:${e.seq}`, node: <li className="event"><time dateTime={e.at}>{time(e.at)}</time> {words}</li> });
  }
  // Oldest first; at the same instant, in the order added (messages, notes, then the history).
  const ordered = entries.map((entry, i) => ({ entry, i })).sort((a, b) => Date.parse(a.entry.at) - Date.parse(b.entry.at) || a.i - b.i);
  if (ordered.length === 0) return <p className="empty">No messages in this conversation yet.</p>;
  return (
    <ol className="timeline" aria-label="Messages">
      {ordered.map(({ entry }) => <EntryItem key={entry.key}>{entry.node}</EntryItem>)}
    </ol>
  );
}

const EntryItem = ({ children }: { children: ReactNode }) => <>{children}</>;
