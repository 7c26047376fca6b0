import { randomBytes } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { newId } from '../shared/ids.js';
import { subscriptionCache } from './subscription-cache.js';

export interface Subscription {
  id: string;
  workspaceId: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

type Row = { id: string; workspace_id: string; url: string; event_types: string; description: string | null; enabled: number; created_at: number; updated_at: number };
const COLUMNS = ['id', 'workspace_id', 'url', 'event_types', 'description', 'enabled', 'created_at', 'updated_at'] as const;

const toSubscription = (r: Row): Subscription => ({
  id: r.id,
  workspaceId: r.workspace_id,
  url: r.url,
  eventTypes: JSON.parse(r.event_types) as string[],
  description: r.description,
  enabled: r.enabled === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** A new signing secret: 32 random bytes, recognisable by its prefix. */
export const generateSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

export async function createSubscription(
  db: Db,
  keyring: Keyring,
  input: { workspaceId: string; url: string; eventTypes: string[]; secret: string; description?: string | null; enabled?: boolean },
  now = Date.now(),
): Promise<Subscription> {
  const row = {
    id: newId('sub', now),
    workspace_id: input.workspaceId,
    url: input.url,
    event_types: JSON.stringify(input.eventTypes),
    secret: await keyring.encrypt(input.workspaceId, input.secret),
    description: input.description ?? null,
    enabled: input.enabled === false ? 0 : 1,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('event_subscriptions').values(row).execute();
  subscriptionCache.invalidate(input.workspaceId);
  return toSubscription(row);
}

export async function listSubscriptions(db: Db, workspaceId: string): Promise<Subscription[]> {
  const rows = await db.selectFrom('event_subscriptions').select(COLUMNS).where('workspace_id', '=', workspaceId).orderBy('created_at').execute();
  return rows.map(toSubscription);
}

export async function getSubscription(db: Db, workspaceId: string, id: string): Promise<Subscription | undefined> {
  const row = await db.selectFrom('event_subscriptions').select(COLUMNS).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row && toSubscription(row);
}

export async function updateSubscription(
  db: Db,
  keyring: Keyring,
  workspaceId: string,
  id: string,
  patch: { url?: string; eventTypes?: string[]; secret?: string; description?: string | null; enabled?: boolean },
  now = Date.now(),
): Promise<Subscription | undefined> {
  const set: Record<string, unknown> = { updated_at: now };
  if (patch.url !== undefined) set.url = patch.url;
  if (patch.eventTypes !== undefined) set.event_types = JSON.stringify(patch.eventTypes);
  if (patch.secret !== undefined) set.secret = await keyring.encrypt(workspaceId, patch.secret);
  if (patch.description !== undefined) set.description = patch.description;
  if (patch.enabled !== undefined) set.enabled = patch.enabled ? 1 : 0;
  const result = await db.updateTable('event_subscriptions').set(set).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  subscriptionCache.invalidate(workspaceId);
  if (Number(result.numUpdatedRows) === 0) return undefined;
  return getSubscription(db, workspaceId, id);
}

/** Deletes a subscription and its deliveries (pending ones would have nowhere to go). */
export async function deleteSubscription(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const found = await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('event_deliveries').where('workspace_id', '=', workspaceId).where('subscription_id', '=', id).execute();
    const result = await trx.deleteFrom('event_subscriptions').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  });
  subscriptionCache.invalidate(workspaceId);
  return found;
}
