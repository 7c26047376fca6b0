import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { verifyEventSignature } from '../net/signature.js';
import { businessWebhookAgent, callBusinessWebhook, MAX_ANSWER_BYTES, USER_AGENT, type BusinessWebhookCall, type BusinessWebhookResult } from './business-webhook.js';
import { mapResponse } from './engine.js';

type Seen = { method: string; url: string; headers: IncomingHttpHeaders; body: string };

/** A business system on a local port: each request is recorded and answered by the next handler of `script` (the last one repeats). */
describe('callBusinessWebhook against a local server', () => {
  let server: Server;
  let base: string;
  let seen: Seen[];
  let script: Array<(res: ServerResponse) => void>;
  const dispatcher = businessWebhookAgent(true);
  const now = Math.floor(Date.now() / 1000);
  const call = (over: Partial<BusinessWebhookCall> = {}): Promise<BusinessWebhookResult> =>
    callBusinessWebhook({ url: `${base}/hook`, body: { phone: '+5511999990000', order: 'A-17' }, secret: 'shh', timeoutMs: 2000, retries: 1, allowPrivate: true, dispatcher, nowSeconds: now, idempotencyKey: 'bwh_session1_node3_1', ...over });
  const json = (status: number, value: unknown) => (res: ServerResponse) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };

  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        const handler = script[Math.min(seen.length, script.length) - 1]!;
        handler(res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    seen = [];
    script = [];
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await dispatcher.close();
  });

  it('posts the body as JSON and maps a JSON answer into variables', async () => {
    script = [json(200, { order: { status: 'shipped', eta: '2026-12-09' } })];
    const result = await call();
    assert.deepEqual(result, { ok: true, body: { order: { status: 'shipped', eta: '2026-12-09' } }, attempts: 1, statusCode: 200 });
    assert.deepEqual(mapResponse(result.ok ? result.body : null, { status: 'order.status' }), { status: 'shipped' });
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.method, 'POST');
    assert.equal(seen[0]!.url, '/hook');
    assert.equal(seen[0]!.headers['content-type'], 'application/json');
    assert.equal(seen[0]!.headers['user-agent'], USER_AGENT);
    assert.deepEqual(JSON.parse(seen[0]!.body), { phone: '+5511999990000', order: 'A-17' });
  });

  it('signs the request so the business can verify it as it verifies event deliveries', async () => {
    script = [json(200, {})];
    await call();
    const header = seen[0]!.headers['parley-signature'] as string;
    assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.equal(verifyEventSignature('shh', header, seen[0]!.body, now), true);
    assert.equal(verifyEventSignature('other secret', header, seen[0]!.body, now), false);
    assert.equal(verifyEventSignature('shh', header, seen[0]!.body.replace('A-17', 'A-18'), now), false);
  });

  it('gives up after retries + 1 attempts when the business never answers, within the bound', async () => {
    script = [() => undefined];
    const started = performance.now();
    const result = await call({ timeoutMs: 200, retries: 2 });
    const took = performance.now() - started;
    assert.equal(result.ok, false);
    assert.equal(result.attempts, 3);
    assert.equal(seen.length, 3);
    assert.match(result.ok ? '' : result.error, /no answer within 200 ms/);
    assert.equal(result.statusCode, null);
    // 3 × 200 ms of timeouts + 200 ms + 400 ms of pauses, with room for a busy machine.
    assert.ok(took < 3 * 200 + 600 + 1500, `took ${took} ms`);
  });

  it('tries again after a 500 and succeeds on the second attempt', async () => {
    script = [json(500, { error: 'busy' }), json(200, { ok: 1 })];
    const result = await call({ retries: 1 });
    assert.deepEqual(result, { ok: true, body: { ok: 1 }, attempts: 2, statusCode: 200 });
    assert.equal(seen.length, 2);
  });

  it('tries again after a 429', async () => {
    script = [json(429, {}), json(200, { ok: 1 })];
    const result = await call({ retries: 3 });
    assert.equal(result.ok, true);
    assert.equal(result.attempts, 2);
  });

  it('does not repeat a 404, which another attempt would not change', async () => {
    script = [json(404, { error: 'no such order' })];
    const result = await call({ retries: 3 });
    assert.deepEqual(result, { ok: false, error: 'answered 404', attempts: 1, statusCode: 404 });
    assert.equal(seen.length, 1);
  });

  it('fails on a 200 whose body is not JSON, without repeating it', async () => {
    script = [
      (res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Oops</body></html>');
      },
    ];
    const result = await call({ retries: 3 });
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.error, /not JSON/);
    assert.equal(result.attempts, 1);
    assert.equal(seen.length, 1);
  });

  it(`fails on an answer over ${MAX_ANSWER_BYTES} bytes, with or without its length announced`, async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(MAX_ANSWER_BYTES) });
    script = [
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(big);
      },
    ];
    const announced = await call({ retries: 2 });
    assert.equal(announced.ok, false);
    assert.match(announced.ok ? '' : announced.error, /larger than|more than/);
    assert.equal(seen.length, 1);
    seen = [];
    script = [
      (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(big.slice(0, 40_000));
        res.end(big.slice(40_000));
      },
    ];
    // A plain agent, without the business webhook agent's own cap: the reading stops at the limit too.
    const plain = new Agent();
    const chunked = await call({ retries: 2, dispatcher: plain }).finally(() => plain.close());
    assert.equal(chunked.ok, false);
    assert.match(chunked.ok ? '' : chunked.error, /more than/);
    assert.equal(seen.length, 1);
  });

  it('takes an empty 2xx as an answer without a body', async () => {
    script = [
      (res) => {
        res.writeHead(204);
        res.end();
      },
    ];
    assert.deepEqual(await call(), { ok: true, body: null, attempts: 1, statusCode: 204 });
  });

  it('does not follow a redirect', async () => {
    script = [
      (res) => {
        res.writeHead(302, { location: `${base}/elsewhere` });
        res.end();
      },
    ];
    const result = await call({ retries: 2 });
    assert.deepEqual(result, { ok: false, error: 'answered 302', attempts: 1, statusCode: 302 });
    assert.deepEqual(
      seen.map((s) => s.url),
      ['/hook'],
    );
  });

  it('sends the same idempotency key on every attempt, and the attempt number', async () => {
    script = [json(503, {}), json(502, {}), json(200, { ok: 1 })];
    const result = await call({ retries: 2, idempotencyKey: 'bwh_abc' });
    assert.equal(result.ok, true);
    assert.equal(result.attempts, 3);
    assert.deepEqual(
      seen.map((s) => s.headers['idempotency-key']),
      ['bwh_abc', 'bwh_abc', 'bwh_abc'],
    );
    assert.deepEqual(
      seen.map((s) => s.headers['parley-attempt']),
      ['1', '2', '3'],
    );
    assert.equal(new Set(seen.map((s) => s.body)).size, 1, 'the same bytes on every attempt');
  });

  it('refuses a private target unless the operator allows it, before connecting', async () => {
    const guarded = new Agent({ connect: () => assert.fail('no connection may be attempted') });
    try {
      for (const url of [`${base}/hook`, 'http://localhost/hook', 'http://[::ffff:10.0.0.1]/hook']) {
        const result = await call({ url, allowPrivate: false, dispatcher: guarded });
        assert.equal(result.ok, false, url);
        assert.match(result.ok ? '' : result.error, /^target refused: /, url);
        assert.equal(result.attempts, 0, url);
      }
      assert.equal(seen.length, 0);
    } finally {
      await guarded.close();
    }
  });
});
