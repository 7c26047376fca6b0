// `npm run bench -- bot`: the bot answering 1,000 conversations at once, on the embedded default (SQLite).
// 1,000 customers each write "hi" (the bot takes each new conversation and sends its menu), then tap the
// menu's buttons, 300 taps a second in all, each customer waiting for the bot's answer before tapping
// again. The flow calls no business webhook: a three-button menu whose options each send a text and
// come back to the menu (two sends per tap). Measured: the time from the start of each inbound webhook
// POST to the first of the bot's sends to that customer reaching the provider, a fake Cloud API the
// sender's base URL points at (in the client thread); the main thread's event-loop time per message;
// the peak RSS. Seeding (the first "hi", which opens the conversation and starts the run) is reported
// apart from the measured taps.
//
// Run as `parley start` runs: the API in this thread, the background workers (webhook processor,
// dispatcher, bot sweep) in a worker thread, SQLite shared with the write turnstile. The latency
// includes the processor's and the dispatcher's wake-ups.
// Target (issue 16): p99 < 200 ms.
//
// With the taps, the stages of each answer are read back from the database (inbound message stored,
// the bot's send accepted into the outbox, its send attempt) to show where the time goes.
//
// Knobs (environment): BENCH_SECONDS (default 30), BENCH_RATE (taps/s, default 300),
// BENCH_CONTACTS (default 1000), PARLEY_WORKER_THREADS (default 2, as `parley start`).
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { AddressInfo } from 'node:net';
import { configWith } from '../src/config/load.js';
import { WriteTurnstile } from '../src/db/dialects/write-turnstile.js';
import { startThreadHosts } from '../src/main/worker-thread-host.js';
import { migrate } from '../src/db/migrate.js';
import { buildApp } from '../src/http/app.js';
import { APP } from '../src/main/modules.js';
import { providerIdHash } from '../src/messages/provider-ids.js';
import { createLogger } from '../src/observability/logger.js';
import { createContext } from '../src/main/create-context.js';
import { newId } from '../src/shared/ids.js';
import { sleep } from '../src/shared/time.js';
import { createWorkspace } from '../src/workspaces/workspace-queries.js';
import { createApiKey } from '../src/access/api-key-queries.js';
import type { FlowDefinition } from '../src/bot/flow-schema.js';
import type { BotClientSpec, BotCommand, BotPhaseResult, Exchange } from './lib/bot-clients.js';
import { machine, percentile as percentileOfSorted, round } from './lib/machine.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const RATE = Number(process.env.BENCH_RATE ?? 300);
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1000);
const LIMIT_MS = 200;
const SECRET = 'bench-app-secret';
const PHONE_NUMBER_ID = '106540352242922';

/** Every customer message gets an answer: the menu's options send a text and return to the menu. */
const FLOW: FlowDefinition = {
  name: 'bench-menu',
  defaultLanguage: 'en',
  start: 'menu',
  nodes: {
    menu: {
      type: 'menu',
      style: 'buttons',
      text: 'Hello! What would you like?',
      options: [
        { id: 'a', title: 'Option A', next: 'sent_a' },
        { id: 'b', title: 'Option B', next: 'sent_b' },
        { id: 'c', title: 'Option C', next: 'sent_c' },
      ],
    },
    sent_a: { type: 'send', message: { text: 'You picked A.' }, next: 'menu' },
    sent_b: { type: 'send', message: { text: 'You picked B.' }, next: 'menu' },
    sent_c: { type: 'send', message: { text: 'You picked C.' }, next: 'menu' },
  },
};

/** The client thread (customers and the fake provider): started once, driven phase by phase. */
class Clients {
  readonly #worker: Worker;
  readonly port: Promise<number>;
  #pending: ((result: BotPhaseResult) => void) | undefined;

