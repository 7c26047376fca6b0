import type { Transaction } from 'kysely';
import type { Store } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { DialectName } from '../db/dialect.js';
import { GroupCommit } from '../db/group-commit.js';
import { newId } from '../shared/ids.js';
import type { Clock } from '../shared/time.js';
import { AUDIT_ACTION, type AuditEntryInput, type AuditTrail } from '../access/audit-port.js';
import { ACTOR_TYPES } from '../access/actor.js';
import { canonicalJson } from '../shared/canonical-json.js';
import { GENESIS_HASH, entryHash, type StoredEntry } from './hash.js';

/** The longest text kept of a user agent (a client may send anything). */
const USER_AGENT_MAX = 512;

/**
 * The audit trail's writer. `record` submits an entry to a group commit: entries recorded while a
 * commit runs (or in the same turn of the event loop) share the next transaction, so auditing costs
 * one commit per batch, not one per request, and never waits behind the send API's own transactions.
 * Within a transaction each workspace's head row is locked (FOR UPDATE on PostgreSQL, where other
 * processes append too; SQLite has one writer), the entries are numbered and chained in submission
 * order, and the head moves to the last of them.
 */
export class AuditLog implements AuditTrail {
  readonly #commit: GroupCommit<StoredEntryDraft>;
  readonly #clock: Clock;
  readonly #dialect: DialectName;

  constructor(store: Pick<Store, 'db' | 'dialect'>, clock: Clock) {
    this.#clock = clock;
    this.#dialect = store.dialect;
    this.#commit = new GroupCommit(store.db, (tx, drafts) => appendEntries(tx, store.dialect, drafts, clock.now()));
  }

  async record(entry: AuditEntryInput): Promise<void> {
    await this.#commit.submit(draftOf(entry, this.#clock.now()));
  }

  async appendWithin(tx: Transaction<Database>, entries: readonly AuditEntryInput[]): Promise<void> {
    if (!entries.length) return;
    const now = this.#clock.now();
    await appendEntries(tx, this.#dialect, entries.map((e) => draftOf(e, now)), now);
  }
}

/** An entry before it has its place in the chain. */
type StoredEntryDraft = Omit<StoredEntry, 'seq' | 'prev_hash' | 'hash'>;

function draftOf(entry: AuditEntryInput, now: number): StoredEntryDraft {
  if (!AUDIT_ACTION.test(entry.action)) throw new Error(`Audit action ${JSON.stringify(entry.action)} is not of the form <resource>.<verb>.`);
  if (!(ACTOR_TYPES as readonly string[]).includes(entry.actor.type)) throw new Error(`Unknown actor type ${JSON.stringify(entry.actor.type)}.`);
  const at = entry.at ?? now;
  const diff = entry.diff && Object.keys(entry.diff).length ? canonicalJson(entry.diff) : null;
  return {
    workspace_id: entry.workspaceId,
    id: newId('aud', at),
    at,
    actor_type: entry.actor.type,
    actor_id: entry.actor.id,
    actor_via: entry.actor.via ?? null,
    action: entry.action,
    resource_type: entry.resource.type,
    resource_id: entry.resource.id,
    diff,
    address: entry.origin?.address ?? null,
    user_agent: entry.origin?.userAgent ? entry.origin.userAgent.slice(0, USER_AGENT_MAX) : null,
    request_id: entry.origin?.requestId ?? null,
  };
}

/** Rows per INSERT: 16 columns each stays well under both dialects' parameter limits. */
const INSERT_CHUNK = 200;

async function appendEntries(tx: Transaction<Database>, dialect: DialectName, drafts: StoredEntryDraft[], now: number): Promise<void> {
  const byWorkspace = new Map<string, StoredEntryDraft[]>();
  for (const d of drafts) {
    const list = byWorkspace.get(d.workspace_id);
    if (list) list.push(d);
    else byWorkspace.set(d.workspace_id, [d]);
  }
  // Heads are locked in one order (by workspace id), so two processes' batches never wait on each other in a circle.
  const rows: StoredEntry[] = [];
  for (const workspaceId of [...byWorkspace.keys()].sort()) {
    const head = await lockHead(tx, dialect, workspaceId, now);
    let { seq, hash } = head;
    for (const draft of byWorkspace.get(workspaceId)!) {
      const chained = { ...draft, seq: seq + 1, prev_hash: hash };
      const row = { ...chained, hash: entryHash(chained) };
      rows.push(row);
      seq = row.seq;
      hash = row.hash;
    }
    await tx.updateTable('audit_heads').set({ seq, hash, updated_at: now }).where('workspace_id', '=', workspaceId).execute();
  }
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await tx.insertInto('audit_entries').values(rows.slice(i, i + INSERT_CHUNK)).execute();
}

/** The workspace's head, locked until the transaction ends; created (empty chain) on the first entry. */
async function lockHead(tx: Transaction<Database>, dialect: DialectName, workspaceId: string, now: number): Promise<{ seq: number; hash: string }> {
  const read = () => {
    const query = tx.selectFrom('audit_heads').select(['seq', 'hash']).where('workspace_id', '=', workspaceId);
    return (dialect === 'postgres' ? query.forUpdate() : query).executeTakeFirst();
  };
  const head = await read();
  if (head) return { seq: Number(head.seq), hash: head.hash };
  await tx.insertInto('audit_heads').values({ workspace_id: workspaceId, seq: 0, hash: GENESIS_HASH, updated_at: now }).onConflict((oc) => oc.column('workspace_id').doNothing()).execute();
  const created = await read();
  return { seq: Number(created!.seq), hash: created!.hash };
}
