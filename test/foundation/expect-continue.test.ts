import { it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { describeStorage } from '../harness/storage.js';

/** Sends a request's head with `Expect: 100-continue`, and the body only if the server says 100. */
async function expectContinue(port: number, path: string, length: number): Promise<string> {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  let bodySent = false;
  socket.on('error', () => {});
  socket.on('data', (chunk) => {
    received += chunk.toString('latin1');
    if (!bodySent && received.startsWith('HTTP/1.1 100 Continue\r\n\r\n')) {
      bodySent = true;
      socket.write(Buffer.alloc(length, 0x20));
    }
  });
  socket.write(`POST ${path} HTTP/1.1\r\nHost: parley.test\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`);
  await new Promise((resolve) => socket.on('close', resolve));
  return received;
}

describeStorage('Expect: 100-continue', (fx) => {
  it('a webhook declaring a body over PARLEY_WEBHOOK_BODY_LIMIT_BYTES gets 413 before 100 Continue', async () => {
    const app = await fx.app(fx.context({ webhookBodyLimit: 10_000, bodyLimit: 5_000, whatsappAppSecrets: 'expect-secret' }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as net.AddressInfo;

    for (const path of ['/webhooks/whatsapp/cloud', '/webhooks/whatsapp/ultramsg?secret=x']) {
      const answer = await expectContinue(port, path, 10_001);
      assert.match(answer, /^HTTP\/1\.1 413 /, `${path}: ${answer.slice(0, 80)}`);
      assert.doesNotMatch(answer, /100 Continue/);
      const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
      assert.equal(body.error.code, 'REQUEST_TOO_LARGE');
      assert.equal(body.error.details.limit, 10_000);
    }

    // Within the webhook limit (though over the API's): 100 Continue, then the route's own answer.
    const small = await expectContinue(port, '/webhooks/whatsapp/cloud', 9_000);
    assert.match(small, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 401 /, small.slice(0, 80));

    // Other routes use their own limit: the API's here.
    const api = await expectContinue(port, '/v1/messages', 5_001);
    assert.match(api, /^HTTP\/1\.1 413 /, api.slice(0, 80));
    assert.equal(await fx.db.selectFrom('webhook_log').select('seq').executeTakeFirst(), undefined, 'nothing stored');
  });
});
