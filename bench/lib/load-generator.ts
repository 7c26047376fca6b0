import { createHmac } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

/**
 * The benchmark's client, run in a worker thread so it does not share the server's event loop.
 * It posts Cloud API status deliveries (signed like Meta signs them) either as fast as `concurrency`
 * connections allow (`max`) or at a fixed rate regardless of answers (`rate`, open loop), and
 * reports the time from sending each request to its answer.
 */
export interface LoadSpec {
  mode: 'max' | 'rate';
  origin: string;
  path: string;
  /** Sign with this app secret; null leaves the header out. */
  secret: string | null;
  concurrency: number;
  durationMs: number;
  /** Deliveries per second in `rate` mode. */
  rate: number;
  phoneNumberId: string;
  messagePrefix: string;
  firstMessage: number;
  messageCount: number;
  eventsPerDelivery: number;
  /** Share of statuses sent twice (Meta redelivers). */
  duplicateRate: number;
}

export interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  events: number;
  elapsedMs: number;
  latenciesMs: number[];
}

const WORDS = ['sent', 'delivered', 'read'] as const;

/** Status deliveries: every message gets sent, delivered and read (Meta's three per message), some twice. */
export function* deliveries(spec: LoadSpec): Generator<{ body: string; events: number }> {
  let batch: object[] = [];
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const envelope = (statuses: object[]) =>
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: spec.phoneNumberId }, statuses } }] }],
    });
  for (let round = 0; round < WORDS.length; round++) {
    for (let m = spec.firstMessage; m < spec.firstMessage + spec.messageCount; m++) {
      const status = {
        id: `${spec.messagePrefix}${m}`,
        status: WORDS[round],
        timestamp: String(Math.floor(Date.now() / 1000)),
        recipient_id: '16505551234',
        ...(round < 2 ? { pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' } } : {}),
      };
      const copies = random() < spec.duplicateRate ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        batch.push(status);
        if (batch.length === spec.eventsPerDelivery) {
          yield { body: envelope(batch), events: batch.length };
          batch = [];
        }
      }
    }
  }
  if (batch.length) yield { body: envelope(batch), events: batch.length };
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const pool = new Pool(spec.origin, { connections: spec.concurrency, pipelining: 1 });
  const source = deliveries(spec);
  const latencies: number[] = [];
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let events = 0;
  const started = performance.now();
  const deadline = started + spec.durationMs;

  const post = async (delivery: { body: string; events: number }) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (spec.secret) headers['x-hub-signature-256'] = `sha256=${createHmac('sha256', spec.secret).update(delivery.body).digest('hex')}`;
    const t0 = performance.now();
    sent++;
    try {
      const res = await pool.request({ path: spec.path, method: 'POST', headers, body: delivery.body });
      await res.body.dump();
      latencies.push(performance.now() - t0);
      if (res.statusCode === 200) {
        ok++;
        events += delivery.events;
      } else failed++;
    } catch {
      failed++;
    }
  };

  if (spec.mode === 'max') {
    const lane = async () => {
      while (performance.now() < deadline) {
        const next = source.next();
        if (next.done) return;
        await post(next.value);
      }
    };
    await Promise.all(Array.from({ length: spec.concurrency }, lane));
  } else {
    const inFlight = new Set<Promise<void>>();
    let scheduled = 0;
    while (performance.now() < deadline) {
      const due = Math.floor(((performance.now() - started) / 1000) * spec.rate);
      while (scheduled < due) {
        const next = source.next();
        if (next.done) break;
        scheduled++;
        const p = post(next.value).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await Promise.all(inFlight);
  }
  const elapsedMs = performance.now() - started;
  await pool.close();
  return { sent, ok, failed, events, elapsedMs, latenciesMs: latencies };
}

if (parentPort && workerData) parentPort.postMessage(await run(workerData as LoadSpec));
