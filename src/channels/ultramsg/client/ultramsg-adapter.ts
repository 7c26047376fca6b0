import type { Sender, SenderCredentials } from '../../sender.js';
import type { ListedMessage, ListedReceipt, OutboundRequest, ChannelAdapter, DownloadedMedia, MediaToDownload, SendLookup, SendOutcome, StoredDelivery } from '../../port.js';
import { PayloadError, type WebhookItem } from '../../webhook-items.js';
import { MediaDownloadError } from '../../read-bounded.js';
import { normalizeUltraMsgDelivery } from '../webhook/normalize.js';
import { parseUltraMsgBody } from '../webhook/parse-body.js';
import { downloadUltraMsgMedia } from '../webhook/media-client.js';
import { findUltraMsgSendOf } from '../find-send.js';
import { ultramsgMaxRate } from '../pacing.js';
import { ULTRAMSG_FAILED_STATES, ultramsgQueueStatus } from '../queue-status.js';
import { listUltraMsgMessages, readUltraMsgSendDelays } from './instance-reads.js';
import { findUltraMsgSend } from './messages-list.js';
import { ULTRAMSG_ACK_STATUS } from '../webhook/ack-map.js';
import { HttpPools, readJsonBody, splitBaseUrl } from '../../http-pools.js';
import { networkError } from '../../whatsapp-cloud/client/cloud-adapter.js';
import { UnsupportedByUltraMsg, ultramsgRequest } from './ultramsg-payload.js';
import { parseUltraMsgError } from './ultramsg-error.js';
import { UltraMsgInstanceClient } from './instance-client.js';
import { ULTRAMSG_CAPABILITIES } from '../capabilities.js';
import { ultraMsgSettingsOf } from '../settings.js';
import { classifyUltraMsgError, isUltraMsgOutage } from '../errors.js';
import { renderUltraMsgTemplate } from '../template-text.js';
import { ULTRAMSG_WEBHOOK_ROUTES } from '../webhook/routes.js';


/** UltraMsg over undici: form-encoded POST with the token in the body, as UltraMsg's own SDK does. */
export class UltraMsgAdapter implements ChannelAdapter {
  readonly provider = 'ultramsg' as const;
  readonly capabilities = ULTRAMSG_CAPABILITIES;
  readonly classifyError = classifyUltraMsgError;
  readonly isOutage = isUltraMsgOutage;
  readonly renderTemplate = renderUltraMsgTemplate;
  readonly webhookRoutes = ULTRAMSG_WEBHOOK_ROUTES;
  /** The instance's session: logged in or not, and its QR code. */
  readonly session: UltraMsgInstanceClient;
  readonly #pools: HttpPools;

  constructor(pools: HttpPools) {
    this.#pools = pools;
    this.session = new UltraMsgInstanceClient(pools);
  }

  /** UltraMsg's deliveries are authenticated by the route (the secret names the instance), so they carry their sender. */
  normalizeDelivery(delivery: StoredDelivery): WebhookItem[] {
    if (!delivery.senderId) throw new PayloadError('An UltraMsg delivery without its authenticated sender.');
    return normalizeUltraMsgDelivery(parseUltraMsgBody(delivery.body, delivery.headers['content-type']), delivery.senderId, delivery.receivedAt);
  }

  /** UltraMsg gives a direct URL to the file; no token is needed. */
  async downloadMedia(media: MediaToDownload): Promise<DownloadedMedia> {
    if (!media.url) throw new MediaDownloadError('No media URL was given.', true);
    return downloadUltraMsgMedia({ url: media.url, maxBytes: media.maxBytes, timeoutMs: media.timeoutMs });
  }

  async send(sender: Sender, credentials: SenderCredentials, request: OutboundRequest): Promise<SendOutcome> {
    let mapped;
    try {
      mapped = ultramsgRequest(request);
    } catch (error) {
      if (error instanceof UnsupportedByUltraMsg) return { ok: false, error: { code: 'ultramsg_unsupported', title: error.message } };
      throw error;
    }
    const { origin, prefix } = splitBaseUrl(sender.baseUrl);
    try {
      const response = await this.#pools.get(origin).request({
        method: 'POST',
        path: `${prefix}/${ultraMsgSettingsOf(sender).instanceId}/${mapped.endpoint}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: credentials.token ?? '', ...mapped.fields }).toString(),
      });
      const json = await readJsonBody(response.body);
      // UltraMsg may answer 200 with an error body: check the body, not only the status.
      const sent = json?.sent === true || json?.sent === 'true';
      if (response.statusCode < 300 && sent && json?.id !== undefined) return { ok: true, providerMessageId: String(json.id) };
      return { ok: false, error: parseUltraMsgError(response.statusCode, json) };
    } catch (error) {
      return { ok: false, error: networkError(error) };
    }
  }

  /** One message per `sendDelay` of the instance (its settings; UltraMsg's default 1 s when they cannot be read). */
  async maxRate(sender: Sender, credentials: SenderCredentials): Promise<number> {
    try {
      return ultramsgMaxRate((await readUltraMsgSendDelays(this.#pools, sender, credentials)).sendDelay);
    } catch {
      return ultramsgMaxRate(undefined);
    }
  }

  readonly initialMaxRate = ultramsgMaxRate(undefined);
  readonly givenUpStates = ULTRAMSG_FAILED_STATES;
  readonly listedStatus = ultramsgQueueStatus;

  listByState(sender: Sender, credentials: SenderCredentials, state: string, page: number): Promise<{ messages: ListedMessage[]; pages: number }> {
    return listUltraMsgMessages(this.#pools, sender, credentials, state, page);
  }

  /** Looks the send up in the instance's message list by the `referenceId` Parley gave it (`find-send.ts`). */
  findSend(sender: Sender, credentials: SenderCredentials, messageId: string): Promise<SendLookup> {
    return findUltraMsgSendOf(this.#pools, sender, credentials, messageId);
  }

  /** The send in the instance's message list by its `referenceId`, with its ack. */
  async lookupReceipt(sender: Sender, credentials: SenderCredentials, messageId: string): Promise<ListedReceipt | undefined> {
    const listed = await findUltraMsgSend(this.#pools, sender, credentials, messageId);
    if (!listed) return undefined;
    return {
      ...(listed.id !== undefined ? { providerMessageId: listed.id } : {}),
      ...(listed.waId !== undefined ? { altProviderMessageId: listed.waId } : {}),
      providerStatus: listed.ack ?? 'pending',
      ...(listed.ack && ULTRAMSG_ACK_STATUS[listed.ack] ? { status: ULTRAMSG_ACK_STATUS[listed.ack] } : {}),
    };
  }

  async close(): Promise<void> {}
}
