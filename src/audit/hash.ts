import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditEntriesTable } from './tables.js';

/** A stored entry, as its table declares it. */
export type StoredEntry = AuditEntriesTable;

/** What an entry's hash covers: every stored field but the hash itself. */
export type ChainedEntry = Omit<StoredEntry, 'hash'>;

/** The previous hash of a workspace's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * An entry's hash: SHA-256 (hex) over a JSON array of a version tag, the previous hash and every stored
 * field in a fixed order, nulls included. A JSON array of strings, integers and nulls has exactly one
 * encoding, and no field can run into the next.
 */
export function entryHash(entry: ChainedEntry): string {
  const encoded = JSON.stringify([
    'parley-audit-entry-v1',
    entry.prev_hash,
    entry.workspace_id,
    entry.seq,
    entry.id,
    entry.at,
    entry.actor_type,
    entry.actor_id,
    entry.actor_via,
    entry.action,
    entry.resource_type,
    entry.resource_id,
    entry.diff,
    entry.address,
    entry.user_agent,
    entry.request_id,
  ]);
  return createHash('sha256').update(encoded, 'utf8').digest('hex');
}

export const CHECKPOINT_KINDS = ['schedule', 'start'] as const;
export type CheckpointKind = (typeof CHECKPOINT_KINDS)[number];

/** A checkpoint as stored and as exported (one JSON line each). */
export interface Checkpoint {
  id: string;
  workspaceId: string;
  kind: CheckpointKind;
  seq: number;
  hash: string;
  at: number;
  signature: string;
}

/** The purpose the checkpoint key is derived for from the master key (`Keyring.systemKey`). */
export const CHECKPOINT_KEY_PURPOSE = 'audit checkpoint';

function checkpointMessage(c: Omit<Checkpoint, 'signature'>): string {
  return JSON.stringify(['parley-audit-checkpoint-v1', c.id, c.workspaceId, c.kind, c.seq, c.hash, c.at]);
}

export function signCheckpoint(key: Buffer, c: Omit<Checkpoint, 'signature'>): string {
  return createHmac('sha256', key).update(checkpointMessage(c), 'utf8').digest('hex');
}

export function checkpointSignatureValid(key: Buffer, c: Checkpoint): boolean {
  const expected = Buffer.from(signCheckpoint(key, c), 'hex');
  const given = Buffer.from(typeof c.signature === 'string' && /^[0-9a-f]{64}$/.test(c.signature) ? c.signature : '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
