import { errors as undiciErrors } from 'undici';
import type { Sender, SenderCredentials } from '../../sender.js';
import type { OutboundMedia, OutboundRequest, ChannelAdapter, DownloadedMedia, MediaToDownload, ProviderError, ReadReceipt, ReadReceiptOutcome, SendOutcome, StoredDelivery } from '../../port.js';
import type { WebhookItem } from '../../webhook-items.js';
import { MediaDownloadError } from '../../read-bounded.js';
import { normalizeCloudDelivery } from '../webhook/normalize.js';
import { downloadCloudMedia } from '../webhook/media-client.js';
import { HttpPools, readJsonBody, splitBaseUrl } from '../../http-pools.js';
import { cloudMessageBody } from './cloud-payload.js';
import { cloudMediaUploadBody, payloadWithMediaId } from './media-upload.js';
import { markReadAtProvider } from './mark-read.js';
import { CloudTemplates } from '../templates/template-client.js';
import { CLOUD_CAPABILITIES } from '../capabilities.js';
import { cloudSettingsOf } from '../settings.js';
import { classifyCloudError, isCloudOutage } from '../errors.js';
import { CLOUD_WEBHOOK_ROUTES } from '../webhook/routes.js';

/** Reads Meta's error envelope `{ error: { code, message, error_data: { details }, fbtrace_id } }`. */
export function parseCloudError(status: number, body: unknown): ProviderError {
  const error = (body as { error?: Record<string, any> } | undefined)?.error;
  if (error && (typeof error.code === 'number' || typeof error.code === 'string')) {
    return {
      code: String(error.code),
      title: String(error.message ?? error.error_user_title ?? 'error'),
      details: error.error_data?.details ?? error.error_user_msg,
      httpStatus: status,
      fbtraceId: error.fbtrace_id,
    };
  }
  return { code: `http_${status}`, title: `HTTP ${status} without a Graph error body`, httpStatus: status };
}

export function networkError(error: unknown): ProviderError {
  const timeout = error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError || error instanceof undiciErrors.ConnectTimeoutError;
  return { code: timeout ? 'timeout' : 'network', title: (error as Error).message ?? String(error) };
}

/** Meta's WhatsApp Cloud API over undici keep-alive pools. */
export class CloudAdapter implements ChannelAdapter {
  readonly provider = 'cloud' as const;
  readonly capabilities = CLOUD_CAPABILITIES;
  readonly classifyError = classifyCloudError;
  readonly isOutage = isCloudOutage;
  readonly webhookRoutes = CLOUD_WEBHOOK_ROUTES;
  /** Template management through the Graph API (`templates/`). */
  readonly templates: CloudTemplates;
  readonly #pools: HttpPools;
  readonly #defaultVersion: string;

  constructor(pools: HttpPools, defaultGraphVersion: string) {
    this.#pools = pools;
    this.#defaultVersion = defaultGraphVersion;
    this.templates = new CloudTemplates(defaultGraphVersion);
  }

  normalizeDelivery(delivery: StoredDelivery): WebhookItem[] {
    return normalizeCloudDelivery(delivery.body, delivery.receivedAt);
  }

