import type { Db } from '../db/database.js';

export type MessageEventKind = 'status' | 'decision' | 'attempt' | 'error' | 'pricing' | 'note';

export interface MessageEventInput {
  messageId: string;
  kind: MessageEventKind;
  status?: string | null;
  at: number;
  detail?: Record<string, unknown>;
}

/** Appends history rows (statuses, gate decisions, attempts) in one insert. */
export async function appendMessageEvents(db: Db, events: MessageEventInput[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('message_events')
    .values(events.map((e) => ({ message_id: e.messageId, kind: e.kind, status: e.status ?? null, at: e.at, detail: JSON.stringify(e.detail ?? {}) })))
    .execute();
}

export interface MessageEvent {
  kind: string;
  status: string | null;
  at: number;
  detail: Record<string, unknown>;
}

export async function listMessageEvents(db: Db, messageId: string): Promise<MessageEvent[]> {
  const rows = await db.selectFrom('message_events').select(['kind', 'status', 'at', 'detail']).where('message_id', '=', messageId).orderBy('seq').execute();
  return rows.map((r) => ({ kind: r.kind, status: r.status, at: r.at, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}

/** The stored details (JSON) of a message's events of one kind, in no particular order. */
export async function eventDetailsOf(db: Db, messageId: string, kind: string): Promise<string[]> {
  const rows = await db.selectFrom('message_events').select('detail').where('message_id', '=', messageId).where('kind', '=', kind).execute();
  return rows.map((r) => r.detail);
}
