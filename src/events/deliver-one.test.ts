import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'undici';
import { deliverOne } from './deliver-one.js';

it('refuses the same targets at delivery, before connecting', async () => {
  const dispatcher = new Agent({ connect: () => assert.fail('no connection may be attempted') });
  try {
    for (const url of ['http://LOCALHOST./', 'http://[::127.0.0.1]/', 'http:///x']) {
      const event = { eventId: 'evt_1', type: 'message.status', workspaceId: 'ws_1', createdAt: 0, payload: '{}' };
      const result = await deliverOne({ url, secret: 'secret', event, nowSeconds: 0, timeoutMs: 1000, allowPrivate: false, dispatcher });
      assert.equal(result.ok, false, url);
      assert.match(result.ok ? '' : result.error, /^target refused: /, url);
    }
  } finally {
    await dispatcher.close();
  }
});
