// Outbound benchmark (issue 4). Three processes: Parley (`parley start`, embedded SQLite, its own
// emulator off), the emulator (`parley emulator`), and this load generator. One sender capped at
// 1,000 msg/s drains a 100,000-message marketing backlog for 30 s with an OTP arriving mid-run; the API
// tier (`parley serve`) is measured alone at 1,000 sends/s, and again inside the dispatching process;
// then ten senders at once give the machine's aggregate ceiling. The API tier runs twice: with every
// accepted send recorded in the audit trail (the default) and with PARLEY_AUDIT_SENDS=false, for the cost.
//
// Prints: achieved rate / cap (target >= 0.95), 130429 and 131056 counts (target 0), p50/p99 accept
// latency at 1,000 sends/s (target p99 < 10 ms) with the main thread's CPU microseconds per accept, OTP latency behind the backlog (target < 1 s), the
// ten-sender aggregate, and Parley's peak RSS (target < 250 MB). The last line is one JSON object.
//
// Knobs: BENCH_SECONDS (30), BENCH_BACKLOG (100000), BENCH_AGGREGATE_SECONDS (15), BENCH_ACCEPT_RATE (1000),
// BENCH_PARLEY_NODE_ARGS (extra node flags for Parley, e.g. for profiling), BENCH_ONLY=serve (the API
// tier alone, BENCH_SERVE_RUNS times, then exit: for comparing changes to the accept path).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import { configWith } from '../src/config/load.js';
import { createContext } from '../src/main/create-context.js';
import { createLogger } from '../src/observability/logger.js';
import { migrate } from '../src/db/migrate.js';
import { createWorkspace } from '../src/workspaces/workspace-queries.js';
import { createApiKey } from '../src/access/api-key-queries.js';
import { createSender, type Sender } from '../src/senders/sender-queries.js';
import { fillBacklog } from './lib/backlog.js';
import { ROOT, startEmulatorProcess } from './lib/emulator-process.js';
import { machine, percentile, round } from './lib/machine.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 100_000);
const AGG_SECONDS = Number(process.env.BENCH_AGGREGATE_SECONDS ?? 15);
const ACCEPT_RATE = Number(process.env.BENCH_ACCEPT_RATE ?? 1000);
const ACCEPT_SECONDS = 10;
const CAP = 1000;
// Extra node flags for the Parley process (say `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it).
const NODE_ARGS = (process.env.BENCH_PARLEY_NODE_ARGS ?? '').split(' ').filter(Boolean);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * CPU milliseconds a thread of Parley has used (Linux: /proc; undefined elsewhere). The main thread's
 * (thread id = process id) is the event loop that answers the API: its time per accept is the
 * figure compared across runs, since it does not depend on what else shares the machine.
 */
function threadCpuMs(pid: number, tid = pid): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in ticks of 1/100 s
  } catch {
    return undefined;
  }
}
function processCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}
const log = (...args: unknown[]) => console.log(...args);

