import { request } from 'undici';
import { SECOND } from '../../../shared/time.js';
import type { ReadReceiptOutcome } from '../../port.js';

const TIMEOUT = 10 * SECOND;

export interface MarkReadInput {
  /** `https://graph.facebook.com`, or the emulator's URL. */
  baseUrl: string;
  graphVersion: string;
  phoneNumberId: string;
  accessToken: string;
  /** The provider's id of the inbound message (`wamid.…`). */
  providerMessageId: string;
  typingIndicator?: { type: 'text' };
}

/** The provider's answer: Graph's JSON body and status, or why there was none. */
export type MarkReadOutcome = ReadReceiptOutcome;

/**
 * Meta's mark-as-read (`POST /{phone_number_id}/messages` with `status: "read"`, optionally showing the
 * typing indicator): the customer sees blue ticks on this message and the earlier ones. One call, not
 * retried: a read receipt is cheap to send again and the caller decides.
 */
export async function markReadAtProvider(input: MarkReadInput): Promise<MarkReadOutcome> {
  const base = input.baseUrl.replace(/\/+$/, '');
  const url = `${base}/${input.graphVersion}/${encodeURIComponent(input.phoneNumberId)}/messages`;
  const body = { messaging_product: 'whatsapp', status: 'read', message_id: input.providerMessageId, ...(input.typingIndicator ? { typing_indicator: input.typingIndicator } : {}) };
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${input.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      headersTimeout: TIMEOUT,
      bodyTimeout: TIMEOUT,
    });
    const text = await response.body.text();
    try {
      return { kind: 'answer', status: response.statusCode, body: JSON.parse(text) };
    } catch {
      return { kind: 'unreachable', reason: `HTTP ${response.statusCode} with a body that is not JSON` };
    }
  } catch (error) {
    return { kind: 'unreachable', reason: (error as Error).message };
  }
}
