/**
 * The lanes of outbound messages, highest priority first: an OTP is never delayed by a transactional
 * message, nor that by a conversation reply, nor that by marketing. The API, the database and the code
 * call it `lane` (`POST /v1/messages {"lane":"otp"}`, `messages.lane`); the API still accepts and
 * answers its earlier name `category` (decision 0013).
 * Defined here once; this module imports nothing of Parley's.
 */
export const LANES = ['otp', 'transactional', 'conversation', 'marketing'] as const;

export type Lane = (typeof LANES)[number];

/** Lane priority: lower is served first. Marketing can never delay an OTP. */
export const LANE_PRIORITY: Record<Lane, number> = { otp: 0, transactional: 1, conversation: 2, marketing: 3 };
