/**
 * Pair rate: one business number to one customer (Meta: about 1 message per 6 s, bursts of up to 45 in 6 s
 * that borrow from future quota; error 131056). Modelled as a debt: each message pushes `tat` (the time
 * at which the pair is even again) by `intervalMs`. A message is allowed when the pair is even, or inside
 * a burst that started less than `burstWindowMs` ago and has fewer than `burst` messages. So after a
 * burst of 20 the pair waits 20 × 6 s = 2 minutes, as Meta describes.
 */
export interface PairState {
  tat: number;
  burstStart: number;
  burstCount: number;
}

export interface PairLimits {
  pairBurst: number;
  pairBurstWindowMs: number;
  pairIntervalMs: number;
}

export function checkPairRate(state: PairState | undefined, limits: PairLimits, now: number): { allowed: boolean; state: PairState | undefined } {
  if (!state || state.tat <= now) return { allowed: true, state: { tat: now + limits.pairIntervalMs, burstStart: now, burstCount: 1 } };
  if (now - state.burstStart < limits.pairBurstWindowMs && state.burstCount < limits.pairBurst) {
    return { allowed: true, state: { tat: state.tat + limits.pairIntervalMs, burstStart: state.burstStart, burstCount: state.burstCount + 1 } };
  }
  return { allowed: false, state };
}
