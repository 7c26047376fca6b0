import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { Nullable, StringEnum, Timestamp, iso } from '../http/schemas.js';
import { ACTOR_TYPES } from '../access/actor.js';
import { auditDiff } from '../access/audit-port.js';
import { listEntries } from './entry-queries.js';
import { checkpointKey, listCheckpoints } from './checkpoints.js';
import { verifyWorkspace } from './verify-workspace.js';
import { CHECKPOINT_KINDS, type Checkpoint } from './hash.js';
import type { StoredEntry } from './hash.js';
import { loadAuditRetention, updateAuditRetention } from './retention.js';


// Cursors are opaque to clients: the last seq of the page (and, for checkpoints, its kind), wrapped.
const encodeEntryCursor = (seq: number): string => Buffer.from(`au:${seq}`).toString('base64url');
function decodeEntryCursor(cursor: string): number {
  const match = /^au:([1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || !Number.isSafeInteger(Number(match[1]))) throw new ParleyError('CURSOR_INVALID', { field: '/cursor' });
  return Number(match[1]);
}
const encodeCheckpointCursor = (c: Checkpoint): string => Buffer.from(`ackp:${c.seq}:${c.kind}`).toString('base64url');
function decodeCheckpointCursor(cursor: string): { seq: number; kind: string } {
  const match = /^ackp:(0|[1-9][0-9]{0,15}):([a-z]+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || !Number.isSafeInteger(Number(match[1]))) throw new ParleyError('CURSOR_INVALID', { field: '/cursor' });
  return { seq: Number(match[1]), kind: match[2] };
}

function parseTime(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ParleyError('REQUEST_INVALID', { message: `${field} is not a valid date-time.`, field: `/${field}` });
  return ms;
}

const EntryBody = Type.Object({
  id: Type.String(),
  seq: Type.Integer({ description: 'The entry\'s place in the workspace\'s chain, gapless from the chain\'s start.' }),
  at: Timestamp(),
  actor: Type.Object({ type: Type.String(), id: Type.String(), via: Type.Optional(Type.String()) }),
  action: Type.String(),
  resource: Type.Object({ type: Type.String(), id: Nullable(Type.String()) }),
  diff: Nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'Changed fields as `{from, to}`; secrets and personal data as `{ref}` only.' })),
  origin: Type.Object({ address: Nullable(Type.String()), userAgent: Nullable(Type.String()), requestId: Nullable(Type.String()) }),
  prevHash: Type.String(),
  hash: Type.String(),
});

const present = (e: StoredEntry) => ({
  id: e.id,
  seq: e.seq,
  at: iso(e.at)!,
  actor: { type: e.actor_type, id: e.actor_id, ...(e.actor_via ? { via: e.actor_via } : {}) },
  action: e.action,
  resource: { type: e.resource_type, id: e.resource_id },
  diff: e.diff === null ? null : (JSON.parse(e.diff) as Record<string, unknown>),
  origin: { address: e.address, userAgent: e.user_agent, requestId: e.request_id },
  prevHash: e.prev_hash,
  hash: e.hash,
});

const CheckpointBody = Type.Object({
  id: Type.String(),
  workspaceId: Type.String(),
  kind: StringEnum(CHECKPOINT_KINDS),
  seq: Type.Integer(),
  hash: Type.String(),
  at: Type.Integer({ description: 'Epoch milliseconds, as signed.' }),
  signature: Type.String({ description: 'HMAC-SHA256 (hex) under a key derived from the master key.' }),
});

const RetentionBody = Type.Object({
  retentionDays: Type.Unsafe<number | null>({ type: 'integer', nullable: true, minimum: 1, maximum: 36500, description: 'Purge audit entries this many days old (the chain stays verifiable from a signed start checkpoint); null keeps them.' }),
});

const VerifyReportBody = Type.Object({
  workspaceId: Type.String(),
  ok: Type.Boolean({ description: 'Whether every entry, link and checkpoint checked out.' }),
  entries: Type.Integer({ description: 'Entries checked (those after the start).' }),
  start: Type.Object({ seq: Type.Integer(), hash: Type.String() }, { description: 'Where the chain starts: after this entry (0 and the genesis hash unless old entries were purged).' }),
  lastSeq: Type.Integer(),
  checkpoints: Type.Integer({ description: 'Signed checkpoints checked.' }),
  problem: Nullable(Type.Object({
    reason: StringEnum(['checkpoint_signature', 'edited', 'swapped', 'gap', 'broken_link', 'checkpoint_mismatch', 'truncated', 'head_mismatch'] as const),
    seq: Nullable(Type.Integer({ description: 'The first bad entry.' })),
    id: Nullable(Type.String()),
    message: Type.String(),
  }, { description: 'What is wrong with the chain, when it is not ok.' })),
});

