import { sql } from 'kysely';
import type { ParleyContext } from '../../src/runtime/context.js';
import type { Db } from '../../src/db/database.js';
import { checkpointKey } from '../../src/audit/checkpoints.js';
import { verifyWorkspace } from '../../src/audit/verify-workspace.js';
import type { Checkpoint, StoredEntry } from '../../src/audit/hash.js';
import { toStoredEntry } from '../../src/audit/entry-queries.js';
import { auditDiff } from '../../src/access/audit-port.js';

/** Records `n` entries of varied content (contact updates and reads) for one workspace, in order. */
export async function recordSome(ctx: ParleyContext, workspaceId: string, n: number, options: { at?: (i: number) => number; tag?: string } = {}): Promise<void> {
  for (let i = 0; i < n; i++) {
    const resource = { type: 'contact', id: `ct_${options.tag ?? 'x'}${i}` };
    await ctx.audit.record({
      workspaceId,
      actor: i % 3 === 0 ? { type: 'user', id: `usr_${i}`, via: 'key_abc' } : { type: 'api_key', id: 'key_abc' },
      action: i % 2 === 0 ? 'contact.updated' : 'contact.read_pii',
      resource,
      diff: i % 2 === 0 ? auditDiff(resource, { phone: '+5511900000000', language: 'en' }, { phone: `+55119000000${10 + i}`, language: 'pt_BR' }, ['phone']) : null,
      origin: { address: '203.0.113.7', userAgent: 'test-agent/1', requestId: `req_${i}` },
      ...(options.at ? { at: options.at(i) } : {}),
    });
  }
}

export const entries = async (db: Db, workspaceId: string): Promise<StoredEntry[]> =>
  (await db.selectFrom('audit_entries').selectAll().where('workspace_id', '=', workspaceId).orderBy('seq').execute()).map(toStoredEntry);

export const verify = (ctx: ParleyContext, workspaceId: string, exported: Checkpoint[] = []) => verifyWorkspace(ctx.db, checkpointKey(ctx.keyring), workspaceId, exported);

/** Raw SQL, as someone with database access would tamper. */
export const exec = (db: Db, query: ReturnType<typeof sql>) => query.execute(db);
export { sql };
