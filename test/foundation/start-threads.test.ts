import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnParley, waitForExit } from '../harness/cli.js';

// Item 19 of "Right by default": `parley start` answers the API on its main thread and runs the
// dispatcher, webhook processor and the other workers in a worker thread with its own connection.
describe('parley start: two threads', () => {
  it('dispatches from the worker thread, shows its metrics on /metrics once, logs from it, and drains it on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'parley-threads-'));
    const env = { PARLEY_DATA_DIR: dataDir, DATABASE_URL: `sqlite:${dataDir}/parley.db`, PARLEY_PORT: '0', PARLEY_EMULATOR_PORT: '0', PARLEY_MASTER_KEY: undefined, PARLEY_LOG_LEVEL: 'info' };
    const parley = await spawnParley(['start', '--json'], env);
    try {
      const { url, adminApiKey } = parley.ready;
      const headers = { authorization: `Bearer ${adminApiKey}`, 'content-type': 'application/json' };
      const template = { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: ['Ana', 'A1', 'today'].map((text) => ({ type: 'text', text })) }] };
      const sent = await fetch(`${url}/v1/messages`, { method: 'POST', headers, body: JSON.stringify({ to: '+16505551234', type: 'template', template }) });
      assert.equal(sent.status, 202, await sent.clone().text());
      const { id } = (await sent.json()) as { id: string };

      // The main thread accepted it; the worker thread's dispatcher hands it to the built-in emulator.
      let status = 'queued';
      for (let i = 0; i < 600 && ['queued', 'sending'].includes(status); i++) {
        await sleep(100);
        status = ((await (await fetch(`${url}/v1/messages/${id}`, { headers })).json()) as { status: string }).status;
      }
      assert.ok(['accepted', 'sent', 'delivered', 'read'].includes(status), `the message left (status ${status})`);

      const metrics = await (await fetch(`${url}/metrics`)).text();
      // The dispatcher's counters live in the worker thread's registry: /metrics aggregates them.
      assert.match(metrics, /^parley_outbound_sends_total\{[^}]*result="accepted"[^}]*\} [1-9]/m);
      // A metric both threads know appears once, not once per thread.
      const lines = (name: string) => metrics.split('\n').filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
      assert.equal(lines('nodejs_heap_size_used_bytes').length, 1);
      assert.equal(lines('parley_webhook_log_backlog').filter((l) => l.includes('state="pending"')).length, 1);
      assert.equal(lines('parley_outbound_lane_depth').filter((l) => l.includes('lane="otp"')).length, 1);
    } finally {
      parley.child.kill('SIGTERM');
    }
    const code = await waitForExit(parley.child);
    const stderr = parley.stderr();
    assert.equal(code, 0, `SIGTERM drains both threads and exits 0; stderr:\n${stderr}`);
    assert.match(stderr, /"thread":"worker"/, 'the worker thread logs, marked as such');
    assert.match(stderr, /worker thread stopped/, 'the worker thread drained before the process exited');
  });
});