  /** `GET /{version}/{media_id}` with the sender's token, then the URL it answers, with the same token. */
  async downloadMedia(media: MediaToDownload): Promise<DownloadedMedia> {
    const { sender, credentials } = await media.sender();
    if (!media.providerMediaId) throw new MediaDownloadError('No media id was given.', true);
    if (!credentials.accessToken) throw new MediaDownloadError('The sender has no access token.', true);
    return downloadCloudMedia({ baseUrl: sender.baseUrl, graphVersion: cloudSettingsOf(sender).graphVersion ?? this.#defaultVersion, mediaId: media.providerMediaId, accessToken: credentials.accessToken, maxBytes: media.maxBytes, timeoutMs: media.timeoutMs });
  }

  /** Meta's mark-as-read (`markReadAtProvider`), with the sender's phone number id and token. */
  markRead(sender: Sender, credentials: SenderCredentials, receipt: ReadReceipt): Promise<ReadReceiptOutcome> {
    return markReadAtProvider({
      baseUrl: sender.baseUrl,
      graphVersion: cloudSettingsOf(sender).graphVersion ?? this.#defaultVersion,
      phoneNumberId: cloudSettingsOf(sender).phoneNumberId ?? '',
      accessToken: credentials.accessToken ?? '',
      providerMessageId: receipt.providerMessageId,
      ...(receipt.typingIndicator ? { typingIndicator: receipt.typingIndicator } : {}),
    });
  }

  /**
   * Sends one message. A message with a Parley upload (`request.media`) names the file by the media id
   * uploaded for this sender before; without one, the file is uploaded first (`uploadMedia`) and its
   * id returned as `uploadedMediaId`, which the dispatcher keeps. An upload's error is the send's error,
   * classified by Meta's code like any other (131053: retried once).
   */
  async send(sender: Sender, credentials: SenderCredentials, request: OutboundRequest): Promise<SendOutcome> {
    let uploadedMediaId: string | undefined;
    if (request.media) {
      let mediaId = request.media.providerMediaId;
      if (!mediaId) {
        const uploaded = await this.uploadMedia(sender, credentials, request.media);
        if (!uploaded.ok) return uploaded;
        mediaId = uploadedMediaId = uploaded.mediaId;
      }
      request = { ...request, payload: payloadWithMediaId(request, mediaId) };
    }
    const sent = await this.#postMessage(sender, credentials, request);
    return uploadedMediaId ? { ...sent, uploadedMediaId } : sent;
  }

  /** `POST /{version}/{phone_number_id}/media` (multipart) with the sender's token: Meta's media id, or its error. */
  async uploadMedia(sender: Sender, credentials: SenderCredentials, media: OutboundMedia): Promise<{ ok: true; mediaId: string } | { ok: false; error: ProviderError }> {
    const { origin, prefix } = splitBaseUrl(sender.baseUrl);
    const settings = cloudSettingsOf(sender);
    try {
      const { body, contentType } = await cloudMediaUploadBody(media);
      const response = await this.#pools.get(origin).request({
        method: 'POST',
        path: `${prefix}/${settings.graphVersion ?? this.#defaultVersion}/${settings.phoneNumberId}/media`,
        headers: { authorization: `Bearer ${credentials.accessToken ?? ''}`, 'content-type': contentType },
        body,
      });
      const json = await readJsonBody(response.body);
      if (response.statusCode >= 200 && response.statusCode < 300) {
        if (typeof json?.id === 'string') return { ok: true, mediaId: json.id };
        return { ok: false, error: { code: 'malformed_response', title: 'The provider answered the media upload 2xx without an id', httpStatus: response.statusCode } };
      }
      return { ok: false, error: parseCloudError(response.statusCode, json) };
    } catch (error) {
      return { ok: false, error: networkError(error) };
    }
  }

  async #postMessage(sender: Sender, credentials: SenderCredentials, request: OutboundRequest): Promise<SendOutcome> {
    const { origin, prefix } = splitBaseUrl(sender.baseUrl);
    const settings = cloudSettingsOf(sender);
    const path = `${prefix}/${settings.graphVersion ?? this.#defaultVersion}/${settings.phoneNumberId}/messages`;
    try {
      const response = await this.#pools.get(origin).request({
        method: 'POST',
        path,
        headers: { authorization: `Bearer ${credentials.accessToken ?? ''}`, 'content-type': 'application/json' },
        body: JSON.stringify(cloudMessageBody(request)),
      });
      const json = await readJsonBody(response.body);
      if (response.statusCode >= 200 && response.statusCode < 300) {
        const id = json?.messages?.[0]?.id;
        if (typeof id === 'string') return { ok: true, providerMessageId: id };
        return { ok: false, error: { code: 'malformed_response', title: 'The provider answered 2xx without messages[0].id', httpStatus: response.statusCode } };
      }
      return { ok: false, error: parseCloudError(response.statusCode, json) };
    } catch (error) {
      return { ok: false, error: networkError(error) };
    }
  }

  async close(): Promise<void> {}
}
