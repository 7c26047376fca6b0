import { request } from 'undici';
import { failOnStatus, readBounded } from '../../read-bounded.js';

/** Downloads an UltraMsg media file from the URL its webhook carried (no authentication is needed). */
export async function downloadUltraMsgMedia(input: { url: string; maxBytes: number; timeoutMs: number }): Promise<{ bytes: Buffer; mimeType?: string }> {
  const response = await request(input.url, { method: 'GET', headersTimeout: input.timeoutMs, bodyTimeout: input.timeoutMs });
  await failOnStatus(response, 'The media download');
  const type = response.headers['content-type'];
  return { bytes: await readBounded(response.body, input.maxBytes), mimeType: typeof type === 'string' ? type.split(';')[0] : undefined };
}
