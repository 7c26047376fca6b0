import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { ParleyError } from '../errors/parley-error.js';
import { BoundedCache } from '../shared/bounded-cache.js';
import type { FlowDefinition } from './flow-schema.js';
import type { FlowsTable } from './tables.js';

/** A flow as the API shows it: its draft (as saved, possibly invalid) and its latest published version. */
export interface StoredFlow {
  id: string;
  workspaceId: string;
  name: string;
  draft: unknown;
  latestVersion: number | null;
  createdAt: number;
  updatedAt: number;
}

const fromRow = (row: Selectable<FlowsTable>): StoredFlow => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  draft: JSON.parse(row.draft) as unknown,
  latestVersion: row.latest_version === null ? null : Number(row.latest_version),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

/** A new flow with its draft; `sealedSecret` is its webhook secret sealed with the workspace's data key. */
export async function createFlow(db: Db, input: { id: string; workspaceId: string; name: string; draft: unknown; sealedSecret: string; now: number }): Promise<StoredFlow> {
  const row = { id: input.id, workspace_id: input.workspaceId, name: input.name, draft: JSON.stringify(input.draft), latest_version: null, webhook_secret: input.sealedSecret, created_at: input.now, updated_at: input.now };
  try {
    await db.insertInto('flows').values(row).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new ParleyError('FLOW_EXISTS', { field: '/name' });
    throw error;
  }
  return fromRow(row);
}

export async function getFlow(db: Db, workspaceId: string, id: string): Promise<StoredFlow | undefined> {
  const row = await db.selectFrom('flows').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** The flow's webhook secret, sealed (the caller opens it with the keyring). */
export async function sealedWebhookSecret(db: Db, workspaceId: string, id: string): Promise<string | undefined> {
  const row = await db.selectFrom('flows').select('webhook_secret').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row?.webhook_secret;
}

/** Replaces the flow's webhook secret (sealed); false when the workspace has no such flow. */
export async function replaceWebhookSecret(db: Db, workspaceId: string, id: string, sealedSecret: string, now: number): Promise<boolean> {
  const updated = await db.updateTable('flows').set({ webhook_secret: sealedSecret, updated_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return Number(updated.numUpdatedRows) > 0;
}

export async function listFlows(db: Db, workspaceId: string): Promise<StoredFlow[]> {
  const rows = await db.selectFrom('flows').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').limit(500).execute();
  return rows.map(fromRow);
}

/** Replaces the draft (and the name, which the draft carries). */
export async function saveDraft(db: Db, workspaceId: string, id: string, name: string, draft: unknown, now: number): Promise<StoredFlow> {
  try {
    const updated = await db.updateTable('flows').set({ name, draft: JSON.stringify(draft), updated_at: now }).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new ParleyError('FLOW_NOT_FOUND');
  } catch (error) {
    if (isUniqueViolation(error)) throw new ParleyError('FLOW_EXISTS', { field: '/name' });
    throw error;
  }
  return (await getFlow(db, workspaceId, id))!;
}

/**
 * Publishes a validated definition as the flow's next version, in one transaction: two publications at
 * once take consecutive numbers (the version's primary key refuses a duplicate; the loser tries again).
 */
export async function publishVersion(db: Db, input: { workspaceId: string; flowId: string; definition: FlowDefinition; by: string; now: number }): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        const flow = await trx.selectFrom('flows').select('latest_version').where('workspace_id', '=', input.workspaceId).where('id', '=', input.flowId).executeTakeFirst();
        if (!flow) throw new ParleyError('FLOW_NOT_FOUND');
        const version = Number(flow.latest_version ?? 0) + 1;
        await trx.insertInto('flow_versions').values({ flow_id: input.flowId, version, workspace_id: input.workspaceId, definition: JSON.stringify(input.definition), published_by: input.by, published_at: input.now }).execute();
        await trx.updateTable('flows').set({ latest_version: version, updated_at: input.now }).where('id', '=', input.flowId).execute();
        return version;
      });
    } catch (error) {
      if (attempt < 3 && isUniqueViolation(error)) continue;
      throw error;
    }
  }
}

export interface FlowVersionInfo {
  flowId: string;
  version: number;
  publishedBy: string;
  publishedAt: number;
}

export async function listVersions(db: Db, workspaceId: string, flowId: string): Promise<FlowVersionInfo[]> {
  const rows = await db.selectFrom('flow_versions').select(['flow_id', 'version', 'published_by', 'published_at']).where('workspace_id', '=', workspaceId).where('flow_id', '=', flowId).orderBy('version', 'desc').limit(1000).execute();
  return rows.map((r) => ({ flowId: r.flow_id, version: Number(r.version), publishedBy: r.published_by, publishedAt: Number(r.published_at) }));
}