  constructor(spec: BotClientSpec) {
    const entry = new URL('./lib/bot-clients.ts', import.meta.url).href;
    const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
    this.#worker = new Worker(code, { eval: true, workerData: spec });
    this.port = new Promise((resolve, reject) => {
      this.#worker.on('message', (msg: { type: 'ready'; port: number } | { type: 'result'; result: BotPhaseResult } | { type: 'stopped' }) => {
        if (msg.type === 'ready') resolve(msg.port);
        else if (msg.type === 'result') this.#pending?.(msg.result);
      });
      this.#worker.once('error', reject);
    });
  }

  phase(type: BotCommand['type'], origin: string): Promise<BotPhaseResult> {
    return new Promise((resolve) => {
      this.#pending = resolve;
      this.#worker.postMessage({ type, origin });
    });
  }

  async stop(): Promise<void> {
    await this.#worker.terminate();
  }
}

/** CPU milliseconds used so far by each thread of this process, by thread id (Linux /proc; empty elsewhere). */
function threadCpuMs(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100); // utime + stime, ticks of 1/100 s
    }
  } catch {
    // Not Linux: the figures are left out.
  }
  return out;
}

const percentile = (values: number[], p: number): number => percentileOfSorted([...values].sort((a, b) => a - b), p);
const log = (line: string) => process.stdout.write(`${line}\n`);
const latenciesOf = (exchanges: Exchange[]) => exchanges.flatMap((e) => (e.repliedAt === null ? [] : [e.repliedAt - e.sentAt]));
const summary = (values: number[]) => ({ p50Ms: round(percentile(values, 50), 1), p99Ms: round(percentile(values, 99), 1), maxMs: round(values.reduce((a, b) => Math.max(a, b), 0), 1) });

