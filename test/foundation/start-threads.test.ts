import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnParley, waitForExit } from '../harness/cli.js';

// Item 19 of "Right by default": `parley start` answers the API on its main thread and runs the
// background work in worker threads with their own connections: by default the dispatcher in one and
// the webhook processor, the bot and the other workers in another (PARLEY_WORKER_THREADS=2), or all in
// one (PARLEY_WORKER_THREADS=1).

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  let value = await read();
  for (let i = 0; i < 600 && !done(value); i++) {
    await sleep(100);
    value = await read();
  }
  assert.ok(done(value), `${what} (last seen: ${JSON.stringify(value).slice(0, 300)})`);
  return value;
}

describe('parley start: the API thread and the worker threads', () => {
  for (const threads of ['2', '1'] as const) {
    it(`PARLEY_WORKER_THREADS=${threads}: an API send and the bot's answer to a customer both go out, /metrics shows the threads' metrics once, and SIGTERM drains every thread`, async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-threads-'));
      const env = { PARLEY_DATA_DIR: dataDir, DATABASE_URL: `sqlite:${dataDir}/parley.db`, PARLEY_PORT: '0', PARLEY_EMULATOR_PORT: '0', PARLEY_MASTER_KEY: undefined, PARLEY_LOG_LEVEL: 'info', PARLEY_WORKER_THREADS: threads };
      const parley = await spawnParley(['start', '--json'], env);
      try {
        const { url, adminApiKey } = parley.ready;
        const headers = { authorization: `Bearer ${adminApiKey}`, 'content-type': 'application/json' };
        const get = async (route: string) => (await fetch(`${url}${route}`, { headers })).json() as Promise<any>;
        const template = { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: ['Ana', 'A1', 'today'].map((text) => ({ type: 'text', text })) }] };
        const sent = await fetch(`${url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify({ to: '+16505551234', type: 'template', template }) });
        assert.equal(sent.status, 202, await sent.clone().text());
        const { id } = (await sent.json()) as { id: string };

        // The main thread accepted it; the dispatching thread hands it to the built-in emulator.
        await eventually(() => get(`/v1/messages/${id}`).then((m) => m.status as string), (s) => ['accepted', 'sent', 'delivered', 'read'].includes(s), 'the API send left');

        // A customer writes to the demo bot's number: the processing thread runs the bot, whose answer
        // (queued there) the dispatching thread sends; the customer's phone shows it.
        const phone = await get('/v1/emulator/phone');
        const bot = (phone.numbers as Array<{ senderId: string; displayPhone: string }>).find((n) => n.displayPhone.replace(/\D/g, '').endsWith('5550783882'));
        assert.ok(bot, `the demo bot's number is on the emulator (${JSON.stringify(phone.numbers)})`);
        const customer = (phone.customers as Array<{ phone: string }>)[0].phone;
        const chat = `/v1/emulator/phone/chats/${bot.senderId}/${encodeURIComponent(customer)}`;
        const wrote = await fetch(`${url}${chat}/messages`, { method: 'POST', headers, body: JSON.stringify({ type: 'text', text: { body: 'hi' } }) });
        assert.equal(wrote.status, 202, await wrote.clone().text());
        await eventually(() => get(chat).then((c) => c.entries as Array<{ from: string }>), (entries) => entries.some((e) => e.from === 'business'), 'the bot\'s answer on the customer\'s phone');

        const metrics = await (await fetch(`${url}/metrics`)).text();
        // The dispatcher's counters live in a worker thread's registry: /metrics aggregates them.
        assert.match(metrics, /^parley_outbound_sends_total\{[^}]*result="accepted"[^}]*\} [1-9]/m);
        // A metric every thread knows appears once, not once per thread.
        const lines = (name: string) => metrics.split('\n').filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
        assert.equal(lines('nodejs_heap_size_used_bytes').length, 1);
        assert.equal(lines('parley_webhook_log_backlog').filter((l) => l.includes('state="pending"')).length, 1);
        assert.equal(lines('parley_outbound_lane_depth').filter((l) => l.includes('lane="otp"')).length, 1);
      } finally {
        parley.child.kill('SIGTERM');
      }
      const code = await waitForExit(parley.child);
      const stderr = parley.stderr();
      assert.equal(code, 0, `SIGTERM drains every thread and exits 0; stderr:\n${stderr}`);
      for (const thread of threads === '2' ? ['dispatch', 'process'] : ['worker']) {
        assert.match(stderr, new RegExp(`"thread":"${thread}"[^\\n]*worker thread stopped`), `the ${thread} thread logs, marked as such, and drained before the process exited`);
      }
    });
  }
});
