import type { ProviderSettings } from './sender-identity.js';

/**
 * A sender as the rest of Parley sees it: credentials stay encrypted until an adapter needs them.
 * `provider` and `settings` go together (`ProviderSettings`): each provider's adapter reads its own
 * settings; other code asks `channels/sender-identity.ts` for what has a provider-neutral meaning.
 */
export type Sender = SenderCommon & ProviderSettings;

/** The fields of a sender every provider has. */
export interface SenderCommon {
  id: string;
  workspaceId: string;
  name: string;
  baseUrl: string;
  /**
   * The WhatsApp Business Account whose templates the sender uses (a Cloud API number's own WABA; an
   * UltraMsg sender may name one for its templates' text); null for none.
   */
  wabaId: string | null;
  displayPhone: string | null;
  mps: number;
  messagingLimit: number | null;
  portfolioId: string;
  status: 'active' | 'disabled';
  quality: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface SenderCredentials {
  /** Cloud API bearer token. */
  accessToken?: string;
  /** UltraMsg instance token. */
  token?: string;
}
