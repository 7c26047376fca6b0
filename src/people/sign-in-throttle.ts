import rateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { Keyring } from '../crypto/keyring.js';
import { signInHash } from '../access/users/email.js';
import { ParleyError } from '../errors/parley-error.js';
import type { ParleyApp } from '../http/types.js';
import type { Config } from '../config/load.js';
import { MINUTE } from '../shared/time.js';

/** A key asked about without counting: "would this attempt be over the limit?". */
const PEEK = 'peek:';

/**
 * The rate-limit plugin's store for failed sign-ins. The plugin counts every call to a limiter; sign-in
 * must count only failures, yet refuse every attempt once the failures reach the limit. So each limit
 * has two limiters over this one store: a peek before the password is checked, which reports the
 * number this attempt would be if it failed (`failures + 1`) without counting it, and a count after a
 * failure. The window starts at the first failure and the counts live in this process only.
 */
export class SignInFailureStore implements FastifyRateLimitStore {
  readonly #failures = new Map<string, { count: number; startedAt: number }>();

  incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow = 15 * MINUTE): void {
    const now = Date.now();
    const peek = key.startsWith(PEEK);
    const id = peek ? key.slice(PEEK.length) : key;
    let entry = this.#failures.get(id);
    if (entry && entry.startedAt + timeWindow <= now) {
      this.#failures.delete(id);
      entry = undefined;
    }
    if (!peek) {
      if (this.#failures.size >= 100_000) this.#forgetExpired(now, timeWindow);
      entry ??= { count: 0, startedAt: now };
      entry.count += 1;
      this.#failures.set(id, entry);
    }
    const count = entry?.count ?? 0;
    callback(null, { current: peek ? count + 1 : count, ttl: entry ? entry.startedAt + timeWindow - now : timeWindow });
  }

  child(): FastifyRateLimitStore {
    return this;
  }

  #forgetExpired(now: number, timeWindow: number): void {
    for (const [id, entry] of this.#failures) if (entry.startedAt + timeWindow <= now) this.#failures.delete(id);
  }
}

export interface SignInThrottle {
  /** Refuses (429 SIGN_IN_THROTTLED with Retry-After) when the account or the address reached its limit of failures. */
  check(request: FastifyRequest): Promise<void>;
  /** Counts a failed attempt against the account and the address. */
  fail(request: FastifyRequest): Promise<void>;
}

/**
 * Registers the rate-limit plugin in the sign-in routes' scope (no limit on any route by itself) and
 * builds the limiters per account (the keyed hash of the address, the same whether or not an account
 * exists) and per client address.
 */
export async function signInThrottle(app: ParleyApp, keyring: Keyring, config: Config): Promise<SignInThrottle> {
  await app.register(rateLimit, { global: false, store: SignInFailureStore, timeWindow: config.signInLockoutMinutes * MINUTE });
  const emailOf = (request: FastifyRequest) => (request.body as { email: string }).email;
  const accountKey = (request: FastifyRequest) => `account:${signInHash(keyring, emailOf(request))}`;
  const addressKey = (request: FastifyRequest) => `address:${request.ip}`;
  const perAccount = config.signInFailuresPerAccount;
  const perAddress = config.signInFailuresPerAddress;
  const peeks = [
    app.createRateLimit({ keyGenerator: (r) => PEEK + accountKey(r), max: perAccount }),
    app.createRateLimit({ keyGenerator: (r) => PEEK + addressKey(r), max: perAddress }),
  ];
  const counts = [app.createRateLimit({ keyGenerator: accountKey, max: perAccount }), app.createRateLimit({ keyGenerator: addressKey, max: perAddress })];
  return {
    async check(request) {
      const limits = await Promise.all(peeks.map((peek) => peek(request)));
      const exceeded = limits.flatMap((l) => (!l.isAllowed && l.isExceeded ? [l.ttlInSeconds] : []));
      if (!exceeded.length) return;
      const retryAfter = Math.max(1, ...exceeded);
      throw new ParleyError('SIGN_IN_THROTTLED', { message: `Too many failed sign-ins: try again in ${retryAfter} seconds.`, details: { retryAfterSeconds: retryAfter } });
    },
    async fail(request) {
      await Promise.all(counts.map((count) => count(request)));
    },
  };
}
