import type { ProviderName } from './sender-queries.js';

/** Where the real providers answer; a sender pointed elsewhere (the emulator) sets its own base URL. */
export const DEFAULT_BASE_URL: Record<ProviderName, string> = {
  cloud: 'https://graph.facebook.com',
  ultramsg: 'https://api.ultramsg.com',
};

/** Default throughput: Cloud API numbers start at 80 mps; UltraMsg sends about one a second per instance. */
export const DEFAULT_MPS: Record<ProviderName, number> = {
  cloud: 80,
  ultramsg: 1,
};
