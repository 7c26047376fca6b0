import type { Db } from '../db/database.js';

/** Some contacts' messages as stored (body still sealed), oldest first, for an export of their data. */
export async function listContactMessages(db: Db, workspaceId: string, contactIds: readonly string[]) {
  return db
    .selectFrom('messages')
    .select(['id', 'contact_id', 'direction', 'channel', 'type', 'lane', 'intent', 'template_name', 'template_language', 'status', 'status_at', 'created_at', 'error_code', 'content'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', 'in', contactIds)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The history rows of some messages, in the order they were written. */
export async function listEventsOfMessages(db: Db, messageIds: readonly string[]) {
  return db.selectFrom('message_events').select(['message_id', 'kind', 'status', 'at', 'detail']).where('message_id', 'in', messageIds).orderBy('seq').execute();
}

/**
 * Where a page of a contact's timeline ends (`privacy/contact-timeline.ts`): rows strictly before `at`
 * (`tie: false`), at or before it (`tie: true`), or before it and, at `at` itself, those with an id below
 * `tie` (a string: the id, or for a status change its seq as digits).
 */
export interface TimelineBound {
  at: number;
  tie: boolean | string;
}

/** Some contacts' messages (no body), newest first, before `before`: a page of their timeline. */
export async function contactMessagesBefore(db: Db, workspaceId: string, contactIds: readonly string[], before: TimelineBound | undefined, limit: number) {
  if (contactIds.length === 0) return [];
  let q = db
    .selectFrom('messages')
    .select(['id', 'sender_id', 'direction', 'type', 'template_name', 'status', 'created_at', 'error_code'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', 'in', contactIds);
  if (before) {
    const { at, tie } = before;
    if (typeof tie === 'string') q = q.where((eb) => eb.or([eb('created_at', '<', at), eb.and([eb('created_at', '=', at), eb('id', '<', tie)])]));
    else q = q.where('created_at', tie ? '<=' : '<', at);
  }
  return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** The status changes of some contacts' messages, newest first, before `before`: a page of their timeline. */
export async function contactStatusChangesBefore(db: Db, workspaceId: string, contactIds: readonly string[], before: TimelineBound | undefined, limit: number) {
  if (contactIds.length === 0) return [];
  let q = db
    .selectFrom('message_events as e')
    .innerJoin('messages as m', 'm.id', 'e.message_id')
    .select(['e.seq', 'e.message_id', 'e.status', 'e.at', 'm.direction', 'm.type'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.contact_id', 'in', contactIds)
    .where('e.kind', '=', 'status');
  if (before) {
    const { at, tie } = before;
    if (typeof tie === 'string') {
      const seq = Number(tie);
      q = q.where((eb) => eb.or([eb('e.at', '<', at), eb.and([eb('e.at', '=', at), eb('e.seq', '<', seq)])]));
    } else q = q.where('e.at', tie ? '<=' : '<', at);
  }
  const rows = await q.orderBy('e.at', 'desc').orderBy('e.seq', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq), at: Number(r.at) }));
}
