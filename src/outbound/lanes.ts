import type { Lane } from './gates/gate.js';
import { MINUTE } from '../shared/time.js';

/** Lane priority: lower is served first. Marketing can never delay an OTP. */
export const LANE_PRIORITY: Record<Lane, number> = { otp: 0, transactional: 1, conversation: 2, marketing: 3 };

export const LANES: readonly Lane[] = ['otp', 'transactional', 'conversation', 'marketing'];

/** An OTP without an explicit validity expires after this long: a late code is worse than none. */
export const DEFAULT_OTP_VALIDITY = 10 * MINUTE;
