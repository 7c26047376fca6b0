import type { Gate } from './gate.js';

/** A message past its validity is never sent late: it ends `expired` (an OTP after its deadline is useless). */
export const validityGate: Gate<null> = {
  name: 'validity',
  load: async () => null,
  loadMany: async (_ctx, drafts) => drafts.map(() => null),
  decide(draft, _facts, now) {
    if (draft.validUntil !== undefined && draft.validUntil !== null && now > draft.validUntil) {
      return { outcome: 'refuse', code: 'expired', reason: `Valid until ${new Date(draft.validUntil).toISOString()}; not sent late.` };
    }
    return { outcome: 'pass' };
  },
};
