import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type RunningEmulator, type StartEmulatorOptions } from '../../src/emulator/index.js';

export interface ReceivedPost {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: any;
}

/** A local webhook receiver that records every POST; `behave` decides each answer (status, delay). */
export interface Receiver {
  url: string;
  posts: ReceivedPost[];
  behave: (post: ReceivedPost, index: number) => { status?: number; delayMs?: number } | undefined;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = { url: '', posts: [], behave: () => undefined, close: async () => {} };
  let count = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const post: ReceivedPost = { path: req.url ?? '', headers: req.headers, raw, body: raw ? JSON.parse(raw) : undefined };
      const decision = receiver.behave(post, count++) ?? {};
      const answer = () => {
        if ((decision.status ?? 200) < 300) receiver.posts.push(post);
        res.statusCode = decision.status ?? 200;
        res.end('ok');
      };
      if (decision.delayMs) setTimeout(answer, decision.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** Fast timings so that tests see sent → delivered → read in milliseconds. */
export const FAST_BEHAVIOUR = {
  statusLatencyMs: { sent: [1, 3], delivered: [1, 3], read: [1, 3] },
  deliveredRate: 1,
  readRate: 1,
  batchWindowMs: 5,
  retry: { initialDelayMs: 20, maxDelayMs: 100, maxAttempts: 20 },
  templateReview: { delayMs: 10 },
  webhookTimeoutMs: 1000,
};

/**
 * The UltraMsg instance of fast tests: no send delay (the emulator's default is UltraMsg's 1 s, growing to
 * 15 s past 10 queued). Tests of the queue model give their own instances.
 */
export const FAST_ULTRAMSG = { instances: [{ instanceId: 'instance1150', sendDelayMs: 0 }] };

export interface TestEmulator {
  emu: RunningEmulator;
  receiver: Receiver;
  /** A Graph call with the emulator's bearer token. */
  graph(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  send(body: Record<string, unknown>, phoneNumberId?: string): Promise<{ status: number; body: any }>;
  control(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** Every status object received so far, across batches. */
  statuses(): any[];
  /** Every `messages` change value received so far. */
  values(): any[];
  close(): Promise<void>;
}

export async function startTestEmulator(options: StartEmulatorOptions & { behaviour?: Record<string, unknown> } = {}): Promise<TestEmulator> {
  const receiver = await startReceiver();
  const config = { ...(options.config ?? {}), ultramsg: { ...FAST_ULTRAMSG, ...((options.config as any)?.ultramsg ?? {}) }, behaviour: { ...FAST_BEHAVIOUR, ...(options.behaviour ?? {}), ...((options.config as any)?.behaviour ?? {}) } };
  const emu = await startEmulator({ seed: 42, ...options, config, cloudWebhookUrl: options.cloudWebhookUrl ?? `${receiver.url}/cloud`, ultramsgWebhookUrl: options.ultramsgWebhookUrl ?? `${receiver.url}/ultramsg` });
  const call = async (method: string, path: string, body: unknown, headers: Record<string, string>) => {
    const response = await fetch(`${emu.info.url}${path}`, { method, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  const t: TestEmulator = {
    emu,
    receiver,
    graph: (method, path, body) => call(method, path, body, { authorization: `Bearer ${emu.info.accessToken}` }),
    send: (body, phoneNumberId = emu.info.phoneNumberIds[0]) => t.graph('POST', `/v21.0/${phoneNumberId}/messages`, { messaging_product: 'whatsapp', ...body }),
    control: (method, path, body) => call(method, `/_emulator${path}`, body, {}),
    statuses: () => receiver.posts.filter((p) => p.path === '/cloud').flatMap((p) => p.body.entry.flatMap((e: any) => e.changes.flatMap((c: any) => c.value.statuses ?? []))),
    values: () => receiver.posts.filter((p) => p.path === '/cloud').flatMap((p) => p.body.entry.flatMap((e: any) => e.changes.filter((c: any) => c.field === 'messages').map((c: any) => c.value))),
    close: async () => {
      await emu.close();
      await receiver.close();
    },
  };
  return t;
}

/** Polls until `probe` returns something truthy (webhooks arrive asynchronously); fails naming what it waited for. */
export async function waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A clock the test moves by hand, for exact rate-limit boundaries. */
export function manualClock(start = Date.UTC(2025, 6, 1, 12)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

export const template = (name: string, language = 'en_US', bodyParams: string[] = [], extra: Record<string, unknown>[] = []) => ({
  type: 'template',
  template: { name, language: { code: language }, components: [...(bodyParams.length ? [{ type: 'body', parameters: bodyParams.map((text) => ({ type: 'text', text })) }] : []), ...extra] },
});