// A receiver for the emulator's status webhooks (Parley's own ingestion is measured by bench/webhooks).
const hooks = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('ok'));
});
await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
const hookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/`;
const mainNumber = '106540300000000';
const aggNumbers = Array.from({ length: 10 }, (_, i) => String(106540300000001 + i));
const emulator = await startEmulatorProcess(
  { numbers: [mainNumber, ...aggNumbers].map((phoneNumberId) => ({ phoneNumberId, limits: { throughputMps: CAP, dailyUniqueRecipients: null } })), customers: [] },
  ['--webhook-url', hookUrl],
);

// Everything Parley will find when it starts: workspace, key, senders, the backlog (all senders disabled
// but the one under test).
const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-bench-outbound-'));
const databaseUrl = `sqlite:${path.join(dir, 'parley.db')}`;
const masterKey = randomBytes(32);
const ctx = createContext({ config: configWith({ databaseUrl, logLevel: 'silent' }), masterKey, logger: createLogger({ level: 'silent' }) });
await migrate(ctx.store);
const ws = await createWorkspace(ctx.db, { name: 'bench' });
const { key } = await createApiKey(ctx.db, { workspaceId: ws.id, name: 'bench', scopes: ['admin'] });
const mkSender = (phoneNumberId: string) =>
  createSender(ctx.db, ctx.keyring, { workspaceId: ws.id, name: phoneNumberId, provider: 'cloud', baseUrl: emulator.info.url, graphVersion: 'v23.0', phoneNumberId, wabaId: emulator.info.wabaId, credentials: { accessToken: emulator.info.accessToken }, mps: CAP });
const main = await mkSender(mainNumber);
const aggregate: Sender[] = [];
for (const n of aggNumbers) aggregate.push(await mkSender(n));
const setActive = async (ids: string[]) => {
  await ctx.db.updateTable('senders').set({ status: 'disabled' }).where('id', 'not in', ids).execute();
  await ctx.db.updateTable('senders').set({ status: 'active' }).where('id', 'in', ids).execute();
};
const template = { name: 'promo_offer', language: 'en_US', params: ['Ana', '20%', 'FRIDAY'] };
await setActive([main.id]);
log(`filling a backlog of ${BACKLOG} marketing messages (with their opt-ins)...`);
await fillBacklog(ctx, { workspaceId: ws.id, senderId: main.id, count: BACKLOG, lane: 'marketing', phonePrefix: '1555', template });
for (const [i, s] of aggregate.entries()) await fillBacklog(ctx, { workspaceId: ws.id, senderId: s.id, count: 2000 + AGG_SECONDS * 1100, lane: 'marketing', phonePrefix: `18${i}`, template });

// Parley in its own process, built as `npm start` runs it.
execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-if-stale.mjs')], { stdio: 'inherit' });
async function spawnParley(command: 'start' | 'serve', extraEnv: Record<string, string> = {}) {
  const child = spawn(process.execPath, [...NODE_ARGS, path.join(ROOT, 'bin/parley.js'), command, '--json'], {
    cwd: ROOT,
    // As `npm start` runs it: V8 collects old garbage early instead of growing the heap to hundreds of MB,
    // and each thread's young generation stays small (decision 0005).
    env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=192 --max-semi-space-size=4`.trim(), DATABASE_URL: databaseUrl, PARLEY_MASTER_KEY: masterKey.toString('base64'), PARLEY_PORT: '0', PARLEY_EMULATOR: 'off', PARLEY_LOG_LEVEL: 'warn', PARLEY_DATA_DIR: dir, ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = await new Promise<{ url: string }>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`parley exited with ${code}`)));
  });
  const stop = () => new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
  return { child, url: ready.url, stop };
}

const templateBody = (to: string, lane: string, t = template, extra: unknown[] = []) => ({ to, lane, type: 'template', from: main.id, template: { name: t.name, language: { code: t.language }, components: [{ type: 'body', parameters: t.params.map((text) => ({ type: 'text', text })) }, ...extra] } });
async function post(pool: Pool, body: unknown) {
  const t = performance.now();
  const res = await pool.request({ method: 'POST', path: '/v1/messages', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.body.json()) as { id: string };
  return { status: res.statusCode, id: json.id, ms: performance.now() - t };
}

/** Sends at `rate` per second for `seconds`, open loop (requests leave on schedule), and returns the latencies. */
async function acceptLoad(pool: Pool, rate: number, seconds: number, offset: number, pid?: number) {
  const latencies: number[] = [];
  const loop0 = pid ? threadCpuMs(pid) : undefined;
  const cpu0 = pid ? processCpuMs(pid) : undefined;
  let errors = 0;
  const started = performance.now();
  let sent = 0;
  const inflight: Promise<void>[] = [];
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    while (sent < due) {
      const i = offset + sent++;
      inflight.push(
        post(pool, templateBody(`+1666${String(i).padStart(7, '0')}`, 'transactional', { name: 'order_update', language: 'en_US', params: ['Ana', `A${i}`, 'today'] })).then((r) => {
          if (r.status === 202) latencies.push(r.ms);
          else errors++;
        }),
      );
    }
    await sleep(1);
  }
  await Promise.all(inflight);
  latencies.sort((a, b) => a - b);
  const loop1 = pid ? threadCpuMs(pid) : undefined;
  const cpu1 = pid ? processCpuMs(pid) : undefined;
  // Event-loop (main thread) and whole-process CPU microseconds per request sent in the window.
  const loopUsPerAccept = loop0 !== undefined && loop1 !== undefined ? ((loop1 - loop0) * 1000) / sent : null;
  const processUsPerAccept = cpu0 !== undefined && cpu1 !== undefined ? ((cpu1 - cpu0) * 1000) / sent : null;
  return { rate: (sent / (performance.now() - started)) * 1000, latencies, errors, loopUsPerAccept, processUsPerAccept };
}

