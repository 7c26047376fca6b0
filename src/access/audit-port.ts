import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Actor } from './actor.js';

/**
 * What a module or the HTTP layer hands the audit trail (`ctx.audit`, built by the `audit/` module),
 * kept here so that the runtime context and the HTTP app can name it without importing that module.
 */
export interface AuditResource {
  /** The kind of thing acted on: `contact`, `api_key`, `template`, `audit_retention`, ... */
  readonly type: string;
  /** Its id; null for a workspace-wide thing (a setting). */
  readonly id: string | null;
}

/** Where a request came from. */
export interface AuditOrigin {
  readonly address?: string | null;
  readonly userAgent?: string | null;
  readonly requestId?: string | null;
}

/** A reference in place of a secret or a personal value: `{ ref: 'contact:ct_….phone' }`. */
export interface AuditRef {
  readonly ref: string;
}

/**
 * The changed fields of a resource: a plain field as `{ from?, to? }` (`from` left out on creation,
 * `to` on deletion), a secret or personal one as a reference only, so the value never reaches the trail.
 */
export type AuditDiff = Readonly<Record<string, { readonly from?: unknown; readonly to?: unknown } | AuditRef>>;

export interface AuditEntryInput {
  readonly workspaceId: string;
  readonly actor: Actor;
  /** `<resource>.<verb>`: `contact.updated`, `contact.read_pii`, `api_key.created`, `audit.purged`. */
  readonly action: string;
  readonly resource: AuditResource;
  readonly diff?: AuditDiff | null;
  readonly origin?: AuditOrigin;
  /** When it happened; the trail's clock when left out. */
  readonly at?: number;
}

/** The audit trail as its users see it. */
export interface AuditTrail {
  /** Appends an entry by the trail's own group commit; resolves once it is committed and chained. */
  record(entry: AuditEntryInput): Promise<void>;
  /**
   * Appends entries inside the caller's transaction, so that they commit with the change they describe
   * or not at all (the send API's accepts, in their own group commit). It locks each workspace's chain
   * head until that transaction ends: call it after the transaction's other writes.
   */
  appendWithin(tx: Transaction<Database>, entries: readonly AuditEntryInput[]): Promise<void>;
}

export const AUDIT_ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** The reference that stands for one field of a resource in a diff. */
export const auditRef = (resource: AuditResource, field: string): AuditRef => ({ ref: `${resource.type}:${resource.id ?? '*'}.${field}` });

/**
 * The diff between two views of a resource: fields whose values differ (compared as JSON), those named
 * in `sensitive` (secrets, personal data) as references. `before` undefined: a creation; `after`
 * undefined: a deletion.
 */
export function auditDiff(
  resource: AuditResource,
  before: Readonly<Record<string, unknown>> | undefined,
  after: Readonly<Record<string, unknown>> | undefined,
  sensitive: readonly string[] = [],
): AuditDiff {
  const out: Record<string, { from?: unknown; to?: unknown } | AuditRef> = {};
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const field of [...fields].sort()) {
    const from = before?.[field];
    const to = after?.[field];
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    if (sensitive.includes(field)) out[field] = auditRef(resource, field);
    else out[field] = { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
  }
  return out;
}
