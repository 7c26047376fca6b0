import type { TObject } from '@sinclair/typebox';
import type { ParleyContext } from '../runtime/context.js';
import type { AfterInbound } from './on-inbound.js';

/**
 * What the conversations module needs from modules that depend on it (the outbound module reads the
 * service window here, so this module cannot import it): sending a message into a conversation,
 * listing the templates a contact can be sent, and reading the sender's channel and the contact. Implemented by `outbound/` and `templates/`, wired at
 * the composition root (`main/modules.ts`), as consent's `SendConfirmation` is.
 */

/**
 * A message into a conversation, in the send API's shape (`POST /v1/messages` without `to`, `from`,
 * `contactId`: the conversation gives them): `type` and its payload (`text`, `template`, `image`,
 * `interactive`, ...), optionally `replyTo` and `metadata`. Checked by the implementation like any send.
 */
export type ConversationMessage = { type: string } & Record<string, unknown>;

export interface ConversationSendInput {
  workspaceId: string;
  senderId: string;
  contactId: string;
  message: ConversationMessage;
  /** The lane the message travels in: `conversation` for replies and surveys. */
  lane: 'conversation';
  /** Makes the send idempotent: the same key and message accept once. */
  idempotencyKey: string;
  /** Recorded on the message with the caller's own `metadata` (`conversationId`, `cycle`, `author`). */
  metadata: Record<string, unknown>;
}

/** What became of a send: accepted into the outbox, or refused by a policy gate (with the gate's code and reason). */
export type ConversationSendResult =
  | { outcome: 'accepted'; messageId: string; replayed: boolean }
  | { outcome: 'refused'; messageId: string; code: string; reason: string; replayed: boolean };

/** Accepts a message for the conversation's contact from its sender (`outbound/`). Throws the send API's 4xx errors for a bad message. */
export type ConversationSend = (ctx: ParleyContext, input: ConversationSendInput) => Promise<ConversationSendResult>;

/**
 * Accepts a run of messages (each for its conversation's contact from its sender) in order, committed
 * together; each settles alone: its result, or the error `ConversationSend` would have thrown for it.
 */
export type ConversationSendMany = (ctx: ParleyContext, inputs: readonly ConversationSendInput[]) => Promise<Array<{ ok: true; result: ConversationSendResult } | { ok: false; error: unknown }>>;

/** An approved template a contact can be sent now, with the parameters it needs. */
export interface UsableTemplate {
  /** The template's id (`GET /v1/templates/{id}`, `POST /v1/templates/{id}/preview`). */
  id: string;
  name: string;
  language: string;
  category: string;
  /** The body's text with its placeholders, to show a person choosing one. */
  body: string | null;
  /** The parameters a send must give, per component (`header`, `body`, `button:0`), by placeholder name or position. */
  parameters: Array<{ component: string; name: string; example: string | null }>;
  /** The live version's components in Meta's shape (header, body, footer, buttons), to show the message as the customer will see it. */
  components: unknown[];
}

/** The approved, usable templates of the sender's account in the language (`templates/`): exact language first, then its base language. */
export type UsableTemplates = (ctx: ParleyContext, input: { workspaceId: string; senderId: string; language: string | null }) => Promise<UsableTemplate[]>;

/** What a reply needs to know of the conversation's sender and contact, which other modules own. */
export interface ConversationPeer {
  /** Whether the sender's channel is bound by the 24-hour service window (its `serviceWindow` capability). */
  boundByWindow: boolean;
  /** The contact's language (`pt_BR`), if known: which templates a closed window offers, a survey's question. */
  contactLanguage: string | null;
  /** The contact's name, opened (personal data: used to fill a canned reply, never stored by this module). */
  contactName: string | null;
}

/** Reads the peer facts of a conversation (`outbound/`: it knows senders' channels and contacts). Undefined: no such sender or contact. */
export type ConversationPeers = (ctx: ParleyContext, input: { workspaceId: string; senderId: string; contactId: string }) => Promise<ConversationPeer | undefined>;

/** What the conversations list shows of a contact with `include=contact` (personal data: never stored by this module). */
export interface ConversationContactCard {
  /** The contact's display name; null when unknown, merged into another contact or erased. */
  name: string | null;
  /** The contact's phone number (E.164); null when merged or erased. */
  phone: string | null;
}

/**
 * Reads a page's contacts, decrypted, in one query (`contacts/`, which owns them): by contact id; an id
 * not of the workspace is absent. The caller has checked `contacts.read_pii` and records the read.
 */
export type ConversationContactCards = (ctx: ParleyContext, input: { workspaceId: string; contactIds: readonly string[] }) => Promise<Map<string, ConversationContactCard>>;

/** The ports, as the composition root hands them to the module. */
export interface ConversationPorts {
  send: ConversationSend;
  /**
   * The schema of a message into a conversation (`ConversationMessage`): the send API's, without what
   * the conversation decides (`outbound/`'s, so the reply route documents and checks the same payloads).
   */
  messageBody: TObject;
  usableTemplates: UsableTemplates;
  peer: ConversationPeers;
  /** The contacts' names and numbers a conversations list shows (`contacts/`). */
  contactCards: ConversationContactCards;
  /**
   * Reactions to a customer's message that may take a new conversation before the assignment engine
   * gives it to a person (the bot's, `bot/`), run in order after the message is recorded.
   */
  answerFirst: readonly AfterInbound[];
}
