import type { TeamFilter } from '../access/team-scope.js';
import type { ConversationEvent } from './conversation-store.js';
import { presentEvent } from './conversation-view.js';
import type { StreamNotice } from './stream-notices.js';

/** What the stream carries: conversation events and notices (`stream-notices.ts`), in one sequence. */
export type StreamItem = ConversationEvent | StreamNotice;

const isNotice = (item: StreamItem): item is StreamNotice => 'permission' in item;

/**
 * The live stream's wire format and rules, as pure functions (`stream-hub.ts` does the I/O).
 *
 * Terminology: an *event* is one entry of a workspace's conversation history (`conversation_events`),
 * its `seq` the event's `id:` on the stream; a *cursor* is the last seq a client has received.
 */

/** How long a quiet stream waits before sending a comment, so proxies and browsers keep it open. */
export const HEARTBEAT_MS = 15_000;
/** What an EventSource waits before reconnecting after the server closed the stream. */
export const RECONNECT_MS = 1_000;

/** One server-sent event: `id:` the seq, `event:` the type, `data:` the event as the API shows it (ids and states, never words). */
export function eventFrame(event: ConversationEvent): string {
  return `id: ${event.seq}\nevent: ${event.type}\ndata: ${JSON.stringify(presentEvent(event))}\n\n`;
}

/** A notice's frame: `id:` its seq, `event:` its type, `data:` its ids and states. */
export const noticeFrame = (notice: StreamNotice): string => `id: ${notice.seq}\nevent: ${notice.type}\ndata: ${JSON.stringify(notice.data)}\n\n`;

export const itemFrame = (item: StreamItem): string => (isNotice(item) ? noticeFrame(item) : eventFrame(item));

/** Whether a client receives an item: a conversation event by its team filter, a notice by its permission. */
export function itemShows(client: { filter: TeamFilter; permissions?: ReadonlySet<string> }, item: StreamItem): boolean {
  return isNotice(item) ? client.permissions?.has(item.permission) === true : streamShows(client.filter, item);
}

/** The first bytes of a stream: the reconnect delay, and a comment that makes the headers leave at once. */
export const openingFrame = `retry: ${RECONNECT_MS}\n: stream open\n\n`;
export const heartbeatFrame = ': heartbeat\n\n';

/**
 * Whether a client with this team filter receives the event. An event carries the conversation's team
 * after the change (`transitions.ts`), so a transfer from team A to team B is seen by B and not by A;
 * an event of a conversation no team holds yet only by principals who are not limited to teams.
 */
export function streamShows(filter: TeamFilter, event: Pick<ConversationEvent, 'teamId'>): boolean {
  if (filter.kind === 'all') return true;
  return filter.kind === 'teams' && event.teamId !== null && filter.teamIds.includes(event.teamId);
}

const SEQ = /^(0|[1-9]\d{0,15})$/;

/**
 * Where a stream starts: after the `Last-Event-ID` header (what EventSource sends when it reconnects),
 * else after `?after=` (for clients that cannot set headers on the first connect), else at the head
 * (`null`: only what happens from now). An id that is not a whole number is refused.
 */
export function streamCursor(lastEventId: string | string[] | undefined, after: number | undefined): { ok: true; after: number | null } | { ok: false } {
  if (lastEventId !== undefined) {
    const value = Array.isArray(lastEventId) ? lastEventId[lastEventId.length - 1]! : lastEventId;
    const trimmed = value.trim();
    if (!SEQ.test(trimmed) || !Number.isSafeInteger(Number(trimmed))) return { ok: false };
    return { ok: true, after: Number(trimmed) };
  }
  return { ok: true, after: after ?? null };
}
