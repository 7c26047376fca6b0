import { Pool } from 'undici';
import { SECOND } from '../shared/time.js';

/**
 * Keep-alive connection pools, one per provider origin, shared by the adapters. Sized so one sender at
 * 1,000 msg/s with ~50 ms provider latency has enough sockets (≈ rate × latency, with headroom).
 */
export class HttpPools {
  readonly #pools = new Map<string, Pool>();
  readonly #connections: number;

  constructor(connections = 128) {
    this.#connections = connections;
  }

  get(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.#connections,
        pipelining: 1,
        keepAliveTimeout: 30 * SECOND,
        keepAliveMaxTimeout: 60 * SECOND,
        headersTimeout: 15 * SECOND,
        bodyTimeout: 15 * SECOND,
        connectTimeout: 5 * SECOND,
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((p) => p.close().catch(() => {})));
  }
}

/** Splits a base URL into the pool origin and a path prefix (a base URL may carry a path). */
export function splitBaseUrl(baseUrl: string): { origin: string; prefix: string } {
  const url = new URL(baseUrl);
  return { origin: url.origin, prefix: url.pathname.replace(/\/+$/, '') };
}

/** Reads a response body as JSON, or undefined when it is empty or not JSON (providers answer HTML on some errors). */
export async function readJsonBody(body: { text(): Promise<string> }): Promise<any> {
  const text = await body.text();
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
