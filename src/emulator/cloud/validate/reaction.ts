import { badParam, requireObject, stringField, type Json } from './checks.js';

/**
 * `reaction: { message_id, emoji }`; an empty emoji removes a reaction. Whether the target message exists
 * is not checked here: Meta accepts the request and reports 131009 by webhook (see rules/evaluate.ts).
 */
export function validateReaction(message: Json): void {
  const reaction = requireObject(message, 'reaction', '');
  stringField(reaction, 'message_id', 'reaction', { required: true, max: 128 });
  const emoji = reaction.emoji;
  if (emoji === undefined || emoji === null) throw badParam("The parameter reaction['emoji'] is required (an empty string removes a reaction).");
  stringField(reaction, 'emoji', 'reaction', { max: 10 });
}
