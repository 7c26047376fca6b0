import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describeStorage } from '../harness/storage.js';
import { startTestEmulator, type TestEmulator } from '../emulator/harness.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import type { ParleyApp } from '../../src/http/types.js';
import { MediaDownloader } from '../../src/webhooks/media/media-downloader.js';
import { insertSender, processAll, webhookContext } from './helpers.js';

const SECRET = 'a-long-random-ultramsg-media-secret';

describeStorage('UltraMsg inbound media through the emulator: webhook_message_download_media', (fx) => {
  let ctx: ParleyContext;
  let app: ParleyApp;
  let workspaceId: string;
  let senderId: string;
  let emulator: TestEmulator;

  before(async () => {
    emulator = await startTestEmulator();
    fx.onTearDown(() => emulator.close());
    ctx = webhookContext(fx, { mediaMaxBytes: 64 * 1024 });
    app = await fx.app(ctx);
    workspaceId = (await fx.workspace()).workspaceId;
    senderId = await insertSender(fx.db, ctx.keyring, { workspaceId, provider: 'ultramsg', instanceId: '1150', webhookSecret: SECRET });
  });

  /** A customer sends a photo to the emulator's instance; its message_received webhook is posted to Parley. */
  async function receivePhoto(bytes: Buffer) {
    const inbound = await emulator.control('POST', '/ultramsg/instance1150/inbound', { from: '14155550801', type: 'image', body: 'my receipt', mediaBase64: bytes.toString('base64') });
    assert.equal(inbound.status, 200, JSON.stringify(inbound.body));
    const res = await app.inject({ method: 'POST', url: `/webhooks/whatsapp/ultramsg?secret=${SECRET}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(inbound.body.event) });
    assert.equal(res.statusCode, 200);
    await processAll(ctx);
    return inbound.body.event;
  }
  const mediaRows = () => fx.db.selectFrom('media').selectAll().where('sender_id', '=', senderId).orderBy('created_at').execute();

  it('on (the default): the file the webhook links to is downloaded by Parley and stored encrypted', async () => {
    const photo = randomBytes(3000);
    const event = await receivePhoto(photo);
    assert.match(event.data.media, /\/_ultramsg-files\//);
    const [queued] = await mediaRows();
    assert.equal(queued.state, 'pending');
    await new MediaDownloader(ctx).runOnce();
    const [stored] = await mediaRows();
    assert.equal(stored.state, 'stored', stored.error ?? '');
    assert.equal(stored.size, photo.length);
    assert.equal(stored.mime_type, 'image/jpeg');
    assert.deepEqual(Buffer.from(await ctx.keyring.decrypt(workspaceId, stored.data!), 'base64'), photo);
  });

  it('off: the webhook carries no link, so the message is kept and nothing is queued for download', async () => {
    const base = `${emulator.emu.info.url}/instance1150`;
    const off = await fetch(`${base}/instance/settings`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ token: emulator.emu.info.ultramsgToken, webhook_message_download_media: 'false' }).toString() });
    assert.equal(((await off.json()) as any).webhook_message_download_media, 'off');
    const before = (await mediaRows()).length;
    const event = await receivePhoto(randomBytes(100));
    assert.equal(event.data.media, '');
    assert.equal((await mediaRows()).length, before);
    const messages = await fx.db.selectFrom('messages').select('id').where('sender_id', '=', senderId).where('direction', '=', 'inbound').execute();
    assert.equal(messages.length, 2, 'both photos are messages; only the first has a file');
  });
});
