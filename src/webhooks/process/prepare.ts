import type { ParleyContext } from '../../runtime/context.js';
import { newId } from '../../shared/ids.js';
import { sealProviderId } from '../../messages/provider-ids.js';
import { quotedMessages } from '../../messages/provider-id-queries.js';
import { sealInboundWords } from '../../domain-events/sealed-words.js';
import { prepareWaIdRelink, resolveInboundContact } from '../contact-link.js';
import type { InboundItem, ProviderIdItem, SenderRoute, StatusItem } from '../../channels/webhook-items.js';
import type { WebhookServices } from '../services.js';
import type { RoutedSender } from '../sender-directory.js';
import { matchStatusMessages } from './match-status-messages.js';
import type { RowWork, WorkItem } from './work.js';

async function routeOf(services: WebhookServices, route: SenderRoute): Promise<RoutedSender | undefined> {
  return 'senderId' in route ? services.directory.byId(route.senderId) : services.directory.byPhoneNumberId(route.phoneNumberId);
}

const describeRoute = (route: SenderRoute) => ('senderId' in route ? `sender ${route.senderId}` : `phone_number_id ${route.phoneNumberId}`);

/**
 * Everything that needs no transaction: routing to the sender, contact resolution (which encrypts),
 * encryption of content, matching statuses to messages. Each item fails alone (its result is `error`).
 */
export async function prepareWork(ctx: ParleyContext, services: WebhookServices, rows: RowWork[]): Promise<void> {
  const now = ctx.clock.now();
  const contacts = new Map<string, Promise<{ id: string }>>();
  const contactFor = (workspaceId: string, waId: string, name: string | undefined) => {
    const key = `${workspaceId}:${waId}`;
    let found = contacts.get(key);
    if (!found) {
      found = resolveInboundContact(ctx.db, ctx.keyring, workspaceId, waId, name, now);
      contacts.set(key, found);
      // A failed lookup is that item's error; a later item may try again.
      found.catch(() => contacts.delete(key));
    }
    return found;
  };
  const statuses: WorkItem[] = [];

  for (const row of rows) {
    for (const work of row.items) {
      if (work.result) continue;
      const item = work.item;
      try {
        if (item.kind === 'inbound' || item.kind === 'status' || item.kind === 'provider_id' || item.kind === 'provider_error' || item.kind === 'user_preference') {
          work.sender = await routeOf(services, item.route);
          if (!work.sender) {
            // A provider error names a number Parley may not manage; it is still stored (sender unknown).
            if (item.kind !== 'provider_error') work.result = { result: 'unrouted', note: `no sender with ${describeRoute(item.route)}` };
            continue;
          }
        }
        if (item.kind === 'inbound') await prepareInbound(ctx, work, item, work.sender!, contactFor);
        else if (item.kind === 'status' || item.kind === 'provider_id') statuses.push(work);
        else if (item.kind === 'user_preference') work.contactId = (await contactFor(work.sender!.workspaceId, item.waId, undefined)).id;
        else if (item.kind === 'phone_quality') work.sender = await services.directory.byDisplayPhone(item.wabaId, item.displayPhone);
      } catch (error) {
        work.result = { result: 'error', note: (error as Error).message };
      }
    }
  }
  await matchStatuses(ctx, statuses);
  await resolveReplies(ctx, rows);
}

async function prepareInbound(
  ctx: ParleyContext,
  work: WorkItem,
  item: InboundItem,
  sender: RoutedSender,
  contactFor: (workspaceId: string, waId: string, name: string | undefined) => Promise<{ id: string }>,
): Promise<void> {
  const workspaceId = sender.workspaceId;
  const contactId = item.fromWaId ? (await contactFor(workspaceId, item.fromWaId, item.profileName)).id : null;
  const hasWords = item.text !== undefined || item.buttonPayload !== undefined;
  const [contentCipher, providerIdSealed, wordsSealed] = await Promise.all([
    ctx.keyring.encrypt(workspaceId, JSON.stringify(item.content)),
    sealProviderId(ctx.keyring, workspaceId, item.providerMessageId),
    hasWords && contactId ? sealInboundWords(ctx.keyring, workspaceId, { text: item.text, buttonPayload: item.buttonPayload }) : undefined,
  ]);
  work.inbound = {
    messageId: newId('msg', ctx.clock.now()),
    contactId,
    contentCipher,
    providerIdSealed,
    ...(wordsSealed ? { wordsSealed } : {}),
    replyToMessageId: null,
  };
  if (item.changedToWaId && contactId) {
    work.inbound.relink = { contactId, ...(await prepareWaIdRelink(ctx.keyring, workspaceId, item.changedToWaId)) };
  }
}

async function matchStatuses(ctx: ParleyContext, statuses: WorkItem[]): Promise<void> {
  if (!statuses.length) return;
  try {
    const matches = await matchStatusMessages(
      ctx.db,
      ctx.keyring,
      statuses.map((w) => ({ item: w.item as StatusItem | ProviderIdItem, workspaceId: w.sender!.workspaceId, hashes: [w.idHash!, ...(w.altHashes ?? [])], altIdHash: w.altIdHash })),
    );
    statuses.forEach((work, i) => (work.status = matches[i]));
    // A status that waits for its message is held sealed; sealing needs no transaction, so it is done here.
    // A created message's ids matching nothing are not held: a message sent from the phone has no send.
    await Promise.all(
      statuses.filter((w) => !w.status?.message && w.item.kind === 'status').map(async (w) => {
        w.status = { ...w.status, heldItem: await ctx.keyring.encrypt(w.sender!.workspaceId, JSON.stringify(w.item)) };
      }),
    );
  } catch (error) {
    for (const work of statuses) work.result = { result: 'error', note: (error as Error).message };
  }
}

/** Links replies and reactions to the Parley message they refer to, when Parley has it. */
async function resolveReplies(ctx: ParleyContext, rows: RowWork[]): Promise<void> {
  const wanted = rows.flatMap((r) => r.items).filter((w) => w.inbound && w.contextHash);
  if (!wanted.length) return;
  const hashes = [...new Set(wanted.map((w) => w.contextHash!))];
  // A reply quotes the message by the id the customer's side knows: UltraMsg's `quotedMsg.id` is the WhatsApp id.
  const found = await quotedMessages(ctx.db, hashes);
  for (const work of wanted) {
    const target = found.find((m) => (m.provider_id_hash === work.contextHash || m.provider_alt_id_hash === work.contextHash) && m.workspace_id === work.sender!.workspaceId);
    if (target) work.inbound!.replyToMessageId = target.id;
  }
}