// The audit trail (M9): entries, checkpoints to keep elsewhere, retention.
export async function auditRoutes(app: ParleyApp, ctx: ParleyContext) {
  const security = [{ apiKey: [] }];
  const tags = ['audit'];

  app.get('/v1/audit', {
    config: { permission: 'audit.read' },
    schema: {
      tags, security,
      summary: 'The workspace\'s audit trail, newest first: who did what to which resource, from where, when. Filters combine; page with `cursor`.',
      querystring: Type.Object({
        actorType: Type.Optional(StringEnum(ACTOR_TYPES)),
        actorId: Type.Optional(Type.String({ maxLength: 100 })),
        resourceType: Type.Optional(Type.String({ maxLength: 100 })),
        resourceId: Type.Optional(Type.String({ maxLength: 100 })),
        action: Type.Optional(Type.String({ maxLength: 100 })),
        from: Type.Optional(Type.String({ format: 'date-time', description: 'Entries at or after this time.' })),
        to: Type.Optional(Type.String({ format: 'date-time', description: 'Entries before this time.' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        cursor: Type.Optional(Type.String({ maxLength: 100, description: 'The `nextCursor` of the previous page.' })),
      }),
      response: { 200: Type.Object({ data: Type.Array(EntryBody), nextCursor: Nullable(Type.String()) }) },
    },
  }, async (request) => {
    const q = request.query;
    const limit = q.limit ?? 50;
    const { rows, more } = await listEntries(ctx.db, request.principal!.workspaceId, {
      actorType: q.actorType, actorId: q.actorId, resourceType: q.resourceType, resourceId: q.resourceId, action: q.action,
      from: parseTime(q.from, 'from'), to: parseTime(q.to, 'to'),
    }, { limit, beforeSeq: q.cursor === undefined ? undefined : decodeEntryCursor(q.cursor) });
    return { data: rows.map(present), nextCursor: more ? encodeEntryCursor(rows.at(-1)!.seq) : null };
  });

  app.get('/v1/audit/checkpoints', {
    config: { permission: 'audit.read' },
    schema: {
      tags, security,
      summary: 'The workspace\'s signed checkpoints of its audit chain, oldest first, to keep outside Parley (`parley audit verify --checkpoints` reads them back as JSON lines, one item per line).',
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
        cursor: Type.Optional(Type.String({ maxLength: 100, description: 'The `nextCursor` of the previous page.' })),
      }),
      response: { 200: Type.Object({ data: Type.Array(CheckpointBody), nextCursor: Nullable(Type.String()) }) },
    },
  }, async (request) => {
    const limit = request.query.limit ?? 100;
    const after = request.query.cursor === undefined ? undefined : decodeCheckpointCursor(request.query.cursor);
    const rows = await listCheckpoints(ctx.db, request.principal!.workspaceId, { after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    return { data: page, nextCursor: rows.length > limit ? encodeCheckpointCursor(page.at(-1)!) : null };
  });

  app.get('/v1/audit/verify', {
    config: { permission: 'audit.read' },
    schema: {
      tags, security,
      summary: 'Recompute the workspace\'s audit chain as it stands now and check it against its signed checkpoints, as `parley audit verify` does: `ok`, or the first bad entry and why.',
      description: 'Reads the whole chain: it takes a while on a long one. Checkpoints kept outside Parley are checked only by `parley audit verify --checkpoints`.',
      response: { 200: VerifyReportBody },
    },
  }, async (request) => {
    const report = await verifyWorkspace(ctx.db, checkpointKey(ctx.keyring), request.principal!.workspaceId);
    const { problem, ...rest } = report;
    return { ...rest, problem: problem ? { reason: problem.reason, seq: problem.seq, id: problem.id, message: problem.message } : null };
  });

  app.get('/v1/audit/retention', {
    config: { permission: 'audit.read' },
    schema: { tags, security, summary: 'How long the workspace keeps audit entries.', response: { 200: RetentionBody } },
  }, async (request) => {
    const retention = await loadAuditRetention(ctx.db, request.principal!.workspaceId);
    if (!retention) throw new ParleyError('WORKSPACE_NOT_FOUND');
    return retention;
  });

  app.put('/v1/audit/retention', {
    config: { permission: 'settings.manage', audit: 'audit_retention.updated' },
    schema: {
      tags, security,
      summary: 'Set how long the workspace keeps audit entries: older ones are purged by a background worker behind a signed start checkpoint, so the rest of the chain still verifies.',
      body: Type.Object({ retentionDays: RetentionBody.properties.retentionDays }, { additionalProperties: false }),
      response: { 200: RetentionBody },
    },
  }, async (request) => {
    const workspaceId = request.principal!.workspaceId;
    const changed = await updateAuditRetention(ctx.db, workspaceId, { retentionDays: request.body.retentionDays });
    if (!changed) throw new ParleyError('WORKSPACE_NOT_FOUND');
    const resource = { type: 'audit_retention', id: null };
    request.audit({ resource, diff: auditDiff(resource, { ...changed.before }, { ...changed.after }) });
    return changed.after;
  });
}

