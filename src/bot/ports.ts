import type { ConversationSendMany } from '../conversations/ports.js';

/**
 * What the bot needs from modules that depend on what it depends on, handed over by the composition
 * root (`main/modules.ts`): sending a message into its conversation, which the outbound module accepts
 * like any other (gates, outbox, dispatcher), as it does for people's replies.
 */
export interface BotPorts {
  /** The bot's answers of one step, accepted in order and committed together. */
  sendMany: ConversationSendMany;
}
