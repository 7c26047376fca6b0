import type { Db } from '../../db/database.js';
import type { StatusItem } from '../items.js';
import type { MatchedMessage, StatusPrep } from './work.js';

const CHUNK = 500;

async function byColumn(db: Db, column: 'provider_message_id' | 'id', values: string[]): Promise<MatchedMessage[]> {
  const out: MatchedMessage[] = [];
  for (let i = 0; i < values.length; i += CHUNK) {
    const rows = await db
      .selectFrom('messages')
      .select(['id', 'workspace_id', 'sender_id', 'contact_id', 'provider_message_id'])
      .where(column, 'in', values.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) out.push({ id: r.id, workspaceId: r.workspace_id, senderId: r.sender_id, contactId: r.contact_id, providerMessageId: r.provider_message_id });
  }
  return out;
}

/**
 * Finds the message each status is about: by the provider's id, else by Parley's id echoed back
 * (`biz_opaque_callback_data`, UltraMsg `referenceId`), only within the sender's workspace. A
 * message found by Parley's id without a provider id gets the status's provider id stored.
 */
export async function matchStatusMessages(db: Db, statuses: Array<{ item: StatusItem; workspaceId: string }>): Promise<StatusPrep[]> {
  const providerIds = [...new Set(statuses.flatMap(({ item }) => [item.providerMessageId, ...(item.altProviderMessageIds ?? [])]))];
  const byProviderId = new Map<string, MatchedMessage>();
  for (const m of await byColumn(db, 'provider_message_id', providerIds)) byProviderId.set(m.providerMessageId!, m);
  const unmatchedParleyIds = [
    ...new Set(
      statuses
        .filter(({ item }) => ![item.providerMessageId, ...(item.altProviderMessageIds ?? [])].some((id) => byProviderId.has(id)) && item.parleyMessageId)
        .map(({ item }) => item.parleyMessageId!),
    ),
  ];
  const byParleyId = new Map<string, MatchedMessage>();
  if (unmatchedParleyIds.length) for (const m of await byColumn(db, 'id', unmatchedParleyIds)) byParleyId.set(m.id, m);

  return statuses.map(({ item, workspaceId }) => {
    const direct = [item.providerMessageId, ...(item.altProviderMessageIds ?? [])].map((id) => byProviderId.get(id)).find((m) => m && m.workspaceId === workspaceId);
    if (direct) return { message: direct };
    const echoed = item.parleyMessageId ? byParleyId.get(item.parleyMessageId) : undefined;
    if (echoed && echoed.workspaceId === workspaceId) return { message: echoed, setProviderId: echoed.providerMessageId === null ? item.providerMessageId : undefined };
    return {};
  });
}
