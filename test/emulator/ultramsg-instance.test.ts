import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEmulator, waitFor, type TestEmulator } from './harness.js';

describe('emulator: UltraMsg instance sessions', () => {
  let t: TestEmulator;
  let base: string;
  let token: string;
  const get = async (path: string) => {
    const r = await fetch(`${base}${path}${path.includes('?') ? '&' : '?'}token=${token}`);
    return { status: r.status, type: r.headers.get('content-type') ?? '', body: r.headers.get('content-type')?.startsWith('application/json') ? await r.json() : Buffer.from(await r.arrayBuffer()) } as { status: number; type: string; body: any };
  };
  const post = async (path: string, fields: Record<string, string> = {}) => {
    const r = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token, ...fields }) });
    return { status: r.status, body: (await r.json()) as any };
  };
  const state = async () => (await get('/instance/status')).body.status.accountStatus;

  before(async () => {
    t = await startTestEmulator();
    base = `${t.emu.info.url}/${t.emu.info.ultramsgInstanceIds[0]}`;
    token = t.emu.info.ultramsgToken;
  });
  after(() => t.close());

  it('the control API sets any session state and refuses unknown ones, naming the valid ones', async () => {
    for (const s of ['disconnected', 'standby', 'loading', 'qr'] as const) {
      const r = await t.control('PUT', '/ultramsg/instance1150/state', { state: s });
      assert.deepEqual([r.status, r.body.state, r.body.connected], [200, s, false]);
      assert.deepEqual(await state(), { status: s, substatus: 'normal' });
    }
    const bad = await t.control('PUT', '/ultramsg/instance1150/state', { state: 'asleep' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error, /authenticated, disconnected, standby, qr, loading/);
    assert.equal((await t.control('PUT', '/ultramsg/instance1150/state', { state: 'authenticated' })).body.connected, true);
    assert.deepEqual(await state(), { status: 'authenticated', substatus: 'connected' });
  });

  it('logout draws a new QR code (PNG and string); restart is loading then back; a logged-out instance restarts into qr', async () => {
    assert.equal((await get('/instance/qr')).body.error, 'instance is authenticated, not waiting for a QR code scan');
    await post('/instance/logout');
    const first = (await get('/instance/qrCode')).body.qrCode;
    const png = await get('/instance/qr');
    assert.equal(png.type, 'image/png');
    assert.equal((png.body as Buffer).subarray(1, 4).toString(), 'PNG');
    await t.control('PUT', '/ultramsg/instance1150/state', { state: 'authenticated' });
    await post('/instance/logout');
    assert.notEqual((await get('/instance/qrCode')).body.qrCode, first, 'each logout shows a new code');
    assert.deepEqual((await post('/instance/restart')).body, { success: 'instance restarted' });
    assert.equal((await state()).status, 'loading');
    await waitFor(async () => (await state()).status === 'qr', 'back to waiting for the scan');
    await t.control('PUT', '/ultramsg/instance1150/state', { state: 'authenticated' });
    await post('/instance/restart');
    await waitFor(async () => (await state()).status === 'authenticated', 'authenticated again after the restart');
  });

  it('clear logs out and forgets the queue: queued messages become unsent and are never sent', async () => {
    await t.control('PUT', '/ultramsg/instance1150/state', { state: 'standby' });
    const queued = await post('/messages/chat', { to: '+14155550404', body: 'never' });
    assert.equal(queued.body.sent, 'true');
    assert.deepEqual((await post('/instance/clear')).body, { success: 'instance cleared' });
    assert.deepEqual(await state(), { status: 'qr', substatus: 'normal' });
    assert.equal((await get(`/messages?id=${queued.body.id}`)).body.total, 0);
    await t.control('PUT', '/ultramsg/instance1150/state', { state: 'authenticated' });
    assert.ok(!t.receiver.posts.some((p) => p.path === '/ultramsg' && p.body.data?.to === '14155550404@c.us'));
  });

  it('chats and contacts are UltraMsg routes (a wrong token is UltraMsg\'s 401, not a Graph error); a missing chatId is listed', async () => {
    const wrong = await fetch(`${base}/chats?token=nope`);
    assert.equal(wrong.status, 401);
    assert.deepEqual(await wrong.json(), { error: 'Wrong token. Please provide token as a GET parameter.' });
    assert.deepEqual((await get('/contacts/check')).body, { error: [{ chatId: 'is required' }] });
    assert.deepEqual((await get('/contacts/check?chatId=15550009999')).body, { status: 'valid', chatId: '15550009999@c.us' });
  });
});
