import { ParleyError } from '../errors/parley-error.js';
import { DAY } from './time.js';

const isDay = (d: string) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;

/** Checks a report's `from`..`to` (YYYY-MM-DD, inclusive, at most `maxDays` apart): `METRICS_RANGE_INVALID` naming the field otherwise. */
export function checkDayRange(from: string, to: string, maxDays = 366): { fromMs: number; toMs: number } {
  if (!isDay(from) || !isDay(to)) throw new ParleyError('METRICS_RANGE_INVALID', { field: isDay(from) ? '/to' : '/from' });
  const fromMs = Date.parse(`${from}T00:00:00Z`);
  const toMs = Date.parse(`${to}T00:00:00Z`) + DAY;
  const span = (toMs - DAY - fromMs) / DAY;
  if (span < 0 || span > maxDays) throw new ParleyError('METRICS_RANGE_INVALID', { field: '/to' });
  return { fromMs, toMs };
}
