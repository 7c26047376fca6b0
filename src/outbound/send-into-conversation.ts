import type { ConversationSend, ConversationSendInput, ConversationSendMany, ConversationSendResult } from '../conversations/ports.js';
import { assertMatches } from '../http/schemas.js';
import { acceptMessage, acceptMessages, type AcceptInput, type AcceptResult } from './accept.js';
import { Type } from '@sinclair/typebox';
import { SendMessageBody } from './content-schema.js';

/**
 * A message into a conversation, as the reply route takes it: the send API's body without what the
 * conversation decides (recipient, sender, lane), nor scheduling, intents or the caller's metadata
 * (a reply goes now, as written, and its metadata names the conversation and the author).
 */
export const ConversationMessageBody = Type.Omit(SendMessageBody, ['to', 'contactId', 'from', 'lane', 'category', 'intent', 'sendAt', 'validUntil', 'metadata'], { additionalProperties: false });

/**
 * The conversations module's send port, implemented by the outbound module and wired at the
 * composition root: a reply, a survey or any message into a conversation is accepted like any other
 * message (the policy gates, the outbox, the dispatcher), from the conversation's sender to its
 * contact. A malformed message throws the send API's 400; a gate's refusal is returned, not thrown, so
 * the caller can say what to do instead (a template when the window is closed).
 */
export const sendIntoConversation: ConversationSend = async (ctx, input) => resultOf(await acceptMessage(ctx, ctx.gates, acceptInputOf(input)));

/** `sendIntoConversation` for a run of messages (the bot's answers of one step), committed together. */
export const sendManyIntoConversation: ConversationSendMany = async (ctx, inputs) => {
  const prepared = inputs.map((input) => {
    try {
      return { ok: true as const, value: acceptInputOf(input) };
    } catch (error) {
      return { ok: false as const, error };
    }
  });
  const valid = prepared.flatMap((p) => (p.ok ? [p.value] : []));
  const settled = await acceptMessages(ctx, ctx.gates, valid);
  let next = 0;
  return prepared.map((p) => {
    if (!p.ok) return { ok: false as const, error: p.error };
    const s = settled[next++];
    return s.ok ? { ok: true as const, result: resultOf(s.result) } : s;
  });
};

function acceptInputOf(input: ConversationSendInput): AcceptInput {
  const body = { ...input.message, contactId: input.contactId, from: input.senderId, lane: input.lane, metadata: { ...((input.message.metadata as Record<string, unknown> | undefined) ?? {}), ...input.metadata } };
  assertMatches(SendMessageBody, body);
  return { workspaceId: input.workspaceId, idempotencyKey: input.idempotencyKey, body };
}

function resultOf(result: AcceptResult): ConversationSendResult {
  if (result.outcome === 'accepted') return { outcome: 'accepted', messageId: result.view.id, replayed: result.replayed };
  const last = result.view.decisions.at(-1);
  return { outcome: 'refused', messageId: result.view.id, code: last?.code ?? 'REFUSED', reason: last?.reason ?? 'refused by a policy gate', replayed: result.replayed };
}
