import type { MessageStatus } from '../../messages/status.js';
import type { ProviderError } from '../webhook-items.js';
import { ULTRAMSG_ACK_STATUS } from './webhook/ack-map.js';

/**
 * UltraMsg's queue states (`status` in `GET /{instance}/messages`) as Parley statuses. UltraMsg's own
 * words (its blog on queue management): Sent; Queue (waiting in the instance); Unsent ("usually a content
 * error", also what `messages/clear` leaves); Invalid (a wrong number, or not on WhatsApp); Expired (not
 * sent from the queue within 24 hours). Pure.
 *
 * - queue: nothing to report; Parley's message stays `accepted` (UltraMsg has it).
 * - sent: its ack says how far it got (`pending` → nothing new, `server` → sent, `device` → delivered,
 *   `read`/`played` → read); without an ack, `sent`.
 * - invalid: `failed`, code `ultramsg_number_invalid`, permanent like Meta's 131026: no other WhatsApp
 *   sender would reach the number either.
 * - unsent: `failed`, code `ultramsg_unsent`, permanent: resending the same content fails the same way.
 * - expired: `expired`, code `ultramsg_expired`: the instance never sent it within 24 hours (logged out,
 *   phone offline, a queue too long). Parley's own rule for a message not sent in time applies: it is
 *   never sent late, not retried, and a dead letter lists it.
 */
export type UltraMsgQueueState = 'queue' | 'sent' | 'unsent' | 'invalid' | 'expired';

export interface QueueStatus {
  status: MessageStatus;
  /** The receipt key: the ack for a sent message, else the queue state. */
  providerStatus: string;
  errors: ProviderError[];
}

export const ULTRAMSG_QUEUE_ERRORS = {
  invalid: { code: 'ultramsg_number_invalid', title: 'UltraMsg marked the message invalid: the number is wrong or not on WhatsApp.' },
  unsent: { code: 'ultramsg_unsent', title: 'UltraMsg could not send the message (unsent: usually a content error, or the queue was cleared).' },
  expired: { code: 'ultramsg_expired', title: 'UltraMsg did not send the message from its queue within 24 hours (expired).' },
} as const;

/** The states that end a message without it reaching WhatsApp. */
export const ULTRAMSG_FAILED_STATES = ['invalid', 'unsent', 'expired'] as const;

export function ultramsgQueueStatus(state: string, ack: string | null | undefined): QueueStatus | undefined {
  switch (state) {
    case 'sent': {
      if (!ack) return { status: 'sent', providerStatus: 'server', errors: [] };
      const status = ULTRAMSG_ACK_STATUS[ack];
      // `pending` (queued) is behind what Parley already knows (`accepted`): nothing to report.
      if (!status || status === 'queued') return undefined;
      return { status, providerStatus: ack, errors: [] };
    }
    case 'invalid':
    case 'unsent':
      return { status: 'failed', providerStatus: state, errors: [{ ...ULTRAMSG_QUEUE_ERRORS[state] }] };
    case 'expired':
      return { status: 'expired', providerStatus: state, errors: [{ ...ULTRAMSG_QUEUE_ERRORS.expired }] };
    default:
      return undefined;
  }
}
