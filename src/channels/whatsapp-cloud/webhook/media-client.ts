import { request } from 'undici';
import { failOnStatus, MediaDownloadError, readBounded } from '../../read-bounded.js';
import type { DownloadedMedia } from '../../port.js';

export interface CloudMediaInput {
  baseUrl: string;
  graphVersion: string;
  mediaId: string;
  accessToken: string;
  maxBytes: number;
  timeoutMs: number;
}

/**
 * Downloads an inbound Cloud API media file: `GET {base}/{version}/{media_id}` with the sender's
 * token gives a short-lived URL, which is downloaded with the same token.
 */
export async function downloadCloudMedia(input: CloudMediaInput): Promise<DownloadedMedia> {
  const headers = { authorization: `Bearer ${input.accessToken}` };
  const timeouts = { headersTimeout: input.timeoutMs, bodyTimeout: input.timeoutMs };
  const metaUrl = `${input.baseUrl.replace(/\/$/, '')}/${input.graphVersion}/${encodeURIComponent(input.mediaId)}`;
  const meta = await request(metaUrl, { method: 'GET', headers, ...timeouts });
  await failOnStatus(meta, 'The media API');
  const info = (await meta.body.json()) as { url?: unknown; mime_type?: unknown; sha256?: unknown; file_size?: unknown };
  if (typeof info.url !== 'string') throw new MediaDownloadError('The media API answered without a url.', false);
  if (typeof info.file_size === 'number' && info.file_size > input.maxBytes) {
    throw new MediaDownloadError(`The file (${info.file_size} bytes) is larger than PARLEY_MEDIA_MAX_BYTES (${input.maxBytes} bytes).`, true);
  }
  const file = await request(info.url, { method: 'GET', headers, ...timeouts });
  await failOnStatus(file, 'The media download');
  return {
    bytes: await readBounded(file.body, input.maxBytes),
    mimeType: typeof info.mime_type === 'string' ? info.mime_type : undefined,
    sha256: typeof info.sha256 === 'string' ? info.sha256 : undefined,
  };
}
