// `npm run bench -- inbox`: the live stream under an inbox's load, on the embedded default (SQLite).
// 5,000 customers each have an open conversation; 200 agents' streams are connected; customers write
// 500 messages a second as signed Cloud API webhooks. Measured: the time from the start of each
// webhook POST to its `conversation.message_in` event arriving on each stream (every stream sees it:
// they hold admin keys, since without the assignment engine conversations have no team yet), the peak
// RSS, and the server thread's event-loop time per message.
//
// Run as `parley start` runs: the API in this thread, the background workers in worker threads
// (PARLEY_WORKER_THREADS, 2 by default: the webhook processor in one, the dispatcher in the other),
// SQLite shared with the write turnstile. The processor's conversation
// events reach the streams by the stream's poll of the event log: the latency includes up to one poll
// interval (PARLEY_STREAM_POLL_MS, 100 ms).
// Assignment: the sender's policy routes every new conversation to one team, whose balanced policy
// gives it to one of BENCH_AGENTS online agents with room (capacity BENCH_CAPACITY each); "keeps up"
// is measured while the customers first write: the time from each conversation's opening to its
// assignment, and how many are still waiting once the seeding is processed.
// Target (issue 15): p99 < 250 ms.
//
// Knobs (environment): BENCH_SECONDS (default 30), BENCH_RATE (messages/s, default 500),
// BENCH_STREAMS (default 200), BENCH_CONTACTS (default 5000), BENCH_AGENTS (default 200),
// BENCH_CAPACITY (conversations per agent, default 25), PARLEY_WORKER_THREADS (default 2, as `parley start`).
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
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
import { createUser, setUserTeams } from '../src/access/users/user-queries.js';
import { createTeam } from '../src/access/users/team-queries.js';
import type { InboxResult, InboxSpec } from './lib/inbox-clients.js';
import { machine, percentile as percentileOfSorted, round } from './lib/machine.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const RATE = Number(process.env.BENCH_RATE ?? 500);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 200);
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 5000);
const AGENTS = Number(process.env.BENCH_AGENTS ?? 200);
const CAPACITY = Number(process.env.BENCH_CAPACITY ?? 25);
const LIMIT_MS = 250;
const SECRET = 'bench-app-secret';
const PHONE_NUMBER_ID = '106540352242922';

