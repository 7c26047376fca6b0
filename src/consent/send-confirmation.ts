import type { ParleyContext } from '../runtime/context.js';
import type { OptKind } from './opt-out-keywords.js';

/**
 * The port through which the consent module has an opt-out / opt-in confirmation sent. Sending
 * belongs to the outbound module; consent only says what to send to whom. Implementations MUST be
 * idempotent on `dedupKey` (unique per workspace): the handlers run at least once, and a redelivered
 * inbound message must not produce a second confirmation.
 */
export interface ConfirmationRequest {
  workspaceId: string;
  contactId: string;
  /** The sender number the customer wrote to; the confirmation goes out from it. */
  senderId: string;
  text: string;
  /** The language the text is in (a key of `CONFIRMATION_TEXTS`). */
  language: string;
  reason: OptKind;
  /** `consent-confirmation:<inbound message id>`. */
  dedupKey: string;
}

export type SendConfirmation = (ctx: ParleyContext, input: ConfirmationRequest) => Promise<void>;

/**
 * The port through which a confirmation gets a link to the contact's preference page, when Parley has
 * a public URL: the page belongs to the preferences module. Undefined: the text goes without a link.
 */
export type PreferenceLinkFor = (ctx: ParleyContext, claims: { workspaceId: string; contactId: string }) => string | undefined;