const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-'));
const databaseUrl = `sqlite:${path.join(dir, 'bench.db')}`;
const masterKey = randomBytes(32);
log(`bot benchmark: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
log(`${CONTACTS} bot conversations, ${RATE} inbound messages/s for ${SECONDS} s, SQLite`);

let rssPeak = 0;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);

const clients = new Clients({ secret: SECRET, phoneNumberId: PHONE_NUMBER_ID, contacts: CONTACTS, rate: RATE, durationMs: SECONDS * 1000 });
const providerPort = await clients.port;

const config = configWith({ databaseUrl, whatsappAppSecrets: SECRET, logLevel: 'silent', emulator: 'off', workerThreads: Number(process.env.PARLEY_WORKER_THREADS ?? 2) });
const writeTurnstile = new WriteTurnstile();
const ctx = createContext({ config, masterKey, logger: createLogger({ level: 'silent' }), writeTurnstile });
const store = ctx.store;
await migrate(store);
const workspace = await createWorkspace(store.db, { name: 'bench' });
const { key } = await createApiKey(store.db, { workspaceId: workspace.id, name: 'bot admin', scopes: ['admin'] });
const now = Date.now();
const senderId = newId('snd');
await store.db
  .insertInto('senders')
  .values({ id: senderId, workspace_id: workspace.id, name: 'bench', provider: 'cloud', base_url: `http://127.0.0.1:${providerPort}`, settings: JSON.stringify({ graphVersion: 'v21.0', phoneNumberId: PHONE_NUMBER_ID }), number_key: `cloud:${PHONE_NUMBER_ID}`, waba_id: '102290129340398', display_phone: null, credentials: await ctx.keyring.encrypt(workspace.id, '{"accessToken":"x"}'), webhook_secret: null, mps: 1000, messaging_limit: null, portfolio_id: 'p', status: 'active', quality: null, created_at: now, updated_at: now })
  .execute();

const app = await buildApp(ctx, APP);
await app.listen({ port: 0, host: '127.0.0.1' });
const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
// The flow, through the API as an admin would: created, published, assigned to the sender.
const admin = { authorization: `Bearer ${key}` };
const call = async (method: 'POST' | 'PUT', url: string, payload: object, expected: number) => {
  const res = await app.inject({ method, url, headers: admin, payload });
  if (res.statusCode !== expected) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>();
};
const flow = await call('POST', '/v1/flows', { definition: FLOW }, 201);
await call('POST', `/v1/flows/${flow.id}/publish`, {}, 201);

const logFd = openSync('/dev/null', 'w');
// As `parley start` runs them (PARLEY_WORKER_THREADS, 2 by default): the dispatcher in one thread, the processor and the bot in another.
const background = startThreadHosts(ctx, { masterKey, logFd, writeTurnstile });
for (const host of background) host.start();
// The worker thread loads its modules for seconds: one customer's message, before the flow answers the
// sender, is processed first, so the seeding does not queue behind the thread's start.
const warmUp = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID }, contacts: [{ profile: { name: 'Warm-up' }, wa_id: '16509999999' }], messages: [{ from: '16509999999', id: 'wamid.bot-bench.warm-up', timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: 'hello' } }] } }] }] });
const warmUpPost = await app.inject({ method: 'POST', url: '/webhooks/whatsapp/cloud', headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(warmUp).digest('hex')}` }, payload: warmUp });
if (warmUpPost.statusCode !== 200) throw new Error(`warm-up webhook: ${warmUpPost.statusCode} ${warmUpPost.body}`);
for (const until = performance.now() + 60_000; (await store.db.selectFrom('messages').select('id').where('direction', '=', 'inbound').executeTakeFirst()) === undefined;) {
  if (performance.now() > until) throw new Error('the worker thread processed no webhook within 60 s');
  await sleep(100);
}
await call('PUT', `/v1/flows/${flow.id}/assignments`, { senderId }, 200);
const count = async (table: 'bot_sessions' | 'webhook_log') => {
  let q = store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (table === 'webhook_log') q = q.where('state', '=', 'pending');
  return Number((await q.executeTakeFirstOrThrow()).n);
};

// Phase 1: every customer writes "hi"; the bot takes each conversation and sends its menu.
const seedStarted = performance.now();
const seeded = await clients.phase('seed', origin);
let runs = await count('bot_sessions');
for (const until = performance.now() + 60_000; runs < CONTACTS && performance.now() < until; runs = await count('bot_sessions')) await sleep(200);
const seedSeconds = (performance.now() - seedStarted) / 1000;
const seedLatencies = latenciesOf(seeded.exchanges);
const seedFigures = { ...summary(seedLatencies), missingReplies: seeded.exchanges.length - seedLatencies.length };
log(`seeding: ${seeded.posted} customers wrote "hi" (${seeded.failed} failed), ${runs} bot runs after ${round(seedSeconds, 1)} s; first answer (the menu) p50 ${seedFigures.p50Ms} ms, p99 ${seedFigures.p99Ms} ms, max ${seedFigures.maxMs} ms, ${seedFigures.missingReplies} missing`);

// The setup's deferred work (the search index of 1,000 new names and 2,000 new messages, done by a
// background indexer) is let finish before the measured phase, which then brings its own.
const lastSeeded = Number((await store.db.selectFrom('messages').select((eb) => eb.fn.max('created_at').as('at')).executeTakeFirstOrThrow()).at ?? 0);
const indexedUpTo = async () => Number((await store.db.selectFrom('search_watermarks').select('after_at').where('source', '=', 'messages').executeTakeFirst())?.after_at ?? 0);
const settleStarted = performance.now();
for (const until = performance.now() + 60_000; (await indexedUpTo()) < lastSeeded && performance.now() < until;) await sleep(200);
log(`the setup's search indexing finished ${round((performance.now() - settleStarted) / 1000, 1)} s after the seeding`);

// Phase 2: the customers tap the menu's buttons.
const elu0 = performance.eventLoopUtilization();
const threads0 = threadCpuMs();
const process0 = process.cpuUsage();
const runStarted = performance.now();
const result = await clients.phase('run', origin);
const loop = performance.eventLoopUtilization(elu0);
// The main thread is the one whose id is the process's; the busiest of the others is the background
// worker thread (the client thread and the checkpointer do far less), so its CPU stands for the thread's.
const threadUse = [...threadCpuMs()].map(([tid, ms]) => ({ tid, ms: ms - (threads0.get(tid) ?? 0) }));
const mainCpuMs = threadUse.find((t) => t.tid === String(process.pid))?.ms ?? NaN;
const others = threadUse.filter((t) => t.tid !== String(process.pid)).sort((a, b) => b.ms - a.ms);
const busiestOtherCpuMs = others[0]?.ms ?? 0;
const secondOtherCpuMs = others[1]?.ms ?? 0;
const processCpu = process.cpuUsage(process0);
const runWallMs = performance.now() - runStarted;
const processCpuPercent = round(((processCpu.user + processCpu.system) / 1000 / runWallMs) * 100, 0);
clearInterval(sampler);

const latencies = latenciesOf(result.exchanges);
const figures = summary(latencies);
const missing = result.exchanges.length - latencies.length;
const loopUsPerMessage = (loop.active * 1000) / Math.max(1, result.posted);

// Where the time goes: each tap's inbound message (stored by the processor), the bot's first send after
// it (accepted into the outbox), the dispatcher's call to the provider, against the client's times.
const byHash = new Map(result.exchanges.map((e) => [providerIdHash(ctx.keyring, e.wamid), e]));
const inbound = await store.db.selectFrom('messages').select(['id', 'contact_id', 'provider_id_hash', 'created_at']).where('direction', '=', 'inbound').execute();
const outbound = await store.db.selectFrom('messages').select(['id', 'contact_id', 'created_at']).where('direction', '=', 'outbound').orderBy('created_at').execute();
// The first attempt's event: when the dispatcher's call to the provider started (its time less the call's latency).
const attempts = await store.db.selectFrom('message_events').select(['message_id', 'at', 'detail']).where('kind', '=', 'attempt').orderBy('seq').execute();
const callStarted = new Map<string, number>();
for (const a of attempts) if (!callStarted.has(a.message_id)) callStarted.set(a.message_id, Number(a.at) - Number((JSON.parse(a.detail) as { latencyMs?: number }).latencyMs ?? 0));
const outboundByContact = new Map<string, Array<{ id: string; at: number }>>();
for (const o of outbound) if (o.contact_id) (outboundByContact.get(o.contact_id) ?? outboundByContact.set(o.contact_id, []).get(o.contact_id)!).push({ id: o.id, at: Number(o.created_at) });
const stages = { webhookResponse: [] as number[], postToInboundStored: [] as number[], inboundToSendAccepted: [] as number[], acceptedToProviderCall: [] as number[], providerCall: [] as number[] };
for (const m of inbound) {
  const e = m.provider_id_hash ? byHash.get(m.provider_id_hash) : undefined;
  if (!e || e.repliedAt === null || !m.contact_id) continue;
  const stored = Number(m.created_at);
  const reply = outboundByContact.get(m.contact_id)?.find((o) => o.at >= stored);
  const call = reply ? callStarted.get(reply.id) : undefined;
  if (!reply || call === undefined) continue;
  stages.webhookResponse.push(e.postedAt - e.sentAt);
  stages.postToInboundStored.push(stored - e.sentAt);
  stages.inboundToSendAccepted.push(reply.at - stored);
  stages.acceptedToProviderCall.push(call - reply.at);
  stages.providerCall.push(e.repliedAt - call);
}
const stageFigures = Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, { p50Ms: round(percentile(v, 50), 1), p99Ms: round(percentile(v, 99), 1) }]));

