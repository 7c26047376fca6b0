import type { Db } from '../db/database.js';
import { DAY } from '../shared/time.js';
import { getWorkspace, updateWorkspaceSettings } from '../workspaces/workspace-queries.js';
import { daysOrNull, settingsSection } from '../workspaces/settings-section.js';
import { insertCheckpoint, listCheckpoints } from './checkpoints.js';
import { entriesAfter } from './entry-queries.js';
import type { Checkpoint } from './hash.js';
import { ChainVerifier, type ChainProblem } from './verify.js';

/**
 * A workspace's audit retention, stored under `settings.audit`: entries older than `retentionDays`
 * are purged by the audit retention worker; null (the default) keeps them.
 */
export interface AuditRetention {
  retentionDays: number | null;
}

export function readAuditRetention(settings: Record<string, unknown>): AuditRetention {
  return { retentionDays: daysOrNull(settingsSection(settings, 'audit').retentionDays) };
}

export async function loadAuditRetention(db: Db, workspaceId: string): Promise<AuditRetention | undefined> {
  const workspace = await getWorkspace(db, workspaceId);
  return workspace && readAuditRetention(workspace.settings);
}

export async function updateAuditRetention(db: Db, workspaceId: string, next: AuditRetention): Promise<{ before: AuditRetention; after: AuditRetention } | undefined> {
  const workspace = await getWorkspace(db, workspaceId);
  if (!workspace) return undefined;
  const before = readAuditRetention(workspace.settings);
  await updateWorkspaceSettings(db, workspaceId, { audit: { ...before, ...next } });
  return { before, after: { ...before, ...next } };
}

export type PurgeResult =
  | { purged: number; start: Checkpoint; previousStart: number; problem?: undefined }
  | { purged: 0; start?: undefined; problem?: ChainProblem };

const DELETE_BATCH = 1000;
const VERIFY_PAGE = 1000;

/**
 * Purges a workspace's entries older than `retentionDays`, keeping the chain verifiable: the new start
 * is the last entry before the first one to keep, and a signed `start` checkpoint of it is written
 * before anything is deleted (the verifier begins there; rows an interrupted purge left below it are
 * ignored, and the next run deletes them). The part to be purged is verified first: a broken chain is
 * not purged, since that would destroy the evidence. Entries are deleted in batches, then the
 * checkpoints below the new start.
 */
export async function purgeAuditEntries(db: Db, key: Buffer, workspaceId: string, retentionDays: number, now: number): Promise<PurgeResult> {
  const cutoff = now - retentionDays * DAY;
  const checkpoints = await listCheckpoints(db, workspaceId);
  const previousStart = Math.max(0, ...checkpoints.filter((c) => c.kind === 'start').map((c) => c.seq));
  const firstKept = await db.selectFrom('audit_entries').select((eb) => eb.fn.min('seq').as('seq')).where('workspace_id', '=', workspaceId).where('at', '>=', cutoff).executeTakeFirst();
  const last = await db.selectFrom('audit_entries').select((eb) => eb.fn.max('seq').as('seq')).where('workspace_id', '=', workspaceId).executeTakeFirst();
  const lastSeq = last?.seq === null || last?.seq === undefined ? 0 : Number(last.seq);
  const newStart = firstKept?.seq === null || firstKept?.seq === undefined ? lastSeq : Number(firstKept.seq) - 1;
  if (newStart <= previousStart) {
    await deleteThrough(db, workspaceId, previousStart);
    return { purged: 0 };
  }

  const verifier = new ChainVerifier({ workspaceId, key, checkpoints: checkpoints.filter((c) => c.seq <= newStart) });
  let after = previousStart;
  let startHash: string | undefined;
  while (verifier.wantsMore && after < newStart) {
    const page = await entriesAfter(db, workspaceId, after, VERIFY_PAGE, newStart);
    if (!page.length) break;
    for (const entry of page) verifier.add(entry);
    after = page.at(-1)!.seq;
    if (after === newStart) startHash = page.at(-1)!.hash;
  }
  const report = verifier.finish();
  if (!report.ok) return { purged: 0, problem: report.problem };
  if (startHash === undefined) return { purged: 0 };

  const start = await insertCheckpoint(db, key, { workspaceId, kind: 'start', seq: newStart, hash: startHash }, now);
  const purged = await deleteThrough(db, workspaceId, newStart);
  await db.deleteFrom('audit_checkpoints').where('workspace_id', '=', workspaceId).where('seq', '<', newStart).execute();
  return { purged, start, previousStart };
}

async function deleteThrough(db: Db, workspaceId: string, seq: number): Promise<number> {
  let purged = 0;
  for (;;) {
    const first = await db.selectFrom('audit_entries').select((eb) => eb.fn.min('seq').as('seq')).where('workspace_id', '=', workspaceId).executeTakeFirst();
    if (first?.seq === null || first?.seq === undefined || Number(first.seq) > seq) return purged;
    const upTo = Math.min(seq, Number(first.seq) + DELETE_BATCH - 1);
    const result = await db.deleteFrom('audit_entries').where('workspace_id', '=', workspaceId).where('seq', '<=', upTo).executeTakeFirst();
    purged += Number(result.numDeletedRows);
  }
}
