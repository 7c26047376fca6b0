import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

/**
 * The bot benchmark's client side, in a worker thread so it shares no event loop with Parley: the
 * customers, posting signed Cloud API webhooks, and the provider, a fake Cloud API that accepts every
 * `POST /{version}/{phone_number_id}/messages` and notes when it arrived and for whom.
 *
 * The thread starts the provider and posts `{ type: 'ready', port }`; then each `{ type: 'seed' }` or
 * `{ type: 'run' }` from the parent is answered with a `BotPhaseResult`. `seed`: every customer writes
 * "hi" (`rate` a second), which opens a conversation the bot takes and answers with its menu. `run`:
 * customers in turn tap one of the menu's buttons, `rate` taps a second for `durationMs`; a customer
 * whose last message is still unanswered is skipped, so every reply answers one known message. The
 * latency of a message is the time from the start of its webhook POST to the first send to that
 * customer that reaches the provider after it. Times are epoch milliseconds (`timeOrigin + now()`),
 * comparable with the database's timestamps.
 */
export interface BotClientSpec {
  secret: string;
  phoneNumberId: string;
  contacts: number;
  rate: number;
  durationMs: number;
}

export type BotCommand = { type: 'seed' } | { type: 'run' };

/** One customer message: when its webhook POST started and ended, and when the bot's reply reached the provider (null: never). */
export interface Exchange {
  wamid: string;
  to: string;
  sentAt: number;
  postedAt: number;
  repliedAt: number | null;
}

export interface BotPhaseResult {
  posted: number;
  failed: number;
  exchanges: Exchange[];
  /** Turns passed over because the customer still waited for the bot's previous reply. */
  skipped: number;
  /** Sends that reached the provider in this phase (a tap is answered by two: the option's text, then the menu again). */
  providerSends: number;
  /** The client thread's event-loop utilisation during the phase (it must stay well below 1 for the times to be fair). */
  clientLoopUtilisation: number;
}

export const customerPhone = (i: number) => `1650${String(5_000_000 + i).padStart(7, '0')}`;
const OPTIONS = [
  { id: 'a', title: 'Option A' },
  { id: 'b', title: 'Option B' },
  { id: 'c', title: 'Option C' },
] as const;

const clock = () => performance.timeOrigin + performance.now();

function webhookBody(phoneNumberId: string, from: string, wamid: string, message: Record<string, unknown>): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
      contacts: [{ profile: { name: 'Customer' }, wa_id: from }],
      messages: [{ from, id: wamid, timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
    } }] }],
  });
}

async function main(spec: BotClientSpec, port: NonNullable<typeof parentPort>) {
  /** Customer → the exchange still waiting for the bot's reply. */
  const waiting = new Map<string, Exchange>();
  /** Customer → the provider id of the last message the bot sent them (what a tap quotes). */
  const lastSent = new Map<string, string>();
  let providerSends = 0;
  let nextWamid = 0;

  const provider = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = clock();
      let to = '';
      try {
        to = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { to?: unknown }).to ?? '').replace(/\D/g, '');
      } catch {
        // A body that is not JSON still gets an answer; it is counted as a send to nobody.
      }
      const wamid = `wamid.bot-bench.out.${++nextWamid}`;
      providerSends++;
      lastSent.set(to, wamid);
      const exchange = waiting.get(to);
      if (exchange && req.method === 'POST' && req.url?.endsWith('/messages')) {
        exchange.repliedAt = at;
        waiting.delete(to);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id: wamid }] }));
    });
  });
  provider.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  let pool: Pool | undefined;
  port.postMessage({ type: 'ready', port: (provider.address() as AddressInfo).port });

  const phase = async (mode: BotCommand['type'], origin: string): Promise<BotPhaseResult> => {
    pool ??= new Pool(origin, { connections: 64, pipelining: 1 });
    const elu0 = performance.eventLoopUtilization();
    const sendsBefore = providerSends;
    const exchanges: Exchange[] = [];
    let posted = 0;
    let failed = 0;
    let skipped = 0;
    const post = async (contact: number, n: number) => {
      const from = customerPhone(contact);
      const wamid = `wamid.bot-bench.${mode}.${n}`;
      const option = OPTIONS[n % OPTIONS.length]!;
      const quoted = lastSent.get(from);
      const message = mode === 'seed'
        ? { type: 'text', text: { body: 'hi' } }
        : { ...(quoted ? { context: { from: '15550783881', id: quoted } } : {}), type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: option.id, title: option.title } } };
      const text = webhookBody(spec.phoneNumberId, from, wamid, message);
      const signature = `sha256=${createHmac('sha256', spec.secret).update(text).digest('hex')}`;
      const exchange: Exchange = { wamid, to: from, sentAt: clock(), postedAt: NaN, repliedAt: null };
      waiting.set(from, exchange);
      exchanges.push(exchange);
      try {
        const res = await pool!.request({ path: '/webhooks/whatsapp/cloud', method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: text });
        await res.body.dump();
        exchange.postedAt = clock();
        if (res.statusCode === 200) posted++;
        else failed++;
      } catch {
        failed++;
      }
    };

    // Seeding: every customer once. Measuring: customers in turn for durationMs.
    const total = mode === 'seed' ? spec.contacts : Infinity;
    const started = performance.now();
    let scheduled = 0;
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      const elapsed = performance.now() - started;
      if (scheduled >= total || (mode === 'run' && elapsed >= spec.durationMs)) break;
      const due = Math.min(total, Math.floor((elapsed / 1000) * spec.rate));
      while (scheduled < due) {
        const n = scheduled++;
        const contact = n % spec.contacts;
        if (waiting.has(customerPhone(contact))) {
          skipped++;
          continue;
        }
        const p = post(contact, n).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await Promise.all(inFlight);
    // The last replies: until every message is answered, or 30 s (an unanswered one counts as missing).
    const settleBy = performance.now() + 30_000;
    while (waiting.size > 0 && performance.now() < settleBy) await new Promise((resolve) => setTimeout(resolve, 50));
    // Second sends of the last taps (the menu after the option's text) land before the next phase.
    await new Promise((resolve) => setTimeout(resolve, 500));
    waiting.clear();
    const loop = performance.eventLoopUtilization(elu0);
    return { posted, failed, exchanges, skipped, providerSends: providerSends - sendsBefore, clientLoopUtilisation: loop.utilization };
  };

  port.on('message', (msg: BotCommand & { origin: string } | { type: 'stop' }) => {
    if (msg.type === 'stop') {
      void (pool?.close() ?? Promise.resolve()).then(() => {
        provider.closeAllConnections();
        provider.close(() => port.postMessage({ type: 'stopped' }));
      });
      return;
    }
    void phase(msg.type, msg.origin).then((result) => port.postMessage({ type: 'result', result }));
  });
}

if (parentPort && workerData) await main(workerData as BotClientSpec, parentPort);