// ---- Phase 0: the API tier alone (`parley serve`, as in a scale-out deployment) at 1,000 sends/s ----
log(`phase 0: parley serve accepting ${ACCEPT_RATE} sends/s for ${ACCEPT_SECONDS} s`);
/** The API tier alone at ACCEPT_RATE for ACCEPT_SECONDS, each run on numbers of its own. */
async function serveAcceptRun(offset: number, env: Record<string, string> = {}) {
  const serve = await spawnParley('serve', env);
  const pool = new Pool(serve.url, { connections: 64 });
  await acceptLoad(pool, ACCEPT_RATE / 4, 2, offset + 900_000); // warm-up
  const run = await acceptLoad(pool, ACCEPT_RATE, ACCEPT_SECONDS, offset, serve.child.pid);
  await pool.close();
  await serve.stop();
  return run;
}
// Every accepted send is recorded in the audit trail (PARLEY_AUDIT_SENDS, on by default), in the
// accepts' own transaction; the same load with it off, right after, gives its cost in this run.
if (process.env.BENCH_ONLY === 'serve') {
  const runs = Number(process.env.BENCH_SERVE_RUNS ?? 3);
  const figures = [];
  for (let r = 0; r < runs; r++) {
    const run = await serveAcceptRun(r * 100_000);
    const figure = { p50Ms: round(percentile(run.latencies, 50)), p99Ms: round(percentile(run.latencies, 99)), eventLoopUsPerAccept: round(run.loopUsPerAccept ?? NaN, 0), processCpuUsPerAccept: round(run.processUsPerAccept ?? NaN, 0), errors: run.errors };
    log(`run ${r + 1}: accept at ${round(run.rate, 0)}/s on parley serve: p50 ${figure.p50Ms} ms, p99 ${figure.p99Ms} ms; event loop ${figure.eventLoopUsPerAccept} µs per accept (process ${figure.processCpuUsPerAccept} µs)`);
    figures.push(figure);
  }
  await ctx.store.close();
  await emulator.stop();
  hooks.close();
  console.log(JSON.stringify({ bench: 'outbound-serve', acceptRate: ACCEPT_RATE, runs: figures, machine: machine() }));
  process.exit(0);
}
const apiOnly = await serveAcceptRun(0);
log(`phase 0b: the same with PARLEY_AUDIT_SENDS=false`);
const apiUnaudited = await serveAcceptRun(2_000_000, { PARLEY_AUDIT_SENDS: 'false' });

