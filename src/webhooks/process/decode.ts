import type { ChannelRegistry } from '../../channels/registry.js';
import type { BodySeal } from '../body-seal.js';
import { itemKey, PayloadError, type WebhookItem } from '../../channels/webhook-items.js';
import type { ClaimedLogRow } from '../log/claim-log-rows.js';
import type { RowWork, WorkItem } from './work.js';
import { storable } from './storable.js';

function itemsOf(row: ClaimedLogRow, seal: BodySeal, channels: ChannelRegistry): WebhookItem[] {
  const body = seal.open(row.body);
  const adapter = channels.byProvider(row.provider);
  return adapter.normalizeDelivery({ body, headers: JSON.parse(row.headers) as Record<string, string>, senderId: row.sender_id, receivedAt: row.received_at });
}

/** An item as work, with the keyed hashes of the provider ids it names: one HMAC per id. */
function workOf(seq: number, item: WebhookItem, hash: (providerMessageId: string) => string): WorkItem {
  const work: WorkItem = {
    rowSeq: seq,
    item,
    key: '',
    result: item.kind === 'ignored' ? { result: 'ignored', note: item.reason } : item.kind === 'invalid' ? { result: 'invalid', note: item.reason } : undefined,
  };
  if (item.kind === 'inbound' || item.kind === 'status' || item.kind === 'provider_id') {
    const own = item.providerMessageId;
    const ownHash = hash(own);
    work.idHash = ownHash;
    if (item.kind !== 'inbound' && item.altProviderMessageIds?.length) work.altHashes = item.altProviderMessageIds.map(hash);
    if (item.kind !== 'inbound' && item.providerAltId) {
      // The second id is the item's own id or one of its alternatives: its hash is already computed.
      const at = item.altProviderMessageIds?.indexOf(item.providerAltId) ?? -1;
      work.altIdHash = item.providerAltId === own ? ownHash : at >= 0 ? work.altHashes![at] : hash(item.providerAltId);
    }
    if (item.kind === 'inbound' && item.contextProviderMessageId) work.contextHash = hash(item.contextProviderMessageId);
    work.key = itemKey(item, (id) => (id === own ? ownHash : hash(id)));
  } else {
    work.key = itemKey(item, hash);
  }
  return work;
}

/** A claimed log row as work: its normalized items, or the reason it cannot be read at all. */
export function decodeRow(row: ClaimedLogRow, seal: BodySeal, hash: (providerMessageId: string) => string, channels: ChannelRegistry): RowWork {
  const work: RowWork = { seq: row.seq, provider: row.provider, receivedAt: row.received_at, attempts: row.attempts, senderId: row.sender_id, items: [] };
  try {
    work.items = itemsOf(row, seal, channels).map(storable).map((item) => workOf(row.seq, item, hash));
  } catch (error) {
    work.fatal = error instanceof PayloadError ? error.message : `The delivery cannot be read: ${(error as Error).message}`;
  }
  return work;
}
