import type { Sender, SenderCredentials } from '../sender.js';
import type { HttpPools } from '../http-pools.js';
import type { SendLookup } from '../port.js';
import { findUltraMsgSend, type ListedSend } from './client/messages-list.js';
import { ultramsgQueueStatus } from './queue-status.js';

/**
 * What the list entry of a send says, as crash recovery records it. Pure. The queue state maps as the
 * queue watch maps it (decision 0008, `queue-status.ts`): `queue` says only that UltraMsg has it
 * (`accepted`), `sent` goes by its ack, `invalid`/`unsent`/`expired` end the message. An entry without
 * a queue state (not in UltraMsg's documented shape) goes by its ack, as the receipt reconciler reads it.
 */
export function sendLookupOf(listed: ListedSend | undefined): SendLookup {
  if (!listed) return { found: false };
  const status = ultramsgQueueStatus(listed.status || (listed.ack ? 'sent' : 'queue'), listed.ack);
  return {
    found: true,
    ...(listed.id ?? listed.waId ? { providerMessageId: listed.id ?? listed.waId } : {}),
    ...(listed.waId && listed.waId !== (listed.id ?? listed.waId) ? { altProviderMessageId: listed.waId } : {}),
    ...(status ? { status } : {}),
    evidence: `UltraMsg's message list has it by referenceId (status "${listed.status ?? ''}", ack "${listed.ack ?? ''}")`,
  };
}

/**
 * Did the instance get Parley's message `messageId`? Looks it up in the instance's message list by the
 * `referenceId` Parley sends with every message. Throws when the list cannot be read (network, an
 * error answer): then nobody knows, and the caller asks again later.
 */
export async function findUltraMsgSendOf(pools: HttpPools, sender: Sender, credentials: SenderCredentials, messageId: string): Promise<SendLookup> {
  return sendLookupOf(await findUltraMsgSend(pools, sender, credentials, messageId));
}
