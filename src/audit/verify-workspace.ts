import type { Db } from '../db/database.js';
import type { Checkpoint } from './hash.js';
import { listCheckpoints } from './checkpoints.js';
import { entriesAfter, readHead } from './entry-queries.js';
import { ChainVerifier, type ChainReport } from './verify.js';

const PAGE = 1000;

/**
 * Reads a workspace's checkpoints, then its head, then its entries up to that head page by page, and
 * checks them (`verify.ts`). Entries appended meanwhile lie beyond the head read and are left to the
 * next run, so a busy chain verifies as it stood when the run began.
 */
export async function verifyWorkspace(db: Db, key: Buffer, workspaceId: string, exported: readonly Checkpoint[] = []): Promise<ChainReport> {
  const checkpoints = await listCheckpoints(db, workspaceId);
  const head = (await readHead(db, workspaceId)) ?? null;
  const verifier = new ChainVerifier({ workspaceId, key, checkpoints, exported, head });
  let after = -1;
  while (verifier.wantsMore) {
    const page = await entriesAfter(db, workspaceId, after, PAGE, head?.seq);
    for (const entry of page) {
      verifier.add(entry);
      if (!verifier.wantsMore) break;
    }
    if (page.length < PAGE) break;
    after = page.at(-1)!.seq;
  }
  return verifier.finish();
}
