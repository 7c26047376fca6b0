import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import { startTestEmulator, waitFor, type TestEmulator } from './harness.js';

// UltraMsg's own Node client (ultramsg-whatsapp-api) hard-codes https://api.ultramsg.com/ and calls it
// through node-fetch, loaded once when the client's module loads. The test puts a node-fetch in the
// module cache first that sends the same request to the emulator instead: the client itself is unchanged.
const require = createRequire(import.meta.url);
const clientDir = path.dirname(require.resolve('ultramsg-whatsapp-api/package.json'));
const nodeFetchPath = require.resolve('node-fetch', { paths: [clientDir] });
const realFetch = require(nodeFetchPath) as (url: string, init?: unknown) => Promise<unknown>;
let target = '';
const seen: Array<{ url: string; method: string }> = [];
const redirected = Object.assign((url: string, init?: { method?: string }) => {
  const rewritten = url.replace('https://api.ultramsg.com', target);
  seen.push({ url: rewritten, method: init?.method ?? 'GET' });
  return realFetch(rewritten, init);
}, realFetch);
require.cache[nodeFetchPath]!.exports = redirected;
const UltraMsg = require('ultramsg-whatsapp-api') as new (instance: string, token: string) => Record<string, (...args: unknown[]) => Promise<any>>;

const NOT_FOUND = 'instance not found or pending please check you instance id';

describe("UltraMsg's own Node client against the emulator", () => {
  let t: TestEmulator;
  let api: Record<string, (...args: unknown[]) => Promise<any>>;

  before(async () => {
    t = await startTestEmulator();
    target = t.emu.info.url;
    api = new UltraMsg(t.emu.info.ultramsgInstanceIds[0], t.emu.info.ultramsgToken);
  });
  after(() => t.close());

  it('every instance, chat and contact endpoint of the client answers (no 404, no Graph error), in UltraMsg shapes', async () => {
    const calls: Array<[string, unknown[]]> = [
      ['getInstanceStatus', []],
      ['getInstanceMe', []],
      ['getInstanceSettings', []],
      ['getInstanceQr', []],
      ['getInstanceQrCode', []],
      ['getInstanceScreenshot', []],
      ['getInstanceScreenshot', ['base64']],
      ['sendInstanceTakeover', []],
      ['sendInstanceRestart', []],
      ['sendInstanceLogout', []],
      ['getInstanceQr', []],
      ['getInstanceQrCode', []],
      ['sendInstanceClear', []],
      ['getChats', []],
      ['getChatsMessages', ['14155552671@c.us']],
      ['getContacts', []],
      ['getContact', ['16505551234@c.us']],
      ['checkContact', ['14155552671@c.us']],
      ['blockContact', ['14155552671@c.us']],
      ['getBlockedContacts', []],
      ['unblockContact', ['14155552671@c.us']],
    ];
    const answers: Record<string, unknown[]> = {};
    for (const [method, args] of calls) {
      const answer = await api[method](...args);
      assert.notDeepEqual(answer, { error: NOT_FOUND }, `${method} got a 404`);
      assert.notDeepEqual(answer, { error: 'error' }, `${method} got an HTTP error`);
      assert.equal((answer as { error?: { code?: number } })?.error?.code, undefined, `${method} got a Graph error envelope`);
      (answers[method] ??= []).push(answer);
    }
    assert.deepEqual(answers.getInstanceStatus[0], { status: { accountStatus: { status: 'authenticated', substatus: 'connected' } } });
    assert.match(String(answers.getInstanceScreenshot[0]), /^data:image\/png;base64,iVBORw0KGgo/, 'the screenshot is a PNG');
    assert.match(String(answers.getInstanceScreenshot[1]), /^data:image\/png;base64,iVBORw0KGgo/, 'encoding=base64 gives the data URL as text');
    // Authenticated: there is no QR code to scan.
    assert.match(String((answers.getInstanceQr[0] as { error: string }).error), /not waiting/);
    // After the logout: the QR code as a PNG and as its string.
    assert.match(String(answers.getInstanceQr[1]), /^data:image\/png;base64,iVBORw0KGgo/);
    assert.match((answers.getInstanceQrCode[1] as { qrCode: string }).qrCode, /^2@/);
    assert.ok(Array.isArray(answers.getChats[0]));
    assert.ok((answers.getContacts[0] as Array<{ id: string }>).some((c) => c.id === '16505551234@c.us'));
    assert.equal((answers.getContact[0] as { name: string }).name, 'Sheena Nelson');
    assert.deepEqual(answers.checkContact[0], { status: 'valid', chatId: '14155552671@c.us' });
    assert.deepEqual(answers.getBlockedContacts[0], ['14155552671@c.us']);
    // The requests went to the emulator, with the client's own methods.
    assert.ok(seen.some((s) => s.method === 'POST' && s.url.startsWith(`${target}/instance1150/instance/logout`)));
    assert.ok(seen.every((s) => s.url.startsWith(target)));
  });

  it('after a logout the client sees qr; a message it sends stays queued until the instance is authenticated again, then goes out', async () => {
    await api.sendInstanceLogout();
    assert.deepEqual(await api.getInstanceStatus(), { status: { accountStatus: { status: 'qr', substatus: 'normal' } } });
    const sent = await api.sendChatMessage('+14155552671', 'held while logged out', 10, 'node-client-held');
    assert.equal(sent.sent, 'true');
    const listed = async () => (await api.getMessages(1, 100, 'all', 'asc', '', 'node-client-held')).messages[0];
    assert.equal((await listed()).status, 'queue');
    assert.equal((await api.getMessageStatistics()).messages_statistics.queue, 1);
    await t.control('PUT', '/ultramsg/instance1150/state', { state: 'authenticated' });
    await waitFor(async () => (await listed()).status === 'sent', 'the queued message sent after the scan');
    assert.deepEqual(await api.getInstanceStatus(), { status: { accountStatus: { status: 'authenticated', substatus: 'connected' } } });
  });
});
