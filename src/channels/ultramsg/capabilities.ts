import type { ChannelCapabilities } from '../port.js';

/**
 * WhatsApp through UltraMsg, which drives a linked WhatsApp account: no provider templates (Parley
 * sends their rendered text), no interactive messages, no 24-hour window or tiers of its own; it
 * paces sends itself (`maxRate`), and its acks carry no event time.
 */
export const ULTRAMSG_CAPABILITIES: ChannelCapabilities = {
  channel: 'whatsapp',
  messageTypes: ['text', 'template', 'image', 'video', 'audio', 'sticker', 'document', 'location', 'reaction'],
  providerTemplates: false,
  serviceWindow: false,
  pairRateLimit: false,
  tierLimit: false,
  statusEventTimes: false,
  linkedSession: true,
};
