/**
 * Terminology
 * - audit entry: one append-only record of who did what to which resource, from where, when, with a
 *   diff whose secrets and personal data are references (`{"ref":"contact:<id>.phone"}`), never values.
 * - sequence (`seq`): an entry's place in its workspace's chain, gapless from 1.
 * - chain: each entry's `hash` is SHA-256 over a canonical encoding of the previous entry's hash and
 *   every stored field of the entry (`hash.ts`); editing, deleting or reordering rows breaks it.
 * - head: the workspace's latest (seq, hash), locked and moved in the transaction that appends entries.
 * - checkpoint: a signed (HMAC under a key derived from the master key) statement of a head, written on
 *   a schedule (`schedule`) and when old entries are purged (`start`: the chain now begins after it).
 */
export interface AuditEntriesTable {
  workspace_id: string;
  seq: number;
  id: string;
  at: number;
  actor_type: string;
  actor_id: string;
  actor_via: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  /** Canonical JSON (sorted keys) of the changed fields, sensitive ones as references; null when none. */
  diff: string | null;
  address: string | null;
  user_agent: string | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadsTable {
  workspace_id: string;
  seq: number;
  hash: string;
  updated_at: number;
}

export interface AuditCheckpointsTable {
  id: string;
  workspace_id: string;
  /** `schedule`: the head at a moment; `start`: the chain begins after this entry (older ones purged). */
  kind: string;
  seq: number;
  hash: string;
  at: number;
  /** HMAC-SHA256 (hex) of the checkpoint's canonical encoding (`hash.ts`). */
  signature: string;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    audit_entries: AuditEntriesTable;
    audit_heads: AuditHeadsTable;
    audit_checkpoints: AuditCheckpointsTable;
  }
}
