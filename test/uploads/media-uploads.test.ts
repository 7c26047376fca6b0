import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describeStorage } from '../harness/storage.js';
import { pipeline } from '../outbound/helpers.js';
import { waitFor } from '../outbound/fake-provider.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { purgeUnusedUploadsPass } from '../../src/uploads/purge-worker.js';
import { HOUR } from '../../src/shared/time.js';
import type { Clock } from '../../src/shared/time.js';

// Uploads for outbound messages (decision 0028): POST /v1/media, sending by mediaId through the emulator with
// both providers' real adapters, the purge of unused uploads, erasure.

/** A tiny but real PNG (1×1, RGBA): the signature, IHDR, IDAT and IEND. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describeStorage('Media uploads', (fx) => {
  let emulator: RunningEmulator;
  before(async () => {
    emulator = await startEmulator({ seed: 28, config: { customers: [], ultramsg: { instances: [{ instanceId: 'instance2801' }] }, behaviour: { statusLatencyMs: { sent: [1, 5], delivered: [1, 5], read: [1, 5] } } } });
  });
  after(() => emulator.close());

  const upload = (p: { app: any; authorization: string }, bytes: Buffer | undefined, contentType: string | undefined, query = '', headers: Record<string, string> = {}) =>
    p.app.inject({ method: 'POST', url: `/v1/media${query}`, headers: { authorization: p.authorization, ...(contentType ? { 'content-type': contentType } : {}), ...headers }, ...(bytes ? { payload: bytes } : {}) });
  const uploads = async (p: { ctx: any; workspaceId: string }) => (await p.ctx.db.selectFrom('media_uploads').select('id').where('workspace_id', '=', p.workspaceId).execute()).length;

  it('an upload answers 201 with its id, type, size, digest and name; it is stored encrypted, audited, and read back by its workspace only', async (t) => {
    const p = await pipeline(fx, t);
    const response = await upload(p, PNG, 'image/png', '?filename=' + encodeURIComponent('cat photo.png'));
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.match(body.id, /^med_/);
    assert.deepEqual({ ...body, id: undefined, createdAt: undefined }, { id: undefined, createdAt: undefined, mimeType: 'image/png', size: PNG.length, sha256: sha256(PNG), filename: 'cat photo.png' });

    const row = await p.ctx.db.selectFrom('media_uploads').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
    assert.ok(!row.data.includes(PNG.toString('base64')), 'the file is not stored in the clear');
    assert.ok(row.filename && !row.filename.includes('cat photo'), 'the file name is sealed');
    assert.equal(row.used_at, null);

    const audit = await p.ctx.db.selectFrom('audit_entries').select(['action', 'resource_type', 'resource_id', 'diff']).where('workspace_id', '=', p.workspaceId).where('action', '=', 'media.uploaded').execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0].resource_id, body.id);
    assert.ok(!audit[0].diff!.includes('cat photo'), 'the audit names the file name by reference only');

    const content = await p.app.inject({ method: 'GET', url: `/v1/media/${body.id}/content`, headers: { authorization: p.authorization } });
    assert.equal(content.statusCode, 200);
    assert.equal(content.headers['content-type'], 'image/png');
    assert.equal(sha256(content.rawPayload), sha256(PNG));

    const other = await fx.workspace();
    const foreign = await p.app.inject({ method: 'GET', url: `/v1/media/${body.id}/content`, headers: { authorization: other.authorization } });
    assert.equal(foreign.statusCode, 404);
    assert.equal(foreign.json().error.code, 'MEDIA_NOT_FOUND');
    const sentElsewhere = await p.app.inject({ method: 'POST', url: '/v1/messages', headers: { authorization: other.authorization }, payload: { to: '+15550002801', type: 'image', image: { mediaId: body.id } } });
    assert.equal(sentElsewhere.statusCode, 404, sentElsewhere.body);
    assert.equal(sentElsewhere.json().error.code, 'MEDIA_NOT_FOUND');

    // The name may come from Content-Disposition too.
    const named = await upload(p, PDF, 'application/pdf', '', { 'content-disposition': 'attachment; filename="invoice 17.pdf"' });
    assert.equal(named.statusCode, 201, named.body);
    assert.equal(named.json().filename, 'invoice 17.pdf');
  });

  it('a wrong signature, a file too large, an unknown type and a missing body are refused with their codes and hints, and nothing is stored', async (t) => {
    const p = await pipeline(fx, t, { config: { mediaUploadMaxBytes: 4096 } });
    const refusals: Array<[Buffer | undefined, string | undefined, number, string]> = [
      [JPEG, 'image/png', 400, 'MEDIA_CONTENT_MISMATCH'],
      [PNG, 'application/pdf', 400, 'MEDIA_CONTENT_MISMATCH'],
      [Buffer.concat([PNG, Buffer.alloc(5000)]), 'image/png', 413, 'MEDIA_TOO_LARGE'],
      [Buffer.from('PK\u0003\u0004 a zip'), 'application/zip', 415, 'MEDIA_TYPE_UNSUPPORTED'],
      [PNG, undefined, 415, 'MEDIA_TYPE_UNSUPPORTED'],
      [undefined, 'image/png', 400, 'MEDIA_EMPTY'],
      [Buffer.from([0x00, 0x01, 0x02]), 'text/plain', 400, 'MEDIA_CONTENT_MISMATCH'],
    ];
    for (const [bytes, type, status, code] of refusals) {
      const response = await upload(p, bytes, type);
      assert.equal(response.statusCode, status, `${type}: ${response.body}`);
      assert.equal(response.json().error.code, code, `${type}`);
      assert.ok(response.json().error.hint, `${code} has a hint`);
    }
    // Over Meta's limit for the type (a WEBP sticker: 500 KB), whatever the operator's cap.
    const big = await fx.app(fx.context({ mediaUploadMaxBytes: 16 * 1024 * 1024 }));
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBP'), Buffer.alloc(600 * 1024)]);
    const tooBig = await big.inject({ method: 'POST', url: '/v1/media', headers: { authorization: p.authorization, 'content-type': 'image/webp' }, payload: webp });
    assert.equal(tooBig.statusCode, 413, tooBig.body);
    assert.equal(tooBig.json().error.details.maxBytes, 500 * 1024);
    assert.equal(await uploads(p), 0, 'no refused upload was stored');
  });

  it('a send names an upload of its own kind', async (t) => {
    const p = await pipeline(fx, t);
    const pdf = (await upload(p, PDF, 'application/pdf')).json();
    const asImage = await p.send({ to: '+15550002802', type: 'image', image: { mediaId: pdf.id } });
    assert.equal(asImage.statusCode, 400, asImage.body);
    assert.equal(asImage.json().error.code, 'MEDIA_KIND_MISMATCH');
    const both = await p.send({ to: '+15550002802', type: 'document', document: { mediaId: pdf.id, link: 'https://example.com/a.pdf' } });
    assert.equal(both.statusCode, 400);
    assert.equal(both.json().error.code, 'CONTENT_INVALID');
  });

  it('Cloud API: the file is uploaded to Meta once per sender (multipart), sent as {image:{id}}, and the bytes Meta holds are the upload\'s', async (t) => {
    const p = await pipeline(fx, t, { realAdapters: true, sender: { baseUrl: emulator.info.url, phoneNumberId: emulator.info.phoneNumberIds[0], wabaId: emulator.info.wabaId, credentials: { accessToken: emulator.info.accessToken }, mps: 200 } });
    const uploaded = (await upload(p, PNG, 'image/png', '?filename=cat.png')).json();
    const first = '+15550002811';
    const second = '+15550002812';
    await p.openWindow(first);
    await p.openWindow(second);
    const a = await p.send({ to: first, lane: 'conversation', type: 'image', image: { mediaId: uploaded.id, caption: 'Your cat' } });
    assert.equal(a.statusCode, 202, a.body);
    await p.start();
    const sentTo = (id: string) => p.ctx.db.selectFrom('messages').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    await waitFor(async () => ['accepted', 'sent', 'delivered', 'read'].includes((await sentTo(a.json().id)).status), 10_000, 'the image was sent');

    const bizOpaque = (id: string) => [...emulator.core.state.messages.values()].find((m) => m.bizOpaque === id)!;
    const request = bizOpaque(a.json().id).request;
    assert.equal(request.type, 'image');
    assert.equal(request.image.caption, 'Your cat');
    assert.equal(request.image.mediaId, undefined, 'Parley\'s id is not sent to Meta');
    const atMeta = emulator.core.state.media.get(request.image.id)!;
    assert.equal(atMeta.sha256, sha256(PNG), 'Meta holds the uploaded bytes');
    assert.equal(atMeta.mimeType, 'image/png');
    assert.equal(atMeta.filename, 'cat.png');
    const kept = await p.ctx.db.selectFrom('media_upload_providers').selectAll().where('upload_id', '=', uploaded.id).execute();
    assert.deepEqual(kept.map((k) => [k.sender_id, k.provider_media_id]), [[p.sender.id, request.image.id]]);

    // The same file to another customer: no second upload.
    const b = await p.send({ to: second, lane: 'conversation', type: 'image', image: { mediaId: uploaded.id } });
    await waitFor(async () => ['accepted', 'sent', 'delivered', 'read'].includes((await sentTo(b.json().id)).status), 10_000, 'the second image was sent');
    assert.equal(bizOpaque(b.json().id).request.image.id, request.image.id);
    const used = await p.ctx.db.selectFrom('media_uploads').select('used_at').where('id', '=', uploaded.id).executeTakeFirstOrThrow();
    assert.notEqual(used.used_at, null);
  });

  it('UltraMsg: the file goes as base64 in the media parameter and the instance holds the same bytes', async (t) => {
    const p = await pipeline(fx, t, { realAdapters: true, sender: { provider: 'ultramsg', baseUrl: emulator.info.url, instanceId: 'instance2801', phoneNumberId: null, credentials: { token: emulator.info.ultramsgToken }, mps: 10 } });
    const uploaded = (await upload(p, PDF, 'application/pdf', '?filename=invoice.pdf')).json();
    const to = '+15550002821';
    await p.openWindow(to);
    const accepted = await p.send({ to, lane: 'conversation', type: 'document', document: { mediaId: uploaded.id, caption: 'Invoice 17' } });
    assert.equal(accepted.statusCode, 202, accepted.body);
    await p.start();
    const id = accepted.json().id;
    await waitFor(async () => [...emulator.core.state.ultramsgMessages.values()].some((m) => m.referenceId === id), 15_000, 'UltraMsg took the document');
    const sent = [...emulator.core.state.ultramsgMessages.values()].find((m) => m.referenceId === id)!;
    assert.equal(sent.type, 'document');
    const link = String((sent as any).metadata.media);
    const fileId = link.split('/').at(-1)!.split('.')[0]!;
    assert.equal(emulator.core.state.media.get(fileId)!.sha256, sha256(PDF), 'the instance holds the uploaded bytes');
    assert.equal((sent as any).metadata.filename ?? 'invoice.pdf', 'invoice.pdf');
  });

  it('uploads no message named within 24 hours are purged; used ones stay', async (t) => {
    let now = Date.now();
    const clock: Clock = { now: () => now };
    const p = await pipeline(fx, t, { clock });
    const unused = (await upload(p, PNG, 'image/png')).json();
    const used = (await upload(p, PNG, 'image/png')).json();
    await p.openWindow('+15550002831', now);
    const accepted = await p.send({ to: '+15550002831', type: 'image', image: { mediaId: used.id } });
    assert.equal(accepted.statusCode, 202, accepted.body);
    now += 23 * HOUR;
    await purgeUnusedUploadsPass(p.ctx);
    assert.equal(await uploads(p), 2, 'not before 24 hours');
    now += 2 * HOUR;
    // The database is shared by the file's tests: the pass purges their unused uploads too.
    assert.ok((await purgeUnusedUploadsPass(p.ctx)) >= 1);
    const left = (await p.ctx.db.selectFrom('media_uploads').select('id').where('workspace_id', '=', p.workspaceId).execute()).map((r) => r.id);
    assert.deepEqual(left, [used.id]);
    const gone = await p.app.inject({ method: 'GET', url: `/v1/media/${unused.id}/content`, headers: { authorization: p.authorization } });
    assert.equal(gone.statusCode, 404);
  });

  it("a contact's erasure deletes the uploads their messages send, and a message still waiting with it fails as media_gone", async (t) => {
    const p = await pipeline(fx, t);
    const photo = (await upload(p, PNG, 'image/png')).json();
    await p.openWindow('+15550002841');
    await p.openWindow('+15550002842');
    const mine = await p.send({ to: '+15550002841', type: 'image', image: { mediaId: photo.id } });
    assert.equal(mine.statusCode, 202, mine.body);
    const theirs = await p.send({ to: '+15550002842', type: 'image', image: { mediaId: photo.id } });
    assert.equal(theirs.statusCode, 202, theirs.body);
    const erased = await p.app.inject({ method: 'DELETE', url: `/v1/contacts/${mine.json().contactId}`, headers: { authorization: p.authorization } });
    assert.equal(erased.statusCode, 200, erased.body);
    assert.equal(await uploads(p), 0, 'the upload is gone');
    assert.equal((await p.ctx.db.selectFrom('media_upload_uses').select('message_id').where('upload_id', '=', photo.id).execute()).length, 0);
    const content = await p.app.inject({ method: 'GET', url: `/v1/media/${photo.id}/content`, headers: { authorization: p.authorization } });
    assert.equal(content.statusCode, 404);

    await p.start();
    // A generous bound: in a loaded CI run (test files side by side) the dispatcher's first pass once took over 10 s.
    await waitFor(async () => (await p.status(theirs.json().id)) === 'failed', 30_000, 'the other message failed');
    const failed = await p.ctx.db.selectFrom('messages').select(['error_code']).where('id', '=', theirs.json().id).executeTakeFirstOrThrow();
    assert.equal(failed.error_code, 'media_gone');
  });
});
