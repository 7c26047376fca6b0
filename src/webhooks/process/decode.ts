import { normaliseCloudDelivery } from '../../providers/whatsapp-cloud/webhook/normalise.js';
import { normaliseUltraMsgDelivery } from '../../providers/ultramsg/webhook/normalise.js';
import { parseUltraMsgBody } from '../../providers/ultramsg/webhook/parse-body.js';
import type { BodySeal } from '../body-seal.js';
import { itemKey, PayloadError, type WebhookItem } from '../items.js';
import type { ClaimedLogRow } from '../log/claim-log-rows.js';
import type { RowWork } from './work.js';
import { storable } from './storable.js';

function itemsOf(row: ClaimedLogRow, seal: BodySeal): WebhookItem[] {
  const body = seal.open(row.body);
  if (row.provider === 'cloud') return normaliseCloudDelivery(body, row.received_at);
  const headers = JSON.parse(row.headers) as Record<string, string>;
  if (!row.sender_id) throw new PayloadError('An UltraMsg delivery without its authenticated sender.');
  return normaliseUltraMsgDelivery(parseUltraMsgBody(body, headers['content-type']), row.sender_id, row.received_at);
}

/** A claimed log row as work: its normalised items, or the reason it cannot be read at all. */
export function decodeRow(row: ClaimedLogRow, seal: BodySeal): RowWork {
  const work: RowWork = { seq: row.seq, provider: row.provider, receivedAt: row.received_at, attempts: row.attempts, senderId: row.sender_id, items: [] };
  try {
    work.items = itemsOf(row, seal).map(storable).map((item) => ({
      rowSeq: row.seq,
      item,
      key: itemKey(item),
      result: item.kind === 'ignored' ? { result: 'ignored', note: item.reason } : item.kind === 'invalid' ? { result: 'invalid', note: item.reason } : undefined,
    }));
  } catch (error) {
    work.fatal = error instanceof PayloadError ? error.message : `The delivery cannot be read: ${(error as Error).message}`;
  }
  return work;
}