log(`posted ${result.posted} taps (${result.failed} failed, ${result.skipped} turns skipped: still waiting); ${latencies.length} answered, ${missing} missing; ${result.providerSends} sends reached the provider`);
log(`webhook POST → the bot's answer at the provider: p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms (limit ${LIMIT_MS} ms: p99 is ${round(figures.p99Ms / LIMIT_MS, 2)} of it)`);
log(`stages (p50 / p99 ms; ${stages.postToInboundStored.length} taps traced): ${Object.entries(stageFigures).map(([k, v]) => `${k} ${v.p50Ms} / ${v.p99Ms}`).join(', ')}`);
// What the bot keeps up with: answers a second, from the first tap to the last answer.
const answeredAt = result.exchanges.flatMap((e) => (e.repliedAt === null ? [] : [e.repliedAt]));
const answeredPerSecond = answeredAt.length / Math.max(1e-3, (Math.max(...answeredAt) - Math.min(...result.exchanges.map((e) => e.sentAt))) / 1000);
const workerCpuUsPerMessage = round((busiestOtherCpuMs * 1000) / Math.max(1, result.posted), 0);
const workerCpuShare = round(busiestOtherCpuMs / runWallMs, 2);
log(`answered ${round(answeredPerSecond, 1)} messages/s over the phase (offered ${RATE}/s)`);
const secondCpuUsPerMessage = round((secondOtherCpuMs * 1000) / Math.max(1, result.posted), 0);
log(`worker threads (${background.length}): the busiest ${workerCpuUsPerMessage} us CPU per message (${workerCpuShare} of a core), the next ${secondCpuUsPerMessage} us (${round(secondOtherCpuMs / runWallMs, 2)} of a core)`);
log(`main thread: event loop ${round(loopUsPerMessage, 0)} us busy per message (utilisation ${round(loop.utilization, 2)}), CPU ${round((mainCpuMs * 1000) / Math.max(1, result.posted), 0)} us per message; process CPU ${processCpuPercent} % of a core; client thread utilisation ${round(result.clientLoopUtilisation, 2)}; peak RSS ${Math.round(rssPeak / 2 ** 20)} MiB (server and clients in one process)`);

