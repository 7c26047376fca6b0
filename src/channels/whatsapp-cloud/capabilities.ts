import type { ChannelCapabilities } from '../port.js';

/** WhatsApp through Meta's Cloud API. */
export const CLOUD_CAPABILITIES: ChannelCapabilities = {
  channel: 'whatsapp',
  messageTypes: ['text', 'template', 'image', 'video', 'audio', 'sticker', 'document', 'location', 'contacts', 'interactive', 'reaction'],
  providerTemplates: true,
  serviceWindow: true,
  pairRateLimit: true,
  tierLimit: true,
  // Meta's highest throughput tier (80 msg/s by default; senders carry their own `mps`).
  maxThroughput: 1000,
  statusEventTimes: true,
  linkedSession: false,
};