function clients(spec: InboxSpec): Promise<InboxResult> {
  const entry = new URL('./lib/inbox-clients.ts', import.meta.url).href;
  const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: spec });
    worker.once('message', (result: InboxResult) => {
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

const percentile = (values: number[], p: number): number => percentileOfSorted([...values].sort((a, b) => a - b), p);
const log = (line: string) => process.stdout.write(`${line}\n`);

const dir = mkdtempSync(path.join(tmpdir(), 'parley-bench-'));
const databaseUrl = `sqlite:${path.join(dir, 'bench.db')}`;
const masterKey = randomBytes(32);
log(`inbox benchmark: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
log(`${STREAMS} streams, ${CONTACTS} open conversations, ${RATE} inbound messages/s for ${SECONDS} s, SQLite`);

let rssPeak = 0;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 100);

const config = configWith({ databaseUrl, whatsappAppSecrets: SECRET, logLevel: 'silent', streamMaxConnections: STREAMS + 10, emulator: 'off', workerThreads: Number(process.env.PARLEY_WORKER_THREADS ?? 2) });
const writeTurnstile = new WriteTurnstile();
const ctx = createContext({ config, masterKey, logger: createLogger({ level: 'silent' }), writeTurnstile });
const store = ctx.store;
await migrate(store);
const workspace = await createWorkspace(store.db, { name: 'bench' });
const { key } = await createApiKey(store.db, { workspaceId: workspace.id, name: 'agents', scopes: ['admin'] });
const now = Date.now();
const senderId = newId('snd');
await store.db
  .insertInto('senders')
  .values({ id: senderId, workspace_id: workspace.id, name: 'bench', provider: 'cloud', base_url: 'http://127.0.0.1:9', settings: JSON.stringify({ graphVersion: 'v21.0', phoneNumberId: PHONE_NUMBER_ID }), number_key: `cloud:${PHONE_NUMBER_ID}`, waba_id: '102290129340398', display_phone: null, credentials: await ctx.keyring.encrypt(workspace.id, '{"accessToken":"x"}'), webhook_secret: null, mps: 1000, messaging_limit: null, portfolio_id: 'p', status: 'active', quality: null, created_at: now, updated_at: now })
  .execute();

const app = await buildApp(ctx, APP);
await app.listen({ port: 0, host: '127.0.0.1' });
const origin = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
// The team, its agents (online, with room) and the policies that route and assign to them.
const team = await createTeam(store.db, workspace.id, 'support');
const admin = { authorization: `Bearer ${key}` };
const put = async (url: string, payload: object, method: 'PUT' | 'PATCH' = 'PUT') => {
  const res = await app.inject({ method, url, headers: admin, payload });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
};
for (let i = 0; i < AGENTS; i++) {
  const user = await createUser(store.db, ctx.keyring, { workspaceId: workspace.id, name: `Agent ${i}`, email: `agent${i}@bench.example`, role: 'agent', status: 'active', passwordHash: null });
  await setUserTeams(store.db, workspace.id, user.id, [team.id]);
  await put(`/v1/agents/${user.id}/presence`, { presence: 'online' });
}
await put(`/v1/assignment-policies/team/${team.id}`, { mode: 'balanced', capacity: CAPACITY });
await put(`/v1/assignment-policies/sender/${senderId}`, { teamId: team.id });
const logFd = openSync('/dev/null', 'w');
const background = startThreadHosts(ctx, { masterKey, logFd, writeTurnstile });
for (const host of background) host.start();
const backlog = async () => Number((await store.db.selectFrom('webhook_log').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'pending').executeTakeFirstOrThrow()).n);
const drain = async () => {
  while ((await backlog()) > 0) await sleep(50);
};

const base: InboxSpec = { mode: 'seed', origin, secret: SECRET, phoneNumberId: PHONE_NUMBER_ID, authorization: `Bearer ${key}`, contacts: CONTACTS, streams: STREAMS, rate: RATE, durationMs: SECONDS * 1000 };
const seedStarted = performance.now();
const seeded = await clients(base);
await drain();
// The conversations open after the messages' commits: wait until every customer has one (or 30 s).
const countOpen = async () => Number((await store.db.selectFrom('conversations').select((eb) => eb.fn.countAll<number>().as('n')).where('state', 'in', ['pending', 'active']).executeTakeFirstOrThrow()).n);
let open = await countOpen();
for (const until = performance.now() + 30_000; open < CONTACTS && performance.now() < until; open = await countOpen()) await sleep(200);
// Assignment while the customers first wrote: each conversation's opening → its assignment.
const assignedRows = await store.db.selectFrom('conversation_events').select(['conversation_id', 'type', 'at']).where('type', 'in', ['conversation.opened', 'conversation.assigned']).execute();
const openedAt = new Map<string, number>();
const assignedAt = new Map<string, number>();
for (const r of assignedRows) (r.type === 'conversation.opened' ? openedAt : assignedAt).set(r.conversation_id, Number(r.at));
const assignLatencies = [...assignedAt].flatMap(([id, at]) => (openedAt.has(id) ? [at - openedAt.get(id)!] : []));
const waitingAfterSeed = Number((await store.db.selectFrom('conversations').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'pending').where('owner_type', '=', 'nobody').executeTakeFirstOrThrow()).n);
log(`setup: ${seeded.posted} customers wrote (${seeded.failed} failed), ${open} open conversations after ${round((performance.now() - seedStarted) / 1000, 1)} s`);

const elu0 = performance.eventLoopUtilization();
const result = await clients({ ...base, mode: 'run' });
const loop = performance.eventLoopUtilization(elu0);
await drain();
clearInterval(sampler);

// Provider message id → Parley message id, through the keyed hash the messages are stored under.
const byHash = new Map(Object.keys(result.sentAt).map((wamid) => [providerIdHash(ctx.keyring, wamid), wamid]));
const rows = await store.db.selectFrom('messages').select(['id', 'provider_id_hash']).where('direction', '=', 'inbound').execute();
const wamidOf = new Map(rows.flatMap((r) => (r.provider_id_hash && byHash.has(r.provider_id_hash) ? [[r.id, byHash.get(r.provider_id_hash)!] as const] : [])));
const latencies: number[] = [];
let missing = 0;
for (const [messageId, wamid] of wamidOf) {
  const sent = result.sentAt[wamid]!;
  const arrived = result.arrivals[messageId];
  for (let s = 0; s < STREAMS; s++) {
    const at = arrived?.[s];
    if (at === undefined || Number.isNaN(at)) missing++;
    else latencies.push(at - sent);
  }
}
const p50 = percentile(latencies, 50);
const p99 = percentile(latencies, 99);
const max = latencies.reduce((a, b) => Math.max(a, b), 0);
const commitP50 = percentile(result.commitToStreamMs, 50);
const commitP99 = percentile(result.commitToStreamMs, 99);
const loopUsPerMessage = (loop.active * 1000) / Math.max(1, result.posted);
log(`posted ${result.posted} messages (${result.failed} failed); ${wamidOf.size} stored; ${latencies.length} deliveries to streams, ${missing} missing; ${result.streamsDropped} streams dropped`);
log(`webhook POST → event on each stream: p50 ${round(p50, 1)} ms, p99 ${round(p99, 1)} ms, max ${round(max, 1)} ms (limit ${LIMIT_MS} ms: p99 is ${round(p99 / LIMIT_MS, 2)} of it)`);
log(`the stream's own share, commit of the event → arrival (every tenth stream): p50 ${round(commitP50, 1)} ms, p99 ${round(commitP99, 1)} ms`);
log(`server thread: event loop ${round(loopUsPerMessage, 0)} us busy per message (utilisation ${round(loop.utilization, 2)}); peak RSS ${Math.round(rssPeak / 2 ** 20)} MiB (server and clients in one process)`);
log(`assignment (${AGENTS} online agents, capacity ${CAPACITY}, balanced): ${assignedAt.size} of ${openedAt.size} conversations assigned while the customers first wrote, ${waitingAfterSeed} waiting after; opening → assignment p50 ${round(percentile(assignLatencies, 50), 1)} ms, p99 ${round(percentile(assignLatencies, 99), 1)} ms`);

await Promise.all(background.map((host) => host.stop()));
closeSync(logFd);
await app.close();
await store.close();
rmSync(dir, { recursive: true, force: true });

process.stdout.write(`${JSON.stringify({
  bench: 'inbox',
  machine: machine(),
  workerThreads: background.length,
  streams: STREAMS,
  openConversations: open,
  messagesPerSecond: RATE,
  seconds: SECONDS,
  posted: result.posted,
  failedPosts: result.failed,
  deliveries: latencies.length,
  missingDeliveries: missing,
  streamsDropped: result.streamsDropped,
  p50Ms: round(p50, 1),
  p99Ms: round(p99, 1),
  maxMs: round(max, 1),
  commitToStreamP50Ms: round(commitP50, 1),
  commitToStreamP99Ms: round(commitP99, 1),
  p99VsLimit: round(p99 / LIMIT_MS, 2),
  eventLoopUsPerMessage: round(loopUsPerMessage, 0),
  eventLoopUtilisation: round(loop.utilization, 2),
  rssPeakMiB: Math.round(rssPeak / 2 ** 20),
  assignment: { agents: AGENTS, capacity: CAPACITY, opened: openedAt.size, assigned: assignedAt.size, waitingAfterSeed, openToAssignedP50Ms: round(percentile(assignLatencies, 50), 1), openToAssignedP99Ms: round(percentile(assignLatencies, 99), 1) },
  target: { p99Ms: LIMIT_MS, met: p99 < LIMIT_MS && missing === 0 },
})}\n`);