const started = await spawnParley('start');
const parley = started.child;
let peakRssMB = 0;
const rssTimer = setInterval(() => {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${parley.pid}/status`, 'utf8'))?.[1] ?? 0);
    peakRssMB = Math.max(peakRssMB, kb / 1024);
  } catch {
    // the process is gone
  }
}, 250);

const api = new Pool(started.url, { connections: 64 });
const statusOf = async (id: string) => (await ctx.db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

// ---- Phase 1: one sender at its cap, a deep backlog, API load and an OTP mid-run ----
await sleep(2000); // lease acquisition and warm-up
const startStats = await emulator.stats();
const t0 = performance.now();
log(`phase 1: draining for ${SECONDS} s at a cap of ${CAP} msg/s, an OTP arriving half-way`);


const otp = (async () => {
  await sleep(Math.min(20_000, (SECONDS * 1000) / 2));
  // An authentication template carries the code in the body and in its copy-code button.
  const copyCode = { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '123456' }] };
  const accepted = await post(api, templateBody('+17770000001', 'otp', { name: 'otp_code', language: 'en_US', params: ['123456'] }, [copyCode]));
  const started = performance.now();
  for (;;) {
    const status = await statusOf(accepted.id);
    if (['accepted', 'sent', 'delivered', 'read'].includes(status)) break;
    if (['failed', 'refused', 'expired'].includes(status)) throw new Error(`the OTP ended ${status}`);
    await sleep(2);
  }
  return performance.now() - started + accepted.ms;
})();

await sleep(SECONDS * 1000);
const endStats = await emulator.stats();
const elapsed = (performance.now() - t0) / 1000;
const otpMs = await otp;
// Then the API load while the same process keeps dispatching at the cap (one process doing both).
log(`phase 1b: accepting ${ACCEPT_RATE} sends/s in the process that dispatches at the cap`);
const dispatchingLoad = await acceptLoad(api, ACCEPT_RATE, ACCEPT_SECONDS, 100_000, parley.pid);
const sent = endStats.cloudSendsAccepted - startStats.cloudSendsAccepted;
const rate = sent / elapsed;
const code = (c: string) => (endStats.errorsByCode[c] ?? 0) - (startStats.errorsByCode[c] ?? 0);

// ---- Phase 2: ten senders at once, the machine's aggregate ceiling ----
log('phase 2: ten senders at once');
await setActive(aggregate.map((s) => s.id));
await sleep(3000);
const aggStart = await emulator.stats();
const a0 = performance.now();
await sleep(AGG_SECONDS * 1000);
const aggEnd = await emulator.stats();
const aggRate = (aggEnd.cloudSendsAccepted - aggStart.cloudSendsAccepted) / ((performance.now() - a0) / 1000);
const aggThrottled = (aggEnd.errorsByCode['130429'] ?? 0) - (aggStart.errorsByCode['130429'] ?? 0);
clearInterval(rssTimer);

const result = {
  bench: 'outbound',
  cap: CAP,
  seconds: round(elapsed, 1),
  sent,
  rate: round(rate, 1),
  rateRatio: round(rate / CAP, 3),
  errors130429: code('130429'),
  errors131056: code('131056'),
  acceptRate: round(apiOnly.rate, 0),
  acceptAccepted: apiOnly.latencies.length,
  acceptErrors: apiOnly.errors,
  acceptP50Ms: round(percentile(apiOnly.latencies, 50)),
  acceptP99Ms: round(percentile(apiOnly.latencies, 99)),
  acceptP99RatioToLimit: round(percentile(apiOnly.latencies, 99) / 10, 2),
  acceptEventLoopUsPerAccept: apiOnly.loopUsPerAccept === null ? null : round(apiOnly.loopUsPerAccept, 0),
  acceptProcessCpuUsPerAccept: apiOnly.processUsPerAccept === null ? null : round(apiOnly.processUsPerAccept, 0),
  acceptUnauditedP50Ms: round(percentile(apiUnaudited.latencies, 50)),
  acceptUnauditedP99Ms: round(percentile(apiUnaudited.latencies, 99)),
  acceptUnauditedEventLoopUsPerAccept: apiUnaudited.loopUsPerAccept === null ? null : round(apiUnaudited.loopUsPerAccept, 0),
  acceptUnauditedProcessCpuUsPerAccept: apiUnaudited.processUsPerAccept === null ? null : round(apiUnaudited.processUsPerAccept, 0),
  auditEventLoopRatio: apiOnly.loopUsPerAccept && apiUnaudited.loopUsPerAccept ? round(apiOnly.loopUsPerAccept / apiUnaudited.loopUsPerAccept, 3) : null,
  acceptWhileDispatchingP50Ms: round(percentile(dispatchingLoad.latencies, 50)),
  acceptWhileDispatchingP99Ms: round(percentile(dispatchingLoad.latencies, 99)),
  acceptWhileDispatchingErrors: dispatchingLoad.errors,
  // The main thread's CPU per accept while the process also dispatches at the cap: everything the
  // event loop that answers the API did, divided by the accepts.
  acceptWhileDispatchingEventLoopUsPerAccept: dispatchingLoad.loopUsPerAccept === null ? null : round(dispatchingLoad.loopUsPerAccept, 0),
  acceptWhileDispatchingProcessCpuUsPerAccept: dispatchingLoad.processUsPerAccept === null ? null : round(dispatchingLoad.processUsPerAccept, 0),
  otpBacklog: BACKLOG,
  otpLatencyMs: round(otpMs, 1),
  aggregateSenders: aggregate.length,
  aggregateRate: round(aggRate, 0),
  aggregate130429: aggThrottled,
  duplicateSends: aggEnd.duplicateSends,
  parleyPeakRssMB: round(peakRssMB, 0),
  machine: machine(),
};
log(`one sender: ${result.rate} msg/s = ${result.rateRatio} of the ${CAP} msg/s cap; 130429: ${result.errors130429}, 131056: ${result.errors131056}`);
log(`accept at ${result.acceptRate}/s on the API tier (parley serve): p50 ${result.acceptP50Ms} ms, p99 ${result.acceptP99Ms} ms (${apiOnly.errors} errors); event loop ${result.acceptEventLoopUsPerAccept} µs per accept (process ${result.acceptProcessCpuUsPerAccept} µs)`);
log(`the same with sends not audited: p50 ${result.acceptUnauditedP50Ms} ms, p99 ${result.acceptUnauditedP99Ms} ms; event loop ${result.acceptUnauditedEventLoopUsPerAccept} µs per accept (process ${result.acceptUnauditedProcessCpuUsPerAccept} µs); audited / not = ${result.auditEventLoopRatio} (limit 1.10)`);
log(`accept at ${ACCEPT_RATE}/s in the process that also dispatches at the cap (parley start): p50 ${result.acceptWhileDispatchingP50Ms} ms, p99 ${result.acceptWhileDispatchingP99Ms} ms (${dispatchingLoad.errors} errors); event loop ${result.acceptWhileDispatchingEventLoopUsPerAccept} µs per accept (process ${result.acceptWhileDispatchingProcessCpuUsPerAccept} µs)`);
log(`OTP behind ${BACKLOG} queued marketing messages: ${result.otpLatencyMs} ms from request to the provider`);
log(`ten senders: ${result.aggregateRate} msg/s in aggregate on this machine; duplicate sends: ${result.duplicateSends}; Parley peak RSS ${result.parleyPeakRssMB} MB`);
await api.close();
parley.kill('SIGTERM');
await new Promise((r) => parley.once('exit', r));
await ctx.store.close();
await emulator.stop();
hooks.close();
console.log(JSON.stringify(result));
process.exit(0);
