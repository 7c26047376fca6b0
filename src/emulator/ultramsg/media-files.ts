import type { FastifyInstance } from 'fastify';
import type { EmulatorCore } from '../core.js';
import type { UltraMsgInstance } from '../types.js';

/** Where the emulator serves received files. UltraMsg's are on a public file host; so is this path (no token). */
export const ULTRAMSG_FILES_PATH = '/_ultramsg-files/';

/** MIME type of a received file by UltraMsg message type, when the customer's message does not say. */
const MIME_BY_TYPE: Record<string, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/mpeg',
  ptt: 'audio/ogg; codecs=opus',
  document: 'application/pdf',
  sticker: 'image/webp',
};

export const isUltraMsgMediaType = (type: string) => type in MIME_BY_TYPE;

/**
 * Stores the file of a media message (received, or sent as base64) and returns the URL a webhook's `data.media` carries, which the
 * receiver downloads without authentication (as UltraMsg's file links are).
 */
export function storeUltraMsgFile(core: EmulatorCore, instance: UltraMsgInstance, input: { type: string; from: string; mediaBase64?: string; mimeType?: string; filename?: string }): string {
  const bytes = input.mediaBase64 ? Buffer.from(input.mediaBase64, 'base64') : Buffer.from(`emulated ${input.type} from ${input.from}`);
  const mimeType = input.mimeType ?? MIME_BY_TYPE[input.type] ?? 'application/octet-stream';
  const stored = core.state.media.put({ bytes, mimeType, filename: input.filename, phoneNumberId: instance.instanceId, at: core.clock.now() });
  const ext = mimeType.split('/')[1]?.split(';')[0] ?? 'bin';
  return `${core.baseUrl}${ULTRAMSG_FILES_PATH}${stored.id}.${ext}`;
}

/**
 * The media of a send as the instance keeps it: a link stays a link; a base64 file (bare, or as a `data:` URI,
 * which also carries the MIME type) is stored and replaced by its URL, so that the message list and the
 * `message_create`/`message_ack` webhooks carry a link and not up to 10,000,000 characters.
 */
export function sentMediaLink(core: EmulatorCore, instance: UltraMsgInstance, media: string, type: string): string {
  if (/^https?:\/\//i.test(media)) return media;
  const dataUri = /^data:([^;,]+)(?:;[^,]*)?,/.exec(media);
  return storeUltraMsgFile(core, instance, { type, from: instance.phone, mediaBase64: dataUri ? media.slice(dataUri[0].length) : media, mimeType: dataUri?.[1] });
}

export function registerUltraMsgFileRoute(app: FastifyInstance, core: EmulatorCore): void {
  app.get<{ Params: { file: string } }>(`${ULTRAMSG_FILES_PATH}:file`, async (request, reply) => {
    const media = core.state.media.get(request.params.file.split('.')[0]);
    // Only files received by an UltraMsg instance: Cloud API media stays behind its bearer token.
    if (!media || !core.instance(media.phoneNumberId)) return reply.status(404).send({ error: 'File not found' });
    return reply.header('content-type', media.mimeType).header('content-length', media.bytes.length).send(media.bytes);
  });
}