// Let the worker thread finish the backlog before it stops (a stop in the middle of a large backlog was
// seen to hang): until no delivery nor domain event waits, or two minutes.
const backlog = async () => (await count('webhook_log')) + Number((await store.db.selectFrom('webhook_domain_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
for (const until = performance.now() + 120_000; (await backlog()) > 0 && performance.now() < until;) await sleep(200);
const stopped = await Promise.race([Promise.all(background.map((host) => host.stop())).then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 60_000).unref())]);
if (!stopped) {
  process.stderr.write('bot benchmark: the worker thread did not stop within 60 s\n');
  process.exit(1);
}
await clients.stop();
closeSync(logFd);
await app.close();
await store.close();
rmSync(dir, { recursive: true, force: true });

process.stdout.write(`${JSON.stringify({
  bench: 'bot',
  machine: machine(),
  conversations: CONTACTS,
  messagesPerSecond: RATE,
  seconds: SECONDS,
  seed: { posted: seeded.posted, failedPosts: seeded.failed, botRuns: runs, seconds: round(seedSeconds, 1), ...seedFigures },
  posted: result.posted,
  failedPosts: result.failed,
  skippedTurns: result.skipped,
  answered: latencies.length,
  missingReplies: missing,
  providerSends: result.providerSends,
  ...figures,
  p99VsLimit: round(figures.p99Ms / LIMIT_MS, 2),
  stages: stageFigures,
  eventLoopUsPerMessage: round(loopUsPerMessage, 0),
  eventLoopUtilisation: round(loop.utilization, 2),
  mainThreadCpuUsPerMessage: round((mainCpuMs * 1000) / Math.max(1, result.posted), 0),
  processCpuPercentOfCore: processCpuPercent,
  workerThreads: background.length,
  workerThreadCpuUsPerMessage: workerCpuUsPerMessage,
  workerThreadCpuShare: workerCpuShare,
  secondThreadCpuUsPerMessage: secondCpuUsPerMessage,
  answeredPerSecond: round(answeredPerSecond, 1),
  clientLoopUtilisation: round(result.clientLoopUtilisation, 2),
  rssPeakMiB: Math.round(rssPeak / 2 ** 20),
  target: { p99Ms: LIMIT_MS, met: figures.p99Ms < LIMIT_MS && missing === 0 },
})}\n`);
