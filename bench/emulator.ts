// Benchmark of the WhatsApp emulator: how many Cloud API sends per second it answers on one core, with
// its status webhooks (sent, delivered, read) batched and posted to a local receiver.
//
// The emulator runs in a child process (`parley emulator`, one Node event loop = one core); the load
// generator and the webhook receiver run here, on the other core. Keep-alive connections (undici Pool).
// Each send is a template to a distinct recipient, spread over 16 numbers at 1,000 mps each, so that
// Meta's limits (throughput, pair rate) are not what is measured.
//
// Knobs (environment): BENCH_SECONDS (default 10), BENCH_CONCURRENCY (default 128).
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Pool } from 'undici';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 128);
const WARMUP_MS = 1000;

let webhookPosts = 0;
let webhookStatuses = 0;
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    webhookPosts++;
    const body = Buffer.concat(chunks).toString();
    webhookStatuses += body.split('"status":').length - 1;
    res.end('ok');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const numbers = Array.from({ length: 16 }, (_, i) => ({ phoneNumberId: String(106540352242930 + i), limits: { throughputMps: 1000, dailyUniqueRecipients: null } }));
const dir = mkdtempSync(path.join(os.tmpdir(), 'parley-bench-emulator-'));
const configFile = path.join(dir, 'emulator.json');
writeFileSync(configFile, JSON.stringify({ numbers, behaviour: { statusLatencyMs: { sent: [5, 20], delivered: [20, 100], read: [100, 400] }, readRate: 1, deliveredRate: 1 } }));

const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/dev.ts'), 'emulator', '--port', '0', '--json', '--webhook-url', hookUrl, '--config', configFile, '--seed', '7'], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
});
const info = await new Promise<{ url: string; accessToken: string; phoneNumberIds: string[] }>((resolve, reject) => {
  createInterface({ input: child.stdout! }).on('line', (line) => line.startsWith('{') && resolve(JSON.parse(line)));
  child.on('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
});

const pool = new Pool(info.url, { connections: Math.min(CONCURRENCY, 128), pipelining: 1, keepAliveTimeout: 30_000 });
const headers = { authorization: `Bearer ${info.accessToken}`, 'content-type': 'application/json' };
const latencies: number[] = [];
let accepted = 0;
let refused = 0;
let sent = 0;
let measuring = false;
let seq = 0;

async function worker(deadline: number) {
  while (Date.now() < deadline) {
    const n = seq++;
    const body = JSON.stringify({
      messaging_product: 'whatsapp',
      to: `+1${String(2_000_000_000 + n)}`,
      type: 'template',
      biz_opaque_callback_data: `bench-${n}`,
      template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Asha' }, { type: 'text', text: `#${n}` }, { type: 'text', text: 'shipped' }] }] },
    });
    const started = performance.now();
    const response = await pool.request({ method: 'POST', path: `/v21.0/${info.phoneNumberIds[n % info.phoneNumberIds.length]}/messages`, headers, body });
    await response.body.dump();
    if (!measuring) continue;
    latencies.push(performance.now() - started);
    sent++;
    if (response.statusCode === 200) accepted++;
    else refused++;
  }
}

const start = Date.now();
const workers = Array.from({ length: CONCURRENCY }, () => worker(start + WARMUP_MS + SECONDS * 1000));
await new Promise((resolve) => setTimeout(resolve, WARMUP_MS));
measuring = true;
const postsAtStart = webhookPosts;
const statusesAtStart = webhookStatuses;
const measureStart = performance.now();
await Promise.all(workers);
const elapsed = (performance.now() - measureStart) / 1000;
const postsDuring = webhookPosts - postsAtStart;
const statusesDuring = webhookStatuses - statusesAtStart;

const flush = await fetch(`${info.url}/_emulator/webhooks/flush`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ timeoutMs: 30_000 }) });
const flushed = (await flush.json()) as { idle: boolean };
const stats = (await (await fetch(`${info.url}/_emulator/stats`)).json()) as Record<string, number>;
await pool.close();
child.kill('SIGTERM');
receiver.close();

latencies.sort((a, b) => a - b);
const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] * 100) / 100;
const result = {
  benchmark: 'emulator',
  seconds: Math.round(elapsed * 100) / 100,
  concurrency: CONCURRENCY,
  sendsPerSecond: Math.round(sent / elapsed),
  acceptedPerSecond: Math.round(accepted / elapsed),
  refused,
  p50Ms: pct(50),
  p99Ms: pct(99),
  webhookPostsPerSecond: Math.round(postsDuring / elapsed),
  webhookStatusesPerSecond: Math.round(statusesDuring / elapsed),
  statusesPerPost: postsDuring ? Math.round((statusesDuring / postsDuring) * 10) / 10 : 0,
  webhooksDrainedAtEnd: flushed.idle,
  webhooksDropped: stats.webhooksDropped,
  cpus: os.cpus().length,
  node: process.version,
};
console.log(`Emulator: ${result.sendsPerSecond} sends/s answered (${result.acceptedPerSecond} accepted, ${refused} refused) over ${result.seconds}s at concurrency ${CONCURRENCY}`);
console.log(`  latency p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms`);
console.log(`  webhooks: ${result.webhookPostsPerSecond} POSTs/s carrying ${result.webhookStatusesPerSecond} statuses/s (${result.statusesPerPost} per POST); drained at end: ${result.webhooksDrainedAtEnd}`);
console.log(JSON.stringify(result));
