/**
 * Terminology
 * - purpose: what a message is for. `marketing` (offers, news), `utility` (order, delivery, account
 *   updates), `authentication` (one-time codes), `service` (replies inside a conversation the
 *   customer started).
 * - channel: where a message goes: `whatsapp`, `sms`, `email`.
 * - consent record: one entry of the ledger: a contact granted or withdrew one purpose on one
 *   channel, at an effective time, from a source, with the wording they saw, proof and an actor.
 *   Records are never changed or deleted (the database refuses it); a change of mind is a new record.
 * - current consent: derived from the records (`derive-consent.ts`), never stored.
 * - source: where the record came from: `web` (a form, the preference centre), `app`, `pos` (point
 *   of sale), `whatsapp` (a keyword, a button, a provider signal), `import` (CSV), `api`.
 * - proof: evidence of the record (form id, IP, user agent, receipt number, inbound message id).
 *   Personal data: stored encrypted apart from the ledger, destroyed by erasure.
 * - actor: who recorded it: an API key, a user of the business, the customer, or Parley itself.
 * - policy: how a workspace treats purposes without a record (`consent-settings.ts`).
 * - opt-out / opt-in: a customer's own message (keyword, button) withdrawing or granting consent.
 */
// Purposes, channels and statuses are the policy core's words (`policy/consent-words.ts`).
import { CHANNELS, PURPOSES, type Channel, type ConsentStatus, type Purpose } from '../policy/consent-words.js';
export { CHANNELS, CONSENT_STATUSES, PURPOSES, type Channel, type ConsentStatus, type Purpose } from '../policy/consent-words.js';

export const CONSENT_SOURCES = ['web', 'app', 'pos', 'whatsapp', 'import', 'api'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

// Who recorded a consent change: access/'s actor, named here as the ledger's vocabulary too.
import type { Actor } from '../access/actor.js';
export { ACTOR_TYPES, type Actor, type ActorType } from '../access/actor.js';

export interface ConsentProof {
  formId?: string;
  ip?: string;
  userAgent?: string;
  receiptNumber?: string;
  /** The inbound message that carried a keyword or button opt-out. */
  messageId?: string;
  /** The keyword or payload that was recognised. */
  keyword?: string;
  /** A provider signal (`131050`, `user_preferences`). */
  signal?: string;
}

/** A ledger record as the derivation sees it (the plain facts, no proof). */
export interface ConsentRecord {
  id: string;
  contactId: string;
  purpose: Purpose;
  channel: Channel;
  status: ConsentStatus;
  source: ConsentSource;
  effectiveAt: number;
  recordedAt: number;
  wording: string | null;
  actor: Actor;
}

export const isPurpose = (v: unknown): v is Purpose => (PURPOSES as readonly unknown[]).includes(v);
export const isChannel = (v: unknown): v is Channel => (CHANNELS as readonly unknown[]).includes(v);
