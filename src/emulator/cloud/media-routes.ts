import type { FastifyInstance } from 'fastify';
import type { EmulatorCore } from '../core.js';
import { checkToken, graph, graphPaths } from './auth.js';
import { MetaError, unknownObject } from './errors.js';
import type { StoredMedia } from './media-store.js';
/** Meta's supported media and their limits: the one table Parley's uploads check too. */
import { MEDIA_LIMITS } from '../../shared/whatsapp-media.js';

const MB = 1024 * 1024;

export const DOWNLOAD_PATH = '/whatsapp_business/attachments/';

/** The metadata answer of `GET /{media_id}`; the URL is bearer-protected like Meta's. */
export function mediaResource(core: EmulatorCore, media: StoredMedia) {
  const ext = media.mimeType.split('/')[1]?.split(';')[0] ?? 'bin';
  return {
    messaging_product: 'whatsapp',
    url: `${core.baseUrl}${DOWNLOAD_PATH}?mid=${media.id}&ext=${ext}&hash=${media.sha256.slice(0, 16)}`,
    mime_type: media.mimeType,
    sha256: media.sha256,
    file_size: media.bytes.length,
    id: media.id,
  };
}

/** Media upload (multipart), download (bearer) and delete. Metadata is served by the object route. */
export function registerMediaRoutes(app: FastifyInstance, core: EmulatorCore): void {
  for (const url of graphPaths('/:phoneNumberId/media')) app.post<{ Params: { phoneNumberId: string } }>(url, { bodyLimit: 101 * MB }, (request, reply) =>
    graph(reply, async () => {
      checkToken(core, request);
      if (!core.number(request.params.phoneNumberId)) throw unknownObject(request.params.phoneNumberId, 'POST');
      const contentType = request.headers['content-type'] ?? '';
      if (!contentType.startsWith('multipart/form-data') || !Buffer.isBuffer(request.body)) throw new MetaError(100, 'The request must be multipart/form-data with fields messaging_product, type and file.');
      let form: FormData;
      try {
        form = await new Response(request.body, { headers: { 'content-type': contentType } }).formData();
      } catch {
        throw new MetaError(100, 'The multipart body could not be parsed.');
      }
      if (form.get('messaging_product') !== 'whatsapp') throw new MetaError(100, 'The parameter messaging_product is required and must be "whatsapp".');
      const file = form.get('file');
      if (!(file instanceof Blob)) throw new MetaError(131008, 'The parameter file is required.');
      const type = String(form.get('type') ?? file.type ?? '').split(';')[0].trim();
      const limit = MEDIA_LIMITS[type];
      if (!limit) throw new MetaError(131053, `Param type "${type}" is not a supported media type.`);
      if (file.size > limit) throw new MetaError(131053, `The file is ${file.size} bytes; ${type} media may be at most ${limit} bytes.`);
      const stored = core.state.media.put({
        bytes: Buffer.from(await file.arrayBuffer()),
        mimeType: type,
        filename: (file as File).name,
        phoneNumberId: request.params.phoneNumberId,
        at: core.clock.now(),
      });
      return { id: stored.id };
    }),
  );

  app.get<{ Querystring: { mid?: string } }>(DOWNLOAD_PATH, (request, reply) =>
    graph(reply, () => {
      checkToken(core, request);
      const media = request.query.mid ? core.state.media.get(request.query.mid) : undefined;
      if (!media) return reply.status(404).send({ error: { message: 'Media not found or expired', type: 'OAuthException', code: 100 } });
      return reply.header('content-type', media.mimeType).header('content-length', media.bytes.length).send(media.bytes);
    }),
  );
}
