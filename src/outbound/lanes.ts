import { MINUTE } from '../shared/time.js';

/** An OTP without an explicit validity expires after this long: a late code is worse than none. */
export const DEFAULT_OTP_VALIDITY = 10 * MINUTE;
