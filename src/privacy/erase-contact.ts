import { sql } from 'kysely';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { newId } from '../shared/ids.js';
import { resolveContact } from '../contacts/contact-queries.js';
import { eraseContactFields } from '../contacts/erasure.js';
import { contactMessageRefs, scrubContactMessages } from '../messages/erasure.js';
import { deletePendingStatusesOf, dropQueuedDomainEventsAbout, scrubMediaOf } from '../webhooks/erasure.js';
import { scrubEventPayloadsAbout } from '../events/erasure.js';
import { deleteUploadsOf } from '../uploads/erasure.js';
import { eraseSurveyComments } from '../conversations/erasure.js';
import { eraseBotRuns } from '../bot/erasure.js';
import { eraseSearchTermsOf } from '../search/erasure.js';
import { countConsentRecords, destroyConsentProofs } from '../consent/erasure.js';
import type { Actor } from '../access/actor.js';

export interface ErasureRecord {
  id: string;
  contactId: string;
  actor: Actor;
  erasedAt: number;
  detail: { contacts: number; messagesScrubbed: number; mediaScrubbed: number; eventsScrubbed: number; consentProofsDestroyed: number; consentRecordsKept: number };
}

const CHUNK = 500;

/**
 * Erases a person on request: the contact and every contact merged into it.
 *
 * Destroyed: name, phone, wa_id, e-mail and their lookup hashes, time zone, attributes, tags (and
 * their search rows), every message body (`content`) and provider message id (sealed and hashed: it
 * carries the number), statuses held for their messages, the media files of their messages, the
 * files uploaded to send in their messages (deleted: `uploads/erasure.ts`; counted in `mediaScrubbed`), the
 * payloads of event-webhook deliveries about them, domain events still queued about them, what the
 * bot collected from them (its runs' sealed state and pending effects; a run under way stops), the
 * search index's term hashes of their name and their messages' words, and the consent proofs (IPs, user agents).
 * Kept, without personal data: the contact row (id, country, timestamps, `erased_at`), message rows
 * (status, timestamps, lane: aggregate counts stay right), service-window timestamps, and the
 * consent ledger rows (purpose, channel, status, time), which are the evidence that the person
 * consented or withdrew and are not personal once the contact is erased. The erasure itself is
 * logged in `contact_erasures` with counts only.
 *
 * On SQLite, `secure_delete` (set when the database is opened) zeroes the freed bytes, and a
 * TRUNCATE checkpoint after the erasure moves the new pages into the database file and empties the
 * WAL, so the old values are gone from both files. On PostgreSQL the old row versions stay in the
 * table files until autovacuum reclaims and reuses their space.
 * Not rewritten: the raw webhook log (`webhook_log`), whose deliveries mix many customers: bodies are
 * sealed (AES-256-GCM under a key derived from the master key), outcome keys name provider ids only by
 * a keyed hash, and rows are deleted after PARLEY_WEBHOOK_LOG_RETENTION_DAYS (7 by default).
 * Erasing an erased contact returns the first erasure (idempotent).
 */
export async function eraseContact(ctx: ParleyContext, input: { workspaceId: string; contactId: string; actor: Actor }): Promise<ErasureRecord> {
  const { workspaceId, contactId, actor } = input;
  const resolved = await resolveContact(ctx.db, workspaceId, contactId);
  if (!resolved) throw new ParleyError('CONTACT_NOT_FOUND');
  if (resolved.erasedAt !== null) {
    const prior = await ctx.db.selectFrom('contact_erasures').selectAll().where('workspace_id', '=', workspaceId).where('contact_id', '=', resolved.id).orderBy('erased_at').executeTakeFirst();
    if (prior) return toErasure(prior);
  }
  const now = ctx.clock.now();
  const members = resolved.memberIds;
  const erasure = await ctx.db.transaction().execute(async (trx) => {
    let messagesScrubbed = 0;
    let mediaScrubbed = 0;
    let eventsScrubbed = 0;
    let consentProofsDestroyed = 0;
    for (let i = 0; i < members.length; i += CHUNK) {
      const ids = members.slice(i, i + CHUNK);
      await eraseContactFields(trx, workspaceId, ids, now);
      const theirMessages = contactMessageRefs(trx, workspaceId, ids);
      // Statuses held for their messages name the provider ids: gone with them.
      await deletePendingStatusesOf(trx, theirMessages);
      messagesScrubbed += await scrubContactMessages(trx, workspaceId, ids, now);
      mediaScrubbed += await scrubMediaOf(trx, workspaceId, theirMessages.ids, now);
      // Files uploaded to send to them (`mediaId`) are deleted, wherever else they were sent.
      mediaScrubbed += await deleteUploadsOf(trx, workspaceId, theirMessages.ids);
      // Survey comments are the customer's words too; the scores stay.
      await eraseSurveyComments(trx, workspaceId, ids);
      // What the bot collected from them (its runs' variables and effects not yet carried out); the measures stay.
      await eraseBotRuns(trx, workspaceId, ids, now);
      // The search index's hashes of their name's terms and of their messages' words.
      await eraseSearchTermsOf(trx, workspaceId, ids);
      // Event payloads are JSON naming the contact; theirs are emptied, and domain events still
      // queued about them (their words sealed) are dropped.
      for (const id of ids) {
        await dropQueuedDomainEventsAbout(trx, id);
        eventsScrubbed += await scrubEventPayloadsAbout(trx, workspaceId, id);
      }
      consentProofsDestroyed += await destroyConsentProofs(trx, workspaceId, ids);
    }
    const consentRecordsKept = await countConsentRecords(trx, workspaceId, members);
    const row = {
      id: newId('era', now),
      workspace_id: workspaceId,
      contact_id: resolved.id,
      actor: JSON.stringify(actor),
      erased_at: now,
      detail: JSON.stringify({ contacts: members.length, messagesScrubbed, mediaScrubbed, eventsScrubbed, consentProofsDestroyed, consentRecordsKept }),
    };
    await trx.insertInto('contact_erasures').values(row).execute();
    return row;
  });
  if (ctx.store.dialect === 'sqlite') {
    const result = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(ctx.db);
    if (result.rows[0]?.busy) ctx.logger.warn({ contactId: resolved.id }, 'erasure: the WAL checkpoint was busy; old page images leave the WAL at the next checkpoint');
  }
  ctx.logger.info({ contactId: resolved.id, erasureId: erasure.id }, 'contact erased');
  return toErasure(erasure);
}

function toErasure(row: { id: string; contact_id: string; actor: string; erased_at: number; detail: string }): ErasureRecord {
  return { id: row.id, contactId: row.contact_id, actor: JSON.parse(row.actor) as Actor, erasedAt: row.erased_at, detail: JSON.parse(row.detail) as ErasureRecord['detail'] };
}

export async function listErasures(ctx: ParleyContext, workspaceId: string, contactIds: readonly string[]): Promise<ErasureRecord[]> {
  if (contactIds.length === 0) return [];
  const rows = await ctx.db.selectFrom('contact_erasures').selectAll().where('workspace_id', '=', workspaceId).where('contact_id', 'in', contactIds).orderBy('erased_at').execute();
  return rows.map(toErasure);
}
