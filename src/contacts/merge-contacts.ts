import type { Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { moveWindowsOnMerge } from '../conversations/window-queries.js';
import { moveConversationsOnMerge } from '../conversations/conversation-store.js';
import { moveMessagesToContact } from '../messages/move-to-contact.js';
import { ParleyError } from '../errors/parley-error.js';
import { newId } from '../shared/ids.js';
import type { Actor } from '../access/actor.js';
import { replaceContactIndexes } from './contact-indexes.js';
import { decryptContact, openJsonColumn, sealJsonColumn, type Contact } from './contact.js';
import { checkAttributes, checkTags, type AttributeValue } from './contact-input.js';
import type { ContactsTable } from './tables.js';

export interface MergeOutcome {
  mergeId: string;
  survivor: Contact;
  mergedId: string;
  moved: { messages: number; serviceWindows: number; members: number };
}

/**
 * Folds contact `mergedId` into `survivorId` (one person found twice). Both histories are kept:
 * - messages move to the survivor (their rows are unchanged otherwise), so every timeline query by
 *   contact id sees both histories;
 * - service windows move, keeping the later last-inbound time per sender;
 * - consent records do NOT move (the ledger is append-only): the survivor's consent is derived from
 *   its own records and those of every contact merged into it (`resolveContact().memberIds`);
 * - the merged contact keeps its row and its personal fields, with `merged_into` set; lookups by its
 *   phone, wa_id or id follow that to the survivor. Contacts merged into it earlier now point at the
 *   survivor directly (chains stay one hop);
 * - the survivor keeps its own fields and takes the merged contact's where it has none; tags are
 *   united, attributes combined (the survivor's win);
 * - `contact_merges` records who merged them, when, and what moved.
 */
export async function mergeContacts(db: Db, keyring: Keyring, workspaceId: string, input: { survivorId: string; mergedId: string; actor: Actor }, now = Date.now()): Promise<MergeOutcome> {
  const { survivorId, mergedId, actor } = input;
  if (survivorId === mergedId) throw new ParleyError('CONTACT_MERGE_INVALID', { message: 'A contact cannot be merged into itself.', field: '/contactId' });
  const mergeId = newId('mrg', now);
  // Tags and attributes are encrypted: they are opened, combined and sealed again before the
  // transaction (on SQLite a data-key lookup inside it would wait behind it). The transaction checks
  // that neither contact's lists changed meanwhile; if one did, the merge starts over.
  for (let attempt = 1; ; attempt++) {
    const lists = await combinedLists(db, keyring, workspaceId, survivorId, mergedId);
    try {
      return await mergeOnce(db, keyring, workspaceId, { survivorId, mergedId, actor, mergeId, lists }, now);
    } catch (error) {
      if (!(error instanceof ListsChanged) || attempt >= 3) throw error;
    }
  }
}

class ListsChanged extends Error {}

interface CombinedLists {
  /** The stored (sealed) lists the combination was made from, to detect a concurrent change. */
  seen: Map<string, { tags: string; attributes: string }>;
  tags: string[];
  attributes: Record<string, AttributeValue>;
  sealed: { tags: string; attributes: string };
}

async function combinedLists(db: Db, keyring: Keyring, workspaceId: string, survivorId: string, mergedId: string): Promise<CombinedLists | undefined> {
  const rows = await db.selectFrom('contacts').select(['id', 'tags', 'attributes']).where('workspace_id', '=', workspaceId).where('id', 'in', [survivorId, mergedId]).execute();
  const survivorRow = rows.find((r) => r.id === survivorId);
  const mergedRow = rows.find((r) => r.id === mergedId);
  if (!survivorRow || !mergedRow) return undefined;
  const open = async (row: { tags: string; attributes: string }) => ({
    tags: await openJsonColumn<string[]>(keyring, workspaceId, row.tags),
    attributes: await openJsonColumn<Record<string, AttributeValue>>(keyring, workspaceId, row.attributes),
  });
  const survivor = await open(survivorRow);
  const merged = await open(mergedRow);
  const tagsChecked = checkTags([...survivor.tags, ...merged.tags]);
  const attributesChecked = checkAttributes({ ...merged.attributes, ...survivor.attributes });
  // Over the limits, the survivor's own list is kept rather than failing the merge.
  const tags = tagsChecked.ok ? tagsChecked.value : survivor.tags;
  const attributes = attributesChecked.ok ? attributesChecked.value : survivor.attributes;
  return {
    seen: new Map(rows.map((r) => [r.id, { tags: r.tags, attributes: r.attributes }])),
    tags,
    attributes,
    sealed: { tags: await sealJsonColumn(keyring, workspaceId, tags), attributes: await sealJsonColumn(keyring, workspaceId, attributes) },
  };
}

async function mergeOnce(
  db: Db,
  keyring: Keyring,
  workspaceId: string,
  input: { survivorId: string; mergedId: string; actor: Actor; mergeId: string; lists: CombinedLists | undefined },
  now: number,
): Promise<MergeOutcome> {
  const { survivorId, mergedId, actor, mergeId, lists } = input;
  const moved = await db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', [survivorId, mergedId]).execute();
    const survivorRow = rows.find((r) => r.id === survivorId);
    const mergedRow = rows.find((r) => r.id === mergedId);
    if (!survivorRow) throw new ParleyError('CONTACT_NOT_FOUND', { message: `No contact ${survivorId} in this workspace.` });
    if (!mergedRow) throw new ParleyError('CONTACT_NOT_FOUND', { message: `No contact ${mergedId} in this workspace.`, field: '/contactId' });
    for (const row of [survivorRow, mergedRow]) {
      if (row.erased_at !== null) throw new ParleyError('CONTACT_MERGE_INVALID', { message: `Contact ${row.id} was erased; erased contacts cannot be merged.` });
      if (row.merged_into !== null) throw new ParleyError('CONTACT_MERGE_INVALID', { message: `Contact ${row.id} was already merged into ${row.merged_into}; merge into that one instead.`, details: { mergedInto: row.merged_into } });
    }
    for (const row of [survivorRow, mergedRow]) {
      const seen = lists?.seen.get(row.id);
      if (!seen || seen.tags !== row.tags || seen.attributes !== row.attributes) throw new ListsChanged();
    }
    const combined = lists!;

    const messages = await moveMessagesToContact(trx, workspaceId, mergedId, survivorId, now);

    const serviceWindows = await moveWindowsOnMerge(trx, survivorId, mergedId);
    await moveConversationsOnMerge(trx, survivorId, mergedId, now);

    // The survivor takes what it lacks. Hashes are unique per workspace, so a phone moving to the
    // survivor leaves the merged row first.
    const set: Updateable<ContactsTable> = { updated_at: now };
    if (!survivorRow.phone && mergedRow.phone) {
      await trx.updateTable('contacts').set({ phone_hash: null }).where('id', '=', mergedId).execute();
      Object.assign(set, { phone: mergedRow.phone, phone_hash: mergedRow.phone_hash, country: mergedRow.country });
    }
    if (!survivorRow.wa_id && mergedRow.wa_id) Object.assign(set, { wa_id: mergedRow.wa_id, wa_id_hash: mergedRow.wa_id_hash });
    if (!survivorRow.name && mergedRow.name) set.name = mergedRow.name;
    if (!survivorRow.email && mergedRow.email) Object.assign(set, { email: mergedRow.email, email_hash: mergedRow.email_hash });
    if (!survivorRow.language && mergedRow.language) set.language = mergedRow.language;
    if (!survivorRow.time_zone && mergedRow.time_zone) set.time_zone = mergedRow.time_zone;
    set.tags = combined.sealed.tags;
    set.attributes = combined.sealed.attributes;
    await trx.updateTable('contacts').set(set).where('id', '=', survivorId).execute();
    await replaceContactIndexes(trx, keyring, workspaceId, [{ contactId: survivorId, tags: combined.tags, attributes: combined.attributes }]);

    await trx.updateTable('contacts').set({ merged_into: survivorId, updated_at: now }).where('id', '=', mergedId).execute();
    const members = await trx.updateTable('contacts').set({ merged_into: survivorId, updated_at: now }).where('workspace_id', '=', workspaceId).where('merged_into', '=', mergedId).executeTakeFirst();

    const counts = { messages, serviceWindows, members: Number(members.numUpdatedRows) };
    await trx
      .insertInto('contact_merges')
      .values({ id: mergeId, workspace_id: workspaceId, survivor_id: survivorId, merged_id: mergedId, actor: JSON.stringify(actor), merged_at: now, detail: JSON.stringify(counts) })
      .execute();
    return counts;
  });
  const row = await db.selectFrom('contacts').selectAll().where('id', '=', survivorId).executeTakeFirstOrThrow();
  return { mergeId, survivor: await decryptContact(keyring, row), mergedId, moved };
}

export interface MergeRecord {
  id: string;
  survivorId: string;
  mergedId: string;
  actor: Actor;
  mergedAt: number;
  detail: Record<string, unknown>;
}

/** The merges a contact took part in, as survivor or as the merged one, oldest first. */
export async function listMerges(db: Db, workspaceId: string, contactIds: readonly string[]): Promise<MergeRecord[]> {
  if (contactIds.length === 0) return [];
  const rows = await db
    .selectFrom('contact_merges')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('survivor_id', 'in', contactIds), eb('merged_id', 'in', contactIds)]))
    .orderBy('merged_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, survivorId: r.survivor_id, mergedId: r.merged_id, actor: JSON.parse(r.actor) as Actor, mergedAt: r.merged_at, detail: JSON.parse(r.detail) as Record<string, unknown> }));
}
