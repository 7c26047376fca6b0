/**
 * The words of consent, shared by the policy (a draft's purpose and channel), the consent ledger and
 * the contact import: what a message is for, the channel it goes by, and a record's status. Defined
 * here once; `consent/types.ts` re-exports them. This module imports nothing of Parley's.
 */
export const PURPOSES = ['marketing', 'utility', 'authentication', 'service'] as const;
export type Purpose = (typeof PURPOSES)[number];

export const CHANNELS = ['whatsapp', 'sms', 'email'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CONSENT_STATUSES = ['granted', 'withdrawn'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];
