import { MetaError } from './cloud/errors.js';
import type { SeededRandom } from './shared/random.js';
import type { Faults } from './types.js';

/**
 * Fault injection on send endpoints. One draw decides among: no answer (timeout), an HTTP 500 (Graph code 1),
 * 131000, 131016; a second draw makes a successful answer slow. Rates are shares of requests.
 */
export type FaultDecision =
  | { kind: 'none'; slowMs: number }
  | { kind: 'timeout'; afterMs: number; processed: boolean }
  | { kind: 'error'; error: MetaError; name: string };

export function drawFault(faults: Faults, random: SeededRandom): FaultDecision {
  const slowMs = random.chance(faults.slowRate) ? faults.slowMs : 0;
  const total = faults.timeoutRate + faults.http5xxRate + faults.error131000Rate + faults.error131016Rate;
  if (total <= 0) return { kind: 'none', slowMs };
  let r = random.next();
  if ((r -= faults.timeoutRate) < 0) return { kind: 'timeout', afterMs: faults.timeoutMs, processed: faults.timeoutProcessed };
  if ((r -= faults.http5xxRate) < 0) return { kind: 'error', name: 'http5xx', error: new MetaError(1, undefined, { message: 'An unknown error has occurred.' }) };
  if ((r -= faults.error131000Rate) < 0) return { kind: 'error', name: '131000', error: new MetaError(131000) };
  if ((r -= faults.error131016Rate) < 0) return { kind: 'error', name: '131016', error: new MetaError(131016) };
  return { kind: 'none', slowMs };
}
