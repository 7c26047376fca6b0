import { isStorageFull } from './storage-monitor.js';
/**
 * Errors that mean "the database cannot be reached right now" rather than "this request is wrong":
 * a PostgreSQL restart or failover (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect
 * now, class 08 connection exceptions, 53300 too many connections), a refused, reset or timed-out
 * socket, a client whose connection died ("Connection terminated unexpectedly"), and SQLite's
 * SQLITE_BUSY past the busy timeout. They are answered 503 with Retry-After (DATABASE_UNAVAILABLE),
 * and background loops back off and retry them.
 */
const PG_CODES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006', '08007']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTCONN', 'ECONNABORTED']);
const MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|is not queryable|Connection ended unexpectedly|terminating connection due to administrator command|the database system is (starting up|shutting down|in recovery mode)/i;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 4) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (PG_CODES.has(e.code) || SOCKET_CODES.has(e.code) || e.code.startsWith('SQLITE_BUSY'))) return true;
  if (typeof e.message === 'string' && MESSAGES.test(e.message)) return true;
  // A connect to "localhost" fails with an AggregateError of the IPv4 and IPv6 attempts.
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

/**
 * Logs a failing background pass without flooding the log during an outage: a database that is
 * unreachable is reported as a warning on the first failure and then every 30th, with the count;
 * any other error is logged as an error each time.
 */
export function logLoopFailure(logger: { warn: (obj: object, msg: string) => void; error: (obj: object, msg: string) => void }, error: unknown, failures: number, what: string): void {
  if (isDatabaseUnavailable(error)) {
    if (failures === 1 || failures % 30 === 0) logger.warn({ err: error, failures }, `${what}: database unavailable; backing off and retrying`);
    return;
  }
  // A full disk is logged once per episode by the storage monitor, not once per pass.
  if (isStorageFull(error)) return;
  logger.error({ err: error, failures }, `${what} failed; retrying`);
}

/**
 * The delay before the next attempt after `failures` consecutive failed passes: doubling from
 * `baseMs`, at most `capMs`, with jitter (between half and all of it) so processes coming back
 * together do not hit the database in step.
 */
export function failureBackoff(failures: number, baseMs = 250, capMs = 5_000, random: () => number = Math.random): number {
  if (failures <= 0) return 0;
  const delay = Math.min(capMs, baseMs * 2 ** Math.min(20, failures - 1));
  return Math.round(delay / 2 + (delay / 2) * random());
}
