import type { Db } from '../db/database.js';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Keyring } from '../crypto/keyring.js';
import { newId } from '../shared/ids.js';
import { CHECKPOINT_KEY_PURPOSE, signCheckpoint, type Checkpoint, type CheckpointKind } from './hash.js';
import type { AuditCheckpointsTable } from './tables.js';

/** The key checkpoints are signed with: HKDF from the master key for this one purpose (`Keyring.systemKey`). */
export const checkpointKey = (keyring: Keyring): Buffer => keyring.systemKey(CHECKPOINT_KEY_PURPOSE);

export const toCheckpoint = (row: AuditCheckpointsTable): Checkpoint => ({
  id: row.id,
  workspaceId: row.workspace_id,
  kind: row.kind as CheckpointKind,
  seq: Number(row.seq),
  hash: row.hash,
  at: Number(row.at),
  signature: row.signature,
});

/** Signs and stores a checkpoint of (seq, hash); one of a kind per seq (a second writer's is dropped). */
export async function insertCheckpoint(db: Db | Transaction<Database>, key: Buffer, head: { workspaceId: string; kind: CheckpointKind; seq: number; hash: string }, now: number): Promise<Checkpoint> {
  const unsigned = { id: newId('ackp', now), workspaceId: head.workspaceId, kind: head.kind, seq: head.seq, hash: head.hash, at: now };
  const checkpoint = { ...unsigned, signature: signCheckpoint(key, unsigned) };
  await db
    .insertInto('audit_checkpoints')
    .values({ id: checkpoint.id, workspace_id: checkpoint.workspaceId, kind: checkpoint.kind, seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at, signature: checkpoint.signature })
    .onConflict((oc) => oc.columns(['workspace_id', 'kind', 'seq']).doNothing())
    .execute();
  return checkpoint;
}

/**
 * Writes a `schedule` checkpoint for every workspace whose head moved past its latest checkpoint.
 * Several workers may run this at once: the unique (workspace, kind, seq) keeps one of each.
 */
export async function writeDueCheckpoints(db: Db, key: Buffer, now: number): Promise<Checkpoint[]> {
  const due = await db
    .selectFrom('audit_heads as h')
    .select(['h.workspace_id', 'h.seq', 'h.hash'])
    .where('h.seq', '>', (eb) => eb.fn.coalesce(eb.selectFrom('audit_checkpoints as c').select((s) => s.fn.max('c.seq').as('m')).whereRef('c.workspace_id', '=', 'h.workspace_id'), eb.lit(0)))
    .execute();
  const written: Checkpoint[] = [];
  for (const head of due) written.push(await insertCheckpoint(db, key, { workspaceId: head.workspace_id, kind: 'schedule', seq: Number(head.seq), hash: head.hash }, now));
  return written;
}

/** A workspace's checkpoints in (seq, kind) order: those after `after`, at most `limit`. */
export async function listCheckpoints(db: Db, workspaceId: string, options: { after?: { seq: number; kind: string }; limit?: number } = {}): Promise<Checkpoint[]> {
  let query = db.selectFrom('audit_checkpoints').selectAll().where('workspace_id', '=', workspaceId);
  const after = options.after;
  if (after) query = query.where((eb) => eb.or([eb('seq', '>', after.seq), eb.and([eb('seq', '=', after.seq), eb('kind', '>', after.kind)])]));
  query = query.orderBy('seq').orderBy('kind');
  if (options.limit !== undefined) query = query.limit(options.limit);
  return (await query.execute()).map(toCheckpoint);
}

/** The workspaces that have an audit chain. */
export async function auditedWorkspaces(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('audit_heads').select('workspace_id').orderBy('workspace_id').execute();
  return rows.map((r) => r.workspace_id);
}
