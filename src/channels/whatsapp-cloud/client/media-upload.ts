import type { OutboundMedia, OutboundRequest } from '../../port.js';

/**
 * Meta's media upload, `POST /{version}/{phone_number_id}/media`: multipart/form-data with
 * `messaging_product=whatsapp`, `type` (the MIME type) and `file` (protocol notes, "Uploading").
 * The body is encoded by the platform's own FormData encoder (WHATWG fetch), so the boundary and the
 * parts' headers are what every HTTP client sends. Returns the body and its Content-Type.
 */
export async function cloudMediaUploadBody(media: OutboundMedia): Promise<{ body: Buffer; contentType: string }> {
  const form = new FormData();
  form.set('messaging_product', 'whatsapp');
  form.set('type', media.mimeType);
  form.set('file', new Blob([new Uint8Array(media.bytes)], { type: media.mimeType }), media.filename ?? `file.${media.mimeType.split('/')[1] ?? 'bin'}`);
  const encoded = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type')! };
}

/**
 * The payload of a media message once its Parley upload is at Meta: `{ id }` in place of `mediaId`
 * (Meta takes exactly one of `id` and `link`), a document's file name from the upload unless given. Pure.
 */
export function payloadWithMediaId(request: OutboundRequest, providerMediaId: string): Record<string, unknown> {
  const { mediaId: _parleyId, ...rest } = request.payload;
  const payload: Record<string, unknown> = { id: providerMediaId, ...rest };
  if (request.type === 'document' && payload.filename === undefined && request.media?.filename) payload.filename = request.media.filename;
  return payload;
}
