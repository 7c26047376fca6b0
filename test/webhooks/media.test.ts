import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { describeStorage } from '../harness/storage.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import type { ParleyApp } from '../../src/http/types.js';
import { MediaDownloader } from '../../src/webhooks/media/media-downloader.js';
import { fixture, insertSender, postCloud, processAll, webhookContext, withMessageId } from './helpers.js';

const TOKEN = 'graph-token-for-media';

/** A stand-in for Meta's media API: `GET /v21.0/{id}` → url, then the file, both needing the bearer token. */
function fakeGraph(files: Map<string, { bytes: Buffer; status?: number }>): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return res.writeHead(401).end('{"error":{"code":190}}');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const meta = /^\/v21\.0\/(\w+)$/.exec(req.url ?? '');
    if (meta) {
      const file = files.get(meta[1]);
      if (!file) return res.writeHead(404).end('{"error":{"code":100}}');
      if (file.status) return res.writeHead(file.status).end('{"error":{"code":1}}');
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: `${base}/download/${meta[1]}`, mime_type: 'image/jpeg', file_size: file.bytes.length, id: meta[1] }));
    }
    const download = /^\/download\/(\w+)$/.exec(req.url ?? '');
    if (download && files.has(download[1])) return res.writeHead(200, { 'content-type': 'image/jpeg' }).end(files.get(download[1])!.bytes);
    res.writeHead(404).end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests })));
}

describeStorage('inbound media: downloaded through the provider media API and stored encrypted', (fx) => {
  let ctx: ParleyContext;
  let app: ParleyApp;
  let workspaceId: string;
  const files = new Map<string, { bytes: Buffer; status?: number }>();
  let graph: Awaited<ReturnType<typeof fakeGraph>>;

  before(async () => {
    graph = await fakeGraph(files);
    fx.onTearDown(() => new Promise<void>((resolve) => graph.server.close(() => resolve())));
    ctx = webhookContext(fx, { mediaMaxBytes: 64 * 1024 });
    app = await fx.app(ctx);
    workspaceId = (await fx.workspace()).workspaceId;
    await insertSender(fx.db, ctx.keyring, { workspaceId, baseUrl: graph.url, accessToken: TOKEN });
  });

  async function receiveImage(mediaId: string, sha256?: string) {
    const payload = JSON.parse(withMessageId(fixture('cloud-image-message.json'), `wamid.media.${randomBytes(4).toString('hex')}`));
    const image = payload.entry[0].changes[0].value.messages[0].image;
    image.id = mediaId;
    if (sha256) image.sha256 = sha256;
    assert.equal((await postCloud(app, JSON.stringify(payload))).statusCode, 200);
    await processAll(ctx);
    return fx.db.selectFrom('media').selectAll().where('provider_media_id', '=', mediaId).executeTakeFirstOrThrow();
  }

  it('downloads with the sender’s token, checks the sha256, and stores the bytes encrypted', async () => {
    const bytes = randomBytes(5000);
    files.set('111', { bytes });
    const queued = await receiveImage('111', createHash('sha256').update(bytes).digest('hex'));
    assert.equal(queued.state, 'pending');
    await new MediaDownloader(ctx).runOnce();
    const stored = await fx.db.selectFrom('media').selectAll().where('id', '=', queued.id).executeTakeFirstOrThrow();
    assert.equal(stored.state, 'stored');
    assert.equal(stored.size, 5000);
    assert.ok(!stored.data!.includes(bytes.toString('base64').slice(0, 40)), 'not stored in clear');
    assert.deepEqual(Buffer.from(await ctx.keyring.decrypt(workspaceId, stored.data!), 'base64'), bytes);
    assert.ok(graph.requests.some((r) => r.startsWith('GET /v21.0/111 Bearer ')));
  });

  it('a failing download keeps the message, records the failure and retries later', async () => {
    files.set('222', { bytes: Buffer.from('x'), status: 503 });
    const queued = await receiveImage('222', createHash('sha256').update('recovered').digest('hex'));
    await new MediaDownloader(ctx).runOnce();
    const after = await fx.db.selectFrom('media').selectAll().where('id', '=', queued.id).executeTakeFirstOrThrow();
    assert.equal(after.state, 'pending');
    assert.equal(after.attempts, 1);
    assert.match(after.error!, /503/);
    assert.ok(after.next_attempt_at > Date.now() + 10_000, 'backed off');
    assert.ok(await fx.db.selectFrom('messages').select('id').where('id', '=', after.message_id).executeTakeFirst(), 'the message is kept');
    // The provider recovers; once due, the retry stores it.
    files.set('222', { bytes: Buffer.from('recovered') });
    await fx.db.updateTable('media').set({ next_attempt_at: 0 }).where('id', '=', queued.id).execute();
    await new MediaDownloader(ctx).runOnce();
    assert.equal((await fx.db.selectFrom('media').select('state').where('id', '=', queued.id).executeTakeFirstOrThrow()).state, 'stored');
  });

  it('media gone at the provider (404) or over the size bound fails for good, with the reason', async () => {
    const gone = await receiveImage('333');
    files.set('444', { bytes: randomBytes(100 * 1024) });
    const huge = await receiveImage('444');
    await new MediaDownloader(ctx).runOnce();
    const rows = await fx.db.selectFrom('media').select(['id', 'state', 'error']).where('id', 'in', [gone.id, huge.id]).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    assert.equal(byId.get(gone.id)!.state, 'failed');
    assert.match(byId.get(gone.id)!.error!, /404/);
    assert.equal(byId.get(huge.id)!.state, 'failed');
    assert.match(byId.get(huge.id)!.error!, /PARLEY_MEDIA_MAX_BYTES/);
  });
});
