import { GENESIS_HASH, checkpointSignatureValid, entryHash, type Checkpoint, type StoredEntry } from './hash.js';

export type ChainProblemReason =
  | 'checkpoint_signature'
  | 'edited'
  | 'swapped'
  | 'gap'
  | 'broken_link'
  | 'checkpoint_mismatch'
  | 'truncated'
  | 'head_mismatch';

/** What is wrong with a chain: the first bad entry (its seq and id; null when the chain is empty) and why. */
export interface ChainProblem {
  reason: ChainProblemReason;
  seq: number | null;
  id: string | null;
  message: string;
  checkpointId?: string;
  /** For `swapped`: the entry whose content the bad entry holds. */
  swappedWith?: { seq: number; id: string };
}

export interface ChainReport {
  workspaceId: string;
  ok: boolean;
  /** Entries checked (those after the start). */
  entries: number;
  /** Where the chain starts: after this entry (0 and the genesis hash unless old entries were purged). */
  start: { seq: number; hash: string };
  lastSeq: number;
  checkpoints: number;
  problem?: ChainProblem;
}

export interface VerifyOptions {
  workspaceId: string;
  /** The checkpoint key (`Keyring.systemKey(CHECKPOINT_KEY_PURPOSE)`). */
  key: Buffer;
  /** The checkpoints stored with the chain. */
  checkpoints: readonly Checkpoint[];
  /** Checkpoints kept elsewhere (an export); those of other workspaces are ignored. */
  exported?: readonly Checkpoint[];
  /** The stored head: null when none is stored (then no entry may be either); left out, not checked. */
  head?: { seq: number; hash: string } | null;
}

/**
 * Checks one workspace's chain, fed its entries in seq order (`add`, then `finish`); no I/O, so the
 * caller pages entries in from wherever they are. Checks, in order: every checkpoint's signature; from
 * the latest `start` checkpoint on (the chain's start after a purge), each entry's seq follows the
 * last (a gap is a deleted row), its hash is that of its fields (else edited, or swapped when its
 * content is another entry's), its previous hash is the last entry's (else the chain was relinked),
 * and a checkpoint at its seq names its hash (else the chain was rewritten); at the end, no
 * checkpoint and no head lies beyond the last entry (else the tail was truncated).
 */
export class ChainVerifier {
  readonly #options: VerifyOptions;
  readonly #checkpoints: Array<Checkpoint & { source: 'stored' | 'exported' }>;
  readonly #bySeq = new Map<number, Array<Checkpoint & { source: 'stored' | 'exported' }>>();
  readonly #start: { seq: number; hash: string };
  #problem: ChainProblem | undefined;
  #suspect: StoredEntry | undefined;
  #entries = 0;
  #last: { seq: number; id: string | null; hash: string };

