import type { ProviderName } from '../../channels/provider-name.js';
import type { RefusalCode } from '../../errors/refusal-codes.js';
import type { ParleyContext } from '../../runtime/context.js';
import type { Lane } from '../../policy/lanes.js';

/**
 * Terminology
 * - draft: an outbound message as the policy sees it (who, what, which lane, when): plain data.
 * - facts: what a gate needs to know about the world (the service window, consent, template state),
 *   loaded by the gate's `load` (I/O) before its `decide` (pure) runs.
 * - gate: a named policy check. Gates run when a message is accepted and again at dispatch, because
 *   the world changes in between (consent withdrawn, window closed, template paused).
 * - verdict: `pass`; `hold` (not now: try again at `until`); `refuse` (never: the message ends
 *   `refused`, or `expired` for code `expired`, with `code` and `reason`; the codes are the closed list
 *   in errors/refusal-codes.ts); `reroute` (send something
 *   else instead, e.g. a backup template).
 */

export interface OutboundDraft {
  workspaceId: string;
  messageId?: string;
  senderId: string;
  /** The sender's provider: some rules (the 24-hour window) exist only on the Cloud API. */
  provider: ProviderName;
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
  purpose: 'marketing' | 'utility' | 'authentication' | 'service';
  channel: 'whatsapp' | 'sms' | 'email';
  createdAt: number;
  validUntil?: number | null;
}

export type Verdict =
  | { outcome: 'pass'; note?: string }
  | { outcome: 'hold'; until: number; reason: string }
  | { outcome: 'refuse'; code: RefusalCode; reason: string }
  | { outcome: 'reroute'; to: Record<string, unknown>; reason: string };

export interface GateDecision {
  gate: string;
  verdict: Verdict;
}

/**
 * A policy gate: `load` gathers facts (may do I/O), `decide` is pure and unit-tested alone.
 * `loadMany`, when present, loads facts for a whole dispatch batch in one query.
 */
export interface Gate<F = unknown> {
  readonly name: string;
  load(ctx: ParleyContext, draft: OutboundDraft): Promise<F>;
  loadMany?(ctx: ParleyContext, drafts: OutboundDraft[]): Promise<F[]>;
  decide(draft: OutboundDraft, facts: F, now: number): Verdict;
}

/** The consent purpose a lane serves by default. */
export const PURPOSE_OF_LANE: Record<Lane, OutboundDraft['purpose']> = {
  otp: 'authentication',
  transactional: 'utility',
  conversation: 'service',
  marketing: 'marketing',
};
