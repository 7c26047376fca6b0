import type { RefusalCode } from '../errors/refusal-codes.js';
import type { Lane } from './lanes.js';
import type { Channel, Purpose } from './consent-words.js';

/**
 * The policy core's vocabulary: plain data and pure functions, importing nothing of Parley's but other
 * policy files and the refusal codes. Gates are composed at the composition root (outbound/gates/).
 *
 * - draft: an outbound message as the policy sees it (who, what, which lane, when): plain data.
 * - facts: what a gate needs to know about the world (the service window, consent, template state),
 *   loaded by the gate's `load` (I/O, through the handle `C` its caller gives) before its `decide`
 *   (pure) runs.
 * - gate: a named policy check. Gates run when a message is accepted and again at dispatch, because
 *   the world changes in between (consent withdrawn, window closed, template paused).
 * - verdict: `pass`; `hold` (not now: try again at `until`); `refuse` (never: the message ends
 *   `refused`, or `expired` for code `expired`, with `code` and `reason`; the codes are the closed list
 *   in errors/refusal-codes.ts); `reroute` (send something else instead: a backup template, or another
 *   channel).
 * - decision: what becomes of the message given the verdict (policy/decide.ts).
 */

export interface OutboundDraft {
  workspaceId: string;
  messageId?: string;
  senderId: string;
  /**
   * The sender's provider (a name of `channels/provider-name.ts`, which the policy core does not know):
   * gates ask its capabilities, e.g. whether the 24-hour window applies.
   */
  provider: string;
  /** The sender's WhatsApp Business Account (Cloud API senders), when the caller has the sender at hand. */
  wabaId?: string | null;
  contactId: string;
  /**
   * At accept: the contact is created with this message (its number was unknown), so it has no
   * suppressions, consent records or open window yet, and gates need not look them up.
   */
  newContact?: boolean;
  /** E.164 of the recipient. */
  to: string;
  lane: Lane;
  /** `text`, `template`, `image`, `interactive`, `location`, `reaction`, ... */
  type: string;
  /** For templates: the name and language code as the provider knows them. */
  template?: { name: string; language: string; parameterCount?: number };
  /** Consent purpose the message serves (derived from the lane). */
  purpose: Purpose;
  channel: Channel;
  createdAt: number;
  validUntil?: number | null;
}

/** Where a `reroute` sends the message instead: a backup template, or another channel. */
export type RerouteTarget = { kind: 'template'; template: { name: string; language: string } } | { kind: 'channel'; channel: 'sms' | 'email' };

export type Verdict =
  | { outcome: 'pass'; note?: string }
  | { outcome: 'hold'; until: number; reason: string }
  | { outcome: 'refuse'; code: RefusalCode; reason: string }
  /** `code`: why the original cannot be sent (the code it would be refused with without a backup). */
  | { outcome: 'reroute'; to: RerouteTarget; code: RefusalCode; reason: string };

export interface GateDecision {
  gate: string;
  verdict: Verdict;
}

/**
 * A policy gate: `load` gathers facts through `C`, the I/O handle its caller gives (the application
 * context at the composition root), `decide` is pure and unit-tested alone.
 * `loadMany`, when present, loads facts for a whole dispatch batch in one query.
 */
export interface Gate<F = unknown, C = unknown> {
  readonly name: string;
  load(ctx: C, draft: OutboundDraft): Promise<F>;
  loadMany?(ctx: C, drafts: OutboundDraft[]): Promise<F[]>;
  decide(draft: OutboundDraft, facts: F, now: number): Verdict;
}

/** The consent purpose a lane serves by default. */
export const PURPOSE_OF_LANE: Record<Lane, OutboundDraft['purpose']> = {
  otp: 'authentication',
  transactional: 'utility',
  conversation: 'service',
  marketing: 'marketing',
};
