import type { Db } from '../../db/database.js';
import { inboundMessageRow } from '../../messages/message-row.js';
import { insertInboundMessages } from '../../messages/insert-messages.js';
import { recordInbound, type ServiceWindow } from '../../conversations/window-queries.js';
import { newId } from '../../shared/ids.js';
import { relinkWaId } from '../contact-link.js';
import type { InboundItem } from '../../channels/webhook-items.js';
import type { ApplyResults, WorkItem } from './work.js';

const CHUNK = 200;

/**
 * Stores inbound messages (direction `inbound`, status `received`, content and provider id encrypted).
 * The unique keyed hash of the provider message id decides what is new, so redeliveries and replays change nothing. New messages
 * open the sender × contact service window, queue media downloads, relink changed numbers and
 * publish the `message.inbound` domain event.
 */
export async function applyInbound(db: Db, works: WorkItem[], results: ApplyResults, now: number): Promise<void> {
  if (!works.length) return;
  const firstById = new Map<string, WorkItem>();
  for (const work of works) {
    const id = work.idHash!;
    if (firstById.has(id)) results.set(work, 'duplicate');
    else firstById.set(id, work);
  }
  const unique = [...firstById.values()];
  const inserted = new Set<string>();
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = unique.slice(i, i + CHUNK).map((work) => {
      const item = work.item as InboundItem;
      const prep = work.inbound!;
      return inboundMessageRow({
        id: prep.messageId,
        workspaceId: work.sender!.workspaceId,
        senderId: work.sender!.id,
        contactId: prep.contactId,
        type: item.type,
        content: prep.contentCipher,
        providerIdHash: work.idHash!,
        providerIdSealed: prep.providerIdSealed,
        provider: item.provider,
        at: item.at,
        replyTo: prep.replyToMessageId,
        now,
      });
    });
    for (const id of await insertInboundMessages(db, rows)) inserted.add(id);
  }

  const windows: ServiceWindow[] = [];
  const media: Array<Record<string, unknown>> = [];
  for (const work of unique) {
    const item = work.item as InboundItem;
    const prep = work.inbound!;
    if (!inserted.has(prep.messageId)) {
      results.set(work, 'duplicate');
      continue;
    }
    results.set(work, 'applied');
    const sender = work.sender!;
    if (item.opensWindow && prep.contactId) {
      windows.push({ senderId: sender.id, contactId: prep.contactId, lastInboundAt: item.at });
    }
    if (item.media && (item.media.providerMediaId || item.media.url)) {
      media.push({
        id: newId('med', now),
        workspace_id: sender.workspaceId,
        message_id: prep.messageId,
        sender_id: sender.id,
        provider: item.provider,
        provider_media_id: item.media.providerMediaId ?? null,
        source_url: item.media.url ?? null,
        mime_type: item.media.mimeType ?? null,
        sha256: item.media.sha256 ?? null,
        filename: item.media.filename ?? null,
        size: null,
        state: 'pending',
        next_attempt_at: now,
        error: null,
        data: null,
        created_at: now,
        updated_at: now,
      });
    }
    if (prep.relink) await relinkWaId(db, prep.relink.contactId, prep.relink, now);
    results.domainEvents.push({
      type: 'message.inbound',
      workspaceId: sender.workspaceId,
      senderId: sender.id,
      contactId: prep.contactId,
      messageId: prep.messageId,
      messageType: item.type,
      ...(item.text !== undefined ? { text: item.text } : {}),
      ...(item.buttonPayload !== undefined ? { buttonPayload: item.buttonPayload } : {}),
      content: item.content,
      replyTo: prep.replyToMessageId,
      ...(prep.wordsSealed ? { sealed: prep.wordsSealed } : {}),
      receivedAt: item.at,
    });
  }

  await recordInbound(db, windows);
  if (media.length) await db.insertInto('media').values(media as never).onConflict((oc) => oc.column('message_id').doNothing()).execute();
}
