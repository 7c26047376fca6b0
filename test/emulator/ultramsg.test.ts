import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEmulator, waitFor, type TestEmulator } from './harness.js';

describe('emulator: UltraMsg surface', () => {
  let t: TestEmulator;
  let base: string;
  let token: string;
  const events = () => t.receiver.posts.filter((p) => p.path === '/ultramsg').map((p) => p.body);
  /** Events in the order the emulator emitted them (POSTs run concurrently, so arrival order may differ). */
  const emitted = async () => ((await t.control('GET', '/webhooks?surface=ultramsg&limit=5000')).body.items as any[]).map((r) => r.payload);
  const form = (path: string, params: Record<string, string>) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params).toString() }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
  const json = (path: string, body: Record<string, unknown>) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  before(async () => {
    t = await startTestEmulator({ config: { customers: [{ phone: '15550009999', undeliverable: true }] } });
    base = `${t.emu.info.url}/${t.emu.info.ultramsgInstanceIds[0]}`;
    token = t.emu.info.ultramsgToken;
  });
  after(() => t.close());

  it('messages/chat, form-encoded with the token in the body: {"sent":"true","message":"ok","id":<number>}', async () => {
    const r = await form('/messages/chat', { token, to: '+14155552671', body: 'Hello', referenceId: 'ref-1' });
    assert.equal(r.status, 200);
    assert.equal(r.body.sent, 'true');
    assert.equal(r.body.message, 'ok');
    assert.equal(typeof r.body.id, 'number');
  });

  it('JSON with the token in the query string works too, and every send endpoint accepts its parameters', async () => {
    const sends: Array<[string, Record<string, unknown>]> = [
      ['chat', { to: '14155552671@c.us', body: 'Hi' }],
      ['image', { to: '+14155552671', image: 'https://example.com/a.png', caption: 'A' }],
      ['document', { to: '+14155552671', filename: 'a.pdf', document: 'https://example.com/a.pdf' }],
      ['audio', { to: '+14155552671', audio: 'https://example.com/a.mp3' }],
      ['voice', { to: '+14155552671', audio: 'https://example.com/a.ogg' }],
      ['video', { to: '+14155552671', video: 'https://example.com/a.mp4' }],
      ['link', { to: '+14155552671', link: 'https://example.com' }],
      ['contact', { to: '+14155552671', contact: '14155550000@c.us' }],
      ['location', { to: '+14155552671', address: 'Main St\nTown', lat: 37.1, lng: -122.1 }],
      ['vcard', { to: '+14155552671', vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:A\nEND:VCARD' }],
      ['sticker', { to: '+14155552671', sticker: 'https://example.com/a.webp' }],
    ];
    for (const [kind, params] of sends) {
      const r = await json(`/messages/${kind}?token=${token}`, params);
      assert.equal(r.body.sent, 'true', `${kind}: ${JSON.stringify(r.body)}`);
    }
    const chat = await json(`/messages/chat?token=${token}`, { to: '+14155552671', body: 'react to me' });
    const reaction = await json(`/messages/reaction?token=${token}`, { msgId: String(chat.body.id), emoji: '👍' });
    assert.equal(reaction.body.sent, 'true');
  });

  it("UltraMsg's error shapes: unknown instance 404, wrong token 401, missing parameters listed in the body", async () => {
    const r404 = await fetch(`${t.emu.info.url}/instance9999/messages/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, to: '+14155552671', body: 'x' }) });
    assert.equal(r404.status, 404);
    assert.deepEqual(await r404.json(), { error: 'Instance not found' });
    const wrong = await form('/messages/chat', { token: 'nope', to: '+14155552671', body: 'x' });
    assert.equal(wrong.status, 401);
    assert.match(wrong.body.error, /Wrong token/);
    const missing = await form('/messages/chat', { token });
    assert.deepEqual(missing.body, { error: [{ to: 'is required' }, { body: 'is required' }] });
    const long = await form('/messages/chat', { token, to: '+14155552671', body: 'x'.repeat(4097) });
    assert.deepEqual(long.body.error, [{ body: 'must be at most 4096 characters' }]);
  });

  it('webhooks: message_create (pending) then message_ack server → device → read, and played for audio; no 24-hour rule', async () => {
    const sent = await form('/messages/audio', { token, to: '+14155550101', audio: 'https://example.com/v.mp3', referenceId: 'voice-1' });
    const id = String(sent.body.id);
    await waitFor(() => events().some((e) => e.id === id && e.data.ack === 'played'), 'all acks');
    const acks = (await emitted()).filter((e) => e.id === id);
    assert.deepEqual(acks.map((e: any) => `${e.event_type}:${e.data.ack}`), ['message_create:pending', 'message_ack:server', 'message_ack:device', 'message_ack:read', 'message_ack:played']);
    assert.equal(acks[0].referenceId, 'voice-1');
    assert.equal(acks[0].data.fromMe, true);
    assert.match(acks[0].data.id, /^true_14155550101@c\.us_/);
  });

  it('message_received for a customer writing, and GET messages filters by referenceId', async () => {
    await t.control('POST', '/ultramsg/instance1150/inbound', { from: '14155550202', name: 'Ana', body: 'Olá' });
    const received = await waitFor(() => events().find((e) => e.event_type === 'message_received' && e.data.body === 'Olá'), 'message_received');
    assert.equal(received.data.fromMe, false);
    assert.equal(received.data.pushname, 'Ana');
    assert.equal(received.instanceId, '1150');
    const listed = (await fetch(`${base}/messages?token=${token}&referenceId=ref-1`).then((r) => r.json())) as any;
    assert.equal(listed.total, 1);
    assert.equal(listed.messages[0].body, 'Hello');
    assert.equal(listed.messages[0].to, '14155552671@c.us');
    assert.ok(['sent'].includes(listed.messages[0].status));
  });

  it("a customer's chat with an instance (the console's phone): what the instance sent, with its status from the acks, and what the customer wrote, oldest first", async () => {
    const sent = await form('/messages/chat', { token, to: '+14155550777', body: 'Your order shipped' });
    await waitFor(async () => ((await t.control('GET', '/customers/14155550777/chat?instanceId=instance1150')).body.entries as any[]).find((e) => e.status === 'read'), 'read ack');
    await t.control('POST', '/ultramsg/instance1150/inbound', { from: '14155550777', body: 'Thanks!' });
    const chat = (await t.control('GET', '/customers/14155550777/chat?instanceId=instance1150')).body;
    assert.deepEqual(chat.entries.map((e: any) => [e.from, e.type, e.content.body, e.status]), [['business', 'chat', 'Your order shipped', 'read'], ['customer', 'chat', 'Thanks!', null]]);
    assert.match(chat.entries[0].id, /^true_14155550777@c\.us_/);
    assert.equal(typeof sent.body.id, 'number');
    const other = await t.control('GET', '/customers/14155550777/chat?instanceId=instance9');
    assert.equal(other.status, 404);
  });

  it('priority: messages queued while the instance is disconnected leave lowest priority first, FIFO within a priority', async () => {
    await t.control('PUT', '/ultramsg/instance1150/state', { connected: false });
    const status = (await fetch(`${base}/instance/status?token=${token}`).then((r) => r.json())) as any;
    assert.equal(status.status.accountStatus.status, 'standby');
    {
      const low = [];
      for (let i = 0; i < 4; i++) low.push((await form('/messages/chat', { token, to: '+14155550303', body: `bulk ${i}`, priority: '10' })).body.id);
      const otp = (await form('/messages/chat', { token, to: '+14155550303', body: 'OTP 123456', priority: '0' })).body.id;
      await t.control('PUT', '/ultramsg/instance1150/state', { connected: true });
      await waitFor(() => events().filter((e) => e.event_type === 'message_create' && e.data.to === '14155550303@c.us').length === 5, 'all five sent');
      const order = (await emitted()).filter((e) => e.event_type === 'message_create' && e.data.to === '14155550303@c.us').map((e) => Number(e.id));
      assert.deepEqual(order, [otp, ...low]);
    }
  });

  it('a number not on WhatsApp ends as "invalid" with no acks; a reused referenceId counts as a duplicate send', async () => {
    const r = await form('/messages/chat', { token, to: '+15550009999', body: 'nobody', referenceId: 'dup-1' });
    await waitFor(async () => ((await fetch(`${base}/messages?token=${token}&id=${r.body.id}`).then((x) => x.json())) as any).messages[0].status === 'invalid', 'invalid status');
    await form('/messages/chat', { token, to: '+14155552671', body: 'again', referenceId: 'dup-1' });
    const stats = (await t.control('GET', '/stats')).body;
    assert.equal(stats.duplicateSends, 1);
    const duplicates = (await t.control('GET', '/duplicates')).body.items;
    assert.equal(duplicates[0].surface, 'ultramsg');
    assert.equal(duplicates[0].key, 'dup-1');
  });
});
