import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

/**
 * The inbox benchmark's client side, in a worker thread so it does not share the server's event loop:
 * posts customers' messages as signed Cloud API webhooks and holds the agents' streams open.
 *
 * `seed`: one message from each of `contacts` customers, as fast as 64 connections allow (opens their
 * conversations). `run`: opens `streams` connections to `GET /v1/stream`, then posts `rate` messages a
 * second for `durationMs`, customers in turn, and records when each `conversation.message_in` event
 * reaches each stream. Times are this thread's `performance.now()`: send times and arrivals compare.
 */
export interface InboxSpec {
  mode: 'seed' | 'run';
  origin: string;
  secret: string;
  phoneNumberId: string;
  authorization: string;
  contacts: number;
  streams: number;
  rate: number;
  durationMs: number;
}

export interface InboxResult {
  posted: number;
  failed: number;
  /** Provider message id → when its webhook POST started. */
  sentAt: Record<string, number>;
  /** Parley message id → when its `conversation.message_in` reached each stream (NaN: never). */
  arrivals: Record<string, number[]>;
  /** For every tenth stream: how long after its commit (the event's `at`) each message_in event arrived, ms. */
  commitToStreamMs: number[];
  streamsOpen: number;
  streamsDropped: number;
}

const phone = (i: number) => `1650${String(5_000_000 + i).padStart(7, '0')}`;

function body(spec: InboxSpec, wamid: string, from: string): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550783881', phone_number_id: spec.phoneNumberId },
      contacts: [{ profile: { name: 'Customer' }, wa_id: from }],
      messages: [{ from, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'Where is my order?' } }],
    } }] }],
  });
}

async function run(spec: InboxSpec): Promise<InboxResult> {
  const pool = new Pool(spec.origin, { connections: 64, pipelining: 1 });
  const sentAt: Record<string, number> = {};
  let posted = 0;
  let failed = 0;
  const post = async (n: number, contact: number) => {
    const wamid = `wamid.inbox.${spec.mode}.${n}`;
    const text = body(spec, wamid, phone(contact));
    const signature = `sha256=${createHmac('sha256', spec.secret).update(text).digest('hex')}`;
    sentAt[wamid] = performance.now();
    try {
      const res = await pool.request({ path: '/webhooks/whatsapp/cloud', method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: text });
      await res.body.dump();
      if (res.statusCode === 200) posted++;
      else failed++;
    } catch {
      failed++;
    }
  };

  if (spec.mode === 'seed') {
    let next = 0;
    const lane = async () => {
      while (next < spec.contacts) await post(next, next++);
    };
    await Promise.all(Array.from({ length: 64 }, lane));
    await pool.close();
    return { posted, failed, sentAt: {}, arrivals: {}, commitToStreamMs: [], streamsOpen: 0, streamsDropped: 0 };
  }

  const arrivals: Record<string, number[]> = {};
  const commitToStreamMs: number[] = [];
  let dropped = 0;
  const sockets: Array<() => void> = [];
  await Promise.all(Array.from({ length: spec.streams }, (_, s) => new Promise<void>((resolve, reject) => {
    const url = new URL('/v1/stream', spec.origin);
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, headers: { accept: 'text/event-stream', authorization: spec.authorization } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream ${s}: ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        const now = performance.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!frame.includes('event: conversation.message_in')) continue;
          const at = frame.indexOf('"messageId":"');
          const messageId = frame.slice(at + 13, frame.indexOf('"', at + 13));
          (arrivals[messageId] ??= new Array(spec.streams).fill(NaN))[s] = now;
          if (s % 10 === 0) {
            const atAt = frame.indexOf('"at":"');
            commitToStreamMs.push(performance.timeOrigin + now - Date.parse(frame.slice(atAt + 6, frame.indexOf('"', atAt + 6))));
          }
        }
      });
      res.on('close', () => dropped++);
      resolve();
    });
    req.on('error', reject);
    req.end();
    sockets.push(() => req.destroy());
  })));

  const started = performance.now();
  let scheduled = 0;
  const inFlight = new Set<Promise<void>>();
  while (performance.now() - started < spec.durationMs) {
    const due = Math.floor(((performance.now() - started) / 1000) * spec.rate);
    while (scheduled < due) {
      const n = scheduled++;
      const p = post(n, n % spec.contacts).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await Promise.all(inFlight);
  // Let the last events arrive: until every stream has had every message, or 15 s.
  const settleBy = performance.now() + 15_000;
  while (performance.now() < settleBy && (Object.keys(arrivals).length < posted || Object.values(arrivals).some((a) => a.some(Number.isNaN)))) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const streamsDropped = dropped;
  for (const close of sockets) close();
  await pool.close();
  return { posted, failed, sentAt, arrivals, commitToStreamMs, streamsOpen: spec.streams, streamsDropped };
}

if (parentPort && workerData) parentPort.postMessage(await run(workerData as InboxSpec));
