import type { Db } from '../db/database.js';
import { ParleyError } from '../errors/parley-error.js';
import type { TeamFilter } from '../access/team-scope.js';
import { resolveContact } from '../contacts/contact-queries.js';
import { contactMessagesBefore, contactStatusChangesBefore, type TimelineBound } from '../messages/contact-export.js';
import { consentRecordsBefore } from '../consent/ledger-queries.js';
import type { Actor } from '../consent/types.js';
import { contactConversationsBefore } from '../conversations/conversation-store.js';

/**
 * A contact's timeline: its messages, their status changes, its consent records and its conversations
 * (of the contact and the contacts merged into it), newest first, merged from each owner's own query.
 * No message body and no consent proof: what happened and when, not what was said.
 */
export type TimelineItem =
  | { kind: 'message'; at: number; id: string; senderId: string | null; direction: string; type: string; status: string; templateName: string | null; errorCode: string | null }
  | { kind: 'status'; at: number; id: string; messageId: string; seq: number; status: string; direction: string; type: string }
  | { kind: 'consent'; at: number; id: string; purpose: string; channel: string; status: string; source: string; actor: Actor }
  | { kind: 'conversation'; at: number; id: string; senderId: string; state: string; cycle: number; teamId: string | null; endedAt: number | null };

/**
 * At one instant, items come in this order (newest first: highest rank first): a consent record, a
 * status change, a conversation, then the message that may have opened it.
 */
const RANK: Record<TimelineItem['kind'], number> = { message: 0, conversation: 1, status: 2, consent: 3 };

/** The id that orders items of one kind at one instant: the seq (as digits) for a status change. */
const tieOf = (item: TimelineItem): string => (item.kind === 'status' ? String(item.seq) : item.id);

/** Where a page ends: the last item's time, kind and id. Opaque to clients. */
interface Cursor {
  at: number;
  rank: number;
  tie: string;
}

const encodeCursor = (item: TimelineItem): string => Buffer.from(`tl:${item.at}:${RANK[item.kind]}:${tieOf(item)}`).toString('base64url');

function decodeCursor(cursor: string): Cursor {
  const match = /^tl:(0|[1-9][0-9]{0,15}):([0-3]):([A-Za-z0-9_]{1,64})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const statusTie = match && Number(match[2]) === RANK.status ? /^[0-9]{1,15}$/.test(match[3]!) : true;
  if (!match || !Number.isSafeInteger(Number(match[1])) || !statusTie) throw new ParleyError('CURSOR_INVALID', { field: '/cursor' });
  return { at: Number(match[1]), rank: Number(match[2]), tie: match[3]! };
}

/** The bound of one kind's query for the page after `cursor`: a kind ranked below the cursor's still has its items at that instant. */
function boundFor(kind: TimelineItem['kind'], cursor: Cursor | undefined): TimelineBound | undefined {
  if (!cursor) return undefined;
  const rank = RANK[kind];
  if (rank === cursor.rank) return { at: cursor.at, tie: cursor.tie };
  return { at: cursor.at, tie: rank < cursor.rank };
}

/** Newest first; at one instant the higher rank first; then the higher id (or seq). */
function compare(a: TimelineItem, b: TimelineItem): number {
  if (a.at !== b.at) return b.at - a.at;
  if (a.kind !== b.kind) return RANK[b.kind] - RANK[a.kind];
  if (a.kind === 'status' && b.kind === 'status') return b.seq - a.seq;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export async function contactTimeline(
  db: Db,
  workspaceId: string,
  contactId: string,
  q: { limit: number; cursor?: string; teams: TeamFilter; conversations: boolean },
): Promise<{ contactId: string; data: TimelineItem[]; nextCursor: string | null }> {
  const cursor = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
  const contact = await resolveContact(db, workspaceId, contactId);
  if (!contact) throw new ParleyError('CONTACT_NOT_FOUND');
  const members = contact.memberIds;
  const take = q.limit + 1;
  const [messages, statuses, records, conversations] = await Promise.all([
    contactMessagesBefore(db, workspaceId, members, boundFor('message', cursor), take),
    contactStatusChangesBefore(db, workspaceId, members, boundFor('status', cursor), take),
    consentRecordsBefore(db, workspaceId, members, boundFor('consent', cursor), take),
    q.conversations ? contactConversationsBefore(db, workspaceId, members, q.teams, boundFor('conversation', cursor), take) : Promise.resolve([]),
  ]);
  const items: TimelineItem[] = [
    ...messages.map((m): TimelineItem => ({
      kind: 'message', at: Number(m.created_at), id: m.id, senderId: m.sender_id, direction: m.direction, type: m.type, status: m.status, templateName: m.template_name, errorCode: m.error_code,
    })),
    ...statuses.map((s): TimelineItem => ({ kind: 'status', at: s.at, id: `${s.message_id}:${s.seq}`, messageId: s.message_id, seq: s.seq, status: s.status ?? 'unknown', direction: s.direction, type: s.type })),
    ...records.map((r): TimelineItem => ({ kind: 'consent', at: Number(r.effectiveAt), id: r.id, purpose: r.purpose, channel: r.channel, status: r.status, source: r.source, actor: r.actor })),
    ...conversations.map((c): TimelineItem => ({ kind: 'conversation', at: c.createdAt, id: c.id, senderId: c.senderId, state: c.state, cycle: c.cycle, teamId: c.teamId, endedAt: c.endedAt })),
  ].sort(compare);
  const page = items.slice(0, q.limit);
  return { contactId: contact.id, data: page, nextCursor: items.length > q.limit ? encodeCursor(page.at(-1)!) : null };
}
