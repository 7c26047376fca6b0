import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { Nullable, Timestamp } from '../http/schemas.js';
import { auditDiff } from '../access/audit-port.js';
import { mimeTypeOf } from '../shared/whatsapp-media.js';
import { checkBytes, checkDeclared, filenameOf } from './check-upload.js';
import { readUploadFile, storeUpload } from './upload-store.js';

const UploadView = Type.Object({
  id: Type.String({ description: 'The upload\'s id (`med_…`): send it as `mediaId` in an image, document, audio, video or sticker payload.' }),
  mimeType: Type.String(),
  size: Type.Integer({ minimum: 1, maximum: 104857600, description: 'Bytes.' }),
  sha256: Type.String({ description: 'Hex SHA-256 of the file.' }),
  filename: Nullable(Type.String()),
  createdAt: Timestamp(),
});

const security = [{ apiKey: [] }];
const tags = ['media'];

/**
 * Uploads for outbound messages (decision 0028): `POST /v1/media` takes the file as the request body
 * (raw bytes: a buffer parser in this scope only, as the provider webhooks have), checks its type
 * against Meta's media table and its first bytes against the type's signature, and stores it
 * encrypted. `GET /v1/media/{id}/content` gives the file back (the console shows a sent image with it).
 */
export async function uploadRoutes(app: ParleyApp, ctx: ParleyContext) {
  const cap = ctx.config.mediaUploadMaxBytes;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: cap }, (_request, body, done) => done(null, body));

  /** The declared type, length and name, checked before the body is read (a file too large is refused before it is received). */
  const declared = (request: FastifyRequest) => {
    const length = request.headers['content-length'] === undefined ? undefined : Number(request.headers['content-length']);
    const disposition = request.headers['content-disposition'];
    return {
      mimeType: mimeTypeOf(request.headers['content-type']),
      length: Number.isFinite(length) ? length : undefined,
      filename: filenameOf((request.query as { filename?: string } | undefined)?.filename, typeof disposition === 'string' ? disposition : undefined),
    };
  };

  app.post('/v1/media', {
    bodyLimit: cap,
    config: { permission: 'media.upload', audit: 'media.uploaded' },
    schema: {
      tags,
      summary: 'Upload a file to send in messages: the body is the file\'s bytes, Content-Type its MIME type.',
      description:
        'The file name comes from `?filename=` or Content-Disposition (`attachment; filename="invoice.pdf"`). ' +
        'Types and sizes follow Meta\'s media table (JPEG and PNG images up to 5 MB, MP4 and 3GPP video and AAC, AMR, MP3, MP4 and OGG audio up to 16 MB, PDF, text and Office documents up to 100 MB, WEBP stickers up to 500 KB), ' +
        'each capped at PARLEY_MEDIA_UPLOAD_MAX_BYTES: 413 MEDIA_TOO_LARGE above it, 415 MEDIA_TYPE_UNSUPPORTED for another type, 400 MEDIA_CONTENT_MISMATCH when the bytes are not of the declared type, 400 MEDIA_EMPTY without a body. ' +
        'Send the answer\'s `id` as `mediaId` (`{"type": "image", "image": {"mediaId": "med_…", "caption": "…"}}`); an upload no message names within 24 hours is deleted.',
      security,
      querystring: Type.Object({ filename: Type.Optional(Type.String({ minLength: 1, maxLength: 240, description: 'The file\'s name, shown to the customer for documents.' })) }),
      response: { 201: UploadView },
    },
    // After authentication (the app's onRequest), before the body is read.
    preParsing: async (request, _reply, payload) => {
      checkDeclared(declared(request), cap);
      return payload;
    },
  }, async (request, reply) => {
    const given = declared(request);
    const spec = checkDeclared(given, cap);
    const body = request.body;
    checkBytes(given.mimeType, spec, Buffer.isBuffer(body) ? body : Buffer.alloc(0), cap);
    const principal = request.principal!;
    const upload = await storeUpload(ctx.db, ctx.keyring, { workspaceId: principal.workspaceId, mimeType: given.mimeType, bytes: body as Buffer, filename: given.filename, actor: principal.actor, now: ctx.clock.now() });
    const resource = { type: 'media', id: upload.id };
    request.audit({ id: upload.id, diff: auditDiff(resource, undefined, { mimeType: upload.mimeType, size: upload.size, sha256: upload.sha256, filename: upload.filename !== null }, ['filename']) });
    return reply.status(201).send(upload);
  });

  app.get('/v1/media/:id/content', {
    config: { permission: 'messages.read_content', audit: 'media.read_content' },
    schema: {
      tags,
      summary: 'The file of an upload, with its MIME type.',
      security,
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
      produces: ['application/octet-stream'],
      response: { 200: Type.Unknown({ description: 'The file\'s bytes.' }) },
    },
  }, async (request, reply) => {
    const file = await readUploadFile(ctx.db, ctx.keyring, request.principal!.workspaceId, request.params.id);
    if (!file) throw new ParleyError('MEDIA_NOT_FOUND');
    const name = file.upload.filename ?? `${file.upload.id}`;
    return reply
      .header('content-type', file.upload.mimeType)
      .header('content-length', file.bytes.length)
      .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(name)}`)
      .header('cache-control', 'private, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .send(file.bytes);
  });
}