/** Who published a version of the flow, and when; undefined when it has no such version. */
export async function versionInfo(db: Db, workspaceId: string, flowId: string, version: number): Promise<FlowVersionInfo | undefined> {
  const r = await db.selectFrom('flow_versions').select(['flow_id', 'version', 'published_by', 'published_at']).where('workspace_id', '=', workspaceId).where('flow_id', '=', flowId).where('version', '=', version).executeTakeFirst();
  return r ? { flowId: r.flow_id, version: Number(r.version), publishedBy: r.published_by, publishedAt: Number(r.published_at) } : undefined;
}

// Published versions never change: each is parsed once per process.
const versions = new BoundedCache<string, Promise<FlowDefinition | undefined>>(500);

/** A published version's definition (of the workspace), or undefined. */
export function getVersion(db: Db, workspaceId: string, flowId: string, version: number): Promise<FlowDefinition | undefined> {
  return versions.through(`${workspaceId}:${flowId}:${version}`, async () => {
    const row = await db.selectFrom('flow_versions').select('definition').where('workspace_id', '=', workspaceId).where('flow_id', '=', flowId).where('version', '=', version).executeTakeFirst();
    return row ? (JSON.parse(row.definition) as FlowDefinition) : undefined;
  }).then((found) => {
    // A miss is not remembered: the version may be published a moment later.
    if (!found) versions.delete(`${workspaceId}:${flowId}:${version}`);
    return found;
  });
}

export interface FlowAssignment {
  senderId: string;
  entry: string;
  flowId: string;
  updatedAt: number;
}

/**
 * Sets (or, with `flowId` null, removes) the flow of a sender's entry point. Setting is one upsert, so
 * two assignments of one entry point at once leave one of them, never a duplicate-key failure.
 */
export async function assignFlow(db: Db, input: { workspaceId: string; senderId: string; entry: string; flowId: string | null; now: number }): Promise<void> {
  if (input.flowId === null) {
    await db.deleteFrom('flow_assignments').where('workspace_id', '=', input.workspaceId).where('sender_id', '=', input.senderId).where('entry', '=', input.entry).execute();
    return;
  }
  await db
    .insertInto('flow_assignments')
    .values({ workspace_id: input.workspaceId, sender_id: input.senderId, entry: input.entry, flow_id: input.flowId, updated_at: input.now })
    .onConflict((oc) => oc.columns(['sender_id', 'entry']).doUpdateSet({ flow_id: input.flowId!, updated_at: input.now }).where('flow_assignments.workspace_id', '=', input.workspaceId))
    .execute();
}

export async function listAssignments(db: Db, workspaceId: string, filter: { flowId?: string; senderId?: string } = {}): Promise<FlowAssignment[]> {
  let q = db.selectFrom('flow_assignments').selectAll().where('workspace_id', '=', workspaceId);
  if (filter.flowId) q = q.where('flow_id', '=', filter.flowId);
  if (filter.senderId) q = q.where('sender_id', '=', filter.senderId);
  const rows = await q.orderBy('sender_id').orderBy('entry').limit(1000).execute();
  return rows.map((r) => ({ senderId: r.sender_id, entry: r.entry, flowId: r.flow_id, updatedAt: Number(r.updated_at) }));
}

/** The flows assigned to a sender's entry points, with each one's latest published version (null: none yet). */
export interface SenderFlow {
  entry: string;
  flowId: string;
  version: number | null;
}

export async function senderFlows(db: Db, workspaceId: string, senderId: string): Promise<SenderFlow[]> {
  const rows = await db
    .selectFrom('flow_assignments')
    .innerJoin('flows', 'flows.id', 'flow_assignments.flow_id')
    .select(['flow_assignments.entry', 'flows.id', 'flows.latest_version'])
    .where('flow_assignments.workspace_id', '=', workspaceId)
    .where('flow_assignments.sender_id', '=', senderId)
    .execute();
  return rows.map((r) => ({ entry: r.entry, flowId: r.id, version: r.latest_version === null ? null : Number(r.latest_version) }));
}

/**
 * The published flow that answers a new conversation of the sender: the entry point's own assignment
 * first, then the sender's. Undefined when none is assigned or the assigned flow has no version yet.
 */
export function chooseFlow(flows: readonly SenderFlow[], entry: string | null): { flowId: string; version: number } | undefined {
  const chosen = (entry ? [entry, ''] : ['']).map((e) => flows.find((f) => f.entry === e)).find((f) => f && f.version !== null);
  return chosen ? { flowId: chosen.flowId, version: chosen.version! } : undefined;
}

export async function flowForConversation(db: Db, workspaceId: string, senderId: string, entry: string | null): Promise<{ flowId: string; version: number } | undefined> {
  return chooseFlow(await senderFlows(db, workspaceId, senderId), entry);
}
