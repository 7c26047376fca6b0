import type { Dispatcher } from 'undici';

/** A media download that cannot succeed by retrying (too large, gone at the provider). */
export class MediaDownloadError extends Error {
  override readonly name = 'MediaDownloadError';
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
  }
}

/** Reads a response body up to `maxBytes`, aborting (permanently) once it is larger. */
export async function readBounded(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      body.destroy();
      throw new MediaDownloadError(`The file is larger than PARLEY_MEDIA_MAX_BYTES (${maxBytes} bytes).`, true);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Turns a non-2xx answer into an error: 4xx will not change by retrying (expired media id, no access), 5xx may. */
export async function failOnStatus(response: Dispatcher.ResponseData, what: string): Promise<void> {
  if (response.statusCode >= 200 && response.statusCode < 300) return;
  const text = (await response.body.text().catch(() => '')).slice(0, 300);
  throw new MediaDownloadError(`${what} answered ${response.statusCode}: ${text}`, response.statusCode >= 400 && response.statusCode < 500 && response.statusCode !== 429);
}