  constructor(options: VerifyOptions) {
    this.#options = options;
    const all = [
      ...options.checkpoints.map((c) => ({ ...c, source: 'stored' as const })),
      ...(options.exported ?? []).filter((c) => c.workspaceId === options.workspaceId).map((c) => ({ ...c, source: 'exported' as const })),
    ];
    const bad = all.find((c) => c.workspaceId !== options.workspaceId || !checkpointSignatureValid(options.key, c));
    if (bad) {
      this.#problem = {
        reason: 'checkpoint_signature',
        seq: Number.isSafeInteger(bad.seq) ? bad.seq : null,
        id: null,
        checkpointId: bad.id,
        message: `Checkpoint ${bad.id} (${bad.source}, seq ${bad.seq}) does not carry a valid signature: it was forged or edited, or this is not the master key it was signed with.`,
      };
    }
    this.#checkpoints = all;
    for (const c of all) {
      const list = this.#bySeq.get(c.seq);
      if (list) list.push(c);
      else this.#bySeq.set(c.seq, [c]);
    }
    const starts = all.filter((c) => c.kind === 'start').sort((a, b) => b.seq - a.seq);
    this.#start = starts.length ? { seq: starts[0].seq, hash: starts[0].hash } : { seq: 0, hash: GENESIS_HASH };
    this.#last = { seq: this.#start.seq, id: null, hash: this.#start.hash };
  }

  /** Whether more entries are of use (false once the verdict is settled). */
  get wantsMore(): boolean {
    return !this.#problem || this.#suspect !== undefined;
  }

  add(entry: StoredEntry): void {
    if (this.#suspect) return this.#lookForSwap(entry);
    if (this.#problem) return;
    // Left behind by a purge that did not finish deleting: before the start, not part of the chain.
    if (entry.seq <= this.#start.seq) return;
    const expected = this.#last.seq + 1;
    if (entry.seq !== expected) {
      const missing = expected === entry.seq - 1 ? `entry ${expected} is` : `entries ${expected} to ${entry.seq - 1} are`;
      return this.#fail(entry, 'gap', `Entry ${entry.seq} (${entry.id}) follows entry ${this.#last.seq}: ${missing} missing (deleted).`);
    }
    if (entryHash(entry) !== entry.hash) {
      this.#fail(entry, 'edited', `Entry ${entry.seq} (${entry.id}) does not match its hash: the row was edited.`);
      this.#suspect = entry;
      return;
    }
    if (entry.prev_hash !== this.#last.hash) {
      const before = this.#last.seq === this.#start.seq && this.#start.seq === 0 ? 'the start of the chain' : `entry ${this.#last.seq}`;
      return this.#fail(entry, 'broken_link', `Entry ${entry.seq} (${entry.id}) does not follow ${before} (its previous hash differs): an entry was replaced and rehashed, or entries were reordered.`);
    }
    for (const c of this.#bySeq.get(entry.seq) ?? []) {
      if (c.hash !== entry.hash) {
        return this.#fail(entry, 'checkpoint_mismatch', `Entry ${entry.seq} (${entry.id}) is not the entry checkpoint ${c.id} (${c.source}) vouches for: the chain was rewritten up to here.`, { checkpointId: c.id });
      }
    }
    this.#entries++;
    this.#last = { seq: entry.seq, id: entry.id, hash: entry.hash };
  }

  finish(): ChainReport {
    if (!this.#problem) this.#checkTail();
    return {
      workspaceId: this.#options.workspaceId,
      ok: !this.#problem,
      entries: this.#entries,
      start: this.#start,
      lastSeq: this.#last.seq,
      checkpoints: this.#checkpoints.length,
      ...(this.#problem ? { problem: this.#problem } : {}),
    };
  }

  #checkTail(): void {
    const last = this.#last;
    const beyond = this.#checkpoints.filter((c) => c.seq > last.seq).sort((a, b) => b.seq - a.seq)[0];
    const ending = last.id ? `entry ${last.seq} (${last.id})` : last.seq ? `the start (entry ${last.seq})` : 'no entry';
    if (beyond) {
      this.#problem = {
        reason: 'truncated', seq: last.id ? last.seq : null, id: last.id, checkpointId: beyond.id,
        message: `Checkpoint ${beyond.id} (${beyond.source}) vouches for entry ${beyond.seq}, but the chain ends at ${ending}: the entries after it were deleted.`,
      };
      return;
    }
    const head = this.#options.head;
    if (head === undefined) return;
    if (head === null) {
      if (last.id) this.#problem = { reason: 'head_mismatch', seq: last.seq, id: last.id, message: `No head is stored, but the chain holds entries up to ${ending}: the head row was deleted.` };
      return;
    }
    if (head.seq > last.seq) {
      this.#problem = { reason: 'truncated', seq: last.id ? last.seq : null, id: last.id, message: `The head names entry ${head.seq}, but the chain ends at ${ending}: the entries after it were deleted.` };
    } else if (head.seq < last.seq || head.hash !== last.hash) {
      this.#problem = { reason: 'head_mismatch', seq: last.id ? last.seq : null, id: last.id, message: `The head (entry ${head.seq}) is not the chain's last entry ${last.seq}: entries were added or changed outside the audit trail.` };
    }
  }

  #fail(entry: StoredEntry, reason: ChainProblemReason, message: string, extra: Partial<ChainProblem> = {}): void {
    this.#problem = { reason, seq: entry.seq, id: entry.id, message, ...extra };
  }

  /** After an entry failed its hash: is its content that of a later entry (rows swapped)? */
  #lookForSwap(later: StoredEntry): void {
    const suspect = this.#suspect!;
    const holdsLater = entryHash({ ...suspect, seq: later.seq, prev_hash: later.prev_hash }) === later.hash;
    const belongsThere = entryHash({ ...suspect, seq: later.seq }) === suspect.hash;
    if (!holdsLater && !belongsThere) return;
    this.#suspect = undefined;
    this.#problem = {
      reason: 'swapped', seq: suspect.seq, id: suspect.id, swappedWith: { seq: later.seq, id: later.id },
      message: `Entry ${suspect.seq} (${suspect.id}) holds the content of entry ${later.seq} (${later.id}): the rows were swapped.`,
    };
  }
}

/** Verifies a whole chain held in memory (entries in seq order). */
export function verifyChain(options: VerifyOptions & { entries: Iterable<StoredEntry> }): ChainReport {
  const verifier = new ChainVerifier(options);
  for (const entry of options.entries) {
    if (!verifier.wantsMore) break;
    verifier.add(entry);
  }
  return verifier.finish();
}
