import type { Db } from '../db/database.js';
import type { Keyring } from '../crypto/keyring.js';
import { newId } from '../shared/ids.js';
import type { Selectable } from 'kysely';
import { isUniqueViolation } from '../db/errors.js';
import { ParleyError } from '../errors/parley-error.js';
import { InvalidSenderSettings, changeSenderSettings, parseSenderSettings, senderNumberId, senderNumberKey, senderRulesOf, senderSettingsFrom, type ProviderSettings, type SenderSettingsFields } from '../channels/sender-identity.js';
import type { SendersTable } from './tables.js';

import type { ProviderName } from '../channels/provider-name.js';

export type { ProviderName };

// What a sender is to the channels (its common fields, its provider's settings, its credentials) is
// declared by the channel port; this module stores senders and serves their API.
export type { Sender, SenderCommon, SenderCredentials } from '../channels/sender.js';
import type { Sender, SenderCredentials } from '../channels/sender.js';

/** A stored row as a `Sender`, its settings read and checked against the provider's schema here, once. */
export const toSender = (row: Omit<Selectable<SendersTable>, 'number_key'>): Sender => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  ...parseSenderSettings(row.provider, JSON.parse(row.settings)),
  baseUrl: row.base_url,
  wabaId: row.waba_id,
  displayPhone: row.display_phone,
  mps: row.mps,
  messagingLimit: row.messaging_limit,
  portfolioId: row.portfolio_id,
  status: row.status,
  quality: row.quality,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** A new sender; its provider's settings among the fields of `SenderSettingsFields` (the others are left out) are checked against the provider's schema. */
export interface NewSender extends SenderSettingsFields {
  workspaceId: string;
  name: string;
  provider: ProviderName;
  baseUrl: string;
  /** The WABA whose templates the sender uses. */
  wabaId?: string | null;
  displayPhone?: string | null;
  credentials: SenderCredentials;
  webhookSecret?: string | null;
  mps: number;
  messagingLimit?: number | null;
  portfolioId?: string | null;
}

/** Runs a settings check, turning settings that do not fit the provider's schema into a 400 naming the field. */
function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof InvalidSenderSettings) throw new ParleyError('SENDER_INVALID', { message: error.message, field: error.field });
    throw error;
  }
}

/** The number is already another sender's (this workspace's or another's): a 409 naming the number. */
function numberTaken(input: NewSender, settings: ProviderSettings, existing?: { id: string; workspace_id: string }): ParleyError {
  const rules = senderRulesOf(input.provider);
  const number = senderNumberId(settings);
  const here = existing?.workspace_id === input.workspaceId;
  return new ParleyError('SENDER_NUMBER_TAKEN', {
    message: `${rules.numberLabel} ${number} is already registered as a sender${existing ? (here ? ' in this workspace' : ' in another workspace') : ''}.`,
    field: `/${rules.numberField}`,
    // Another workspace's sender id is not disclosed.
    details: { [rules.numberField]: number, ...(here ? { senderId: existing!.id } : {}) },
  });
}

/**
 * Adds a sender. A provider number (Cloud API phone number id, UltraMsg instance id) belongs to one
 * sender across all workspaces, since webhooks are routed by it alone: a second registration is
 * refused with SENDER_NUMBER_TAKEN (409), checked first for a clear answer and enforced by the unique
 * index on `number_key` against a concurrent registration.
 */
export async function createSender(db: Db, keyring: Keyring, input: NewSender, now = Date.now()): Promise<Sender> {
  const id = newId('snd', now);
  const settings = checked(() => senderSettingsFrom(input.provider, input));
  const numberKey = senderNumberKey(settings);
  if (numberKey) {
    const existing = await db.selectFrom('senders').select(['id', 'workspace_id']).where('number_key', '=', numberKey).executeTakeFirst();
    if (existing) throw numberTaken(input, settings, existing);
  }
  const wabaId = input.wabaId ?? null;
  const row = {
    id,
    workspace_id: input.workspaceId,
    name: input.name,
    provider: input.provider,
    base_url: input.baseUrl.replace(/\/+$/, ''),
    settings: JSON.stringify(settings.settings),
    waba_id: wabaId,
    display_phone: input.displayPhone ?? null,
    credentials: await keyring.encrypt(input.workspaceId, JSON.stringify(input.credentials)),
    webhook_secret: await keyring.encryptNullable(input.workspaceId, input.webhookSecret),
    mps: input.mps,
    messaging_limit: input.messagingLimit ?? null,
    portfolio_id: input.portfolioId ?? wabaId ?? id,
    status: 'active',
    quality: null,
    created_at: now,
    updated_at: now,
  } satisfies Omit<Selectable<SendersTable>, 'number_key'>;
  try {
    await db.insertInto('senders').values({ ...row, number_key: numberKey }).execute();
  } catch (error) {
    if (numberKey && isUniqueViolation(error)) throw numberTaken(input, settings);
    throw error;
  }
  return toSender(row);
}

/**
 * The sender a message of the workspace goes out from: the one named `from` (whatever its status:
 * the caller says why a disabled one cannot send), or else the workspace's first active sender.
 */
export async function findSenderToSendFrom(db: Db, workspaceId: string, from: string | undefined): Promise<Sender | undefined> {
  let query = db.selectFrom('senders').selectAll().where('workspace_id', '=', workspaceId);
  query = from ? query.where('id', '=', from) : query.where('status', '=', 'active').orderBy('created_at').limit(1);
  const row = await query.executeTakeFirst();
  return row && toSender(row);
}

export async function getSender(db: Db, id: string, workspaceId?: string): Promise<Sender | undefined> {
  let query = db.selectFrom('senders').selectAll().where('id', '=', id);
  if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
  const row = await query.executeTakeFirst();
  return row && toSender(row);
}

/** The workspace a sender belongs to; undefined when there is no such sender. */
export async function workspaceOfSender(db: Db, id: string): Promise<string | undefined> {
  return (await db.selectFrom('senders').select('workspace_id').where('id', '=', id).executeTakeFirst())?.workspace_id;
}

export async function listSenders(db: Db, workspaceId?: string): Promise<Sender[]> {
  let query = db.selectFrom('senders').selectAll();
  if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
  return (await query.orderBy('created_at').execute()).map(toSender);
}

/** The oldest active sender of a workspace's WABA whose provider is one of `providers`. */
export async function oldestActiveSenderOfWaba(db: Db, workspaceId: string, wabaId: string, providers: readonly ProviderName[]): Promise<Sender | undefined> {
  const row = await db
    .selectFrom('senders')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('waba_id', '=', wabaId)
    .where('provider', 'in', providers)
    .where('status', '=', 'active')
    .orderBy('created_at')
    .executeTakeFirst();
  return row && toSender(row);
}

/** Workspace × WABA pairs that have active senders whose provider is one of `providers`. */
export async function activeWabas(db: Db, providers: readonly ProviderName[]): Promise<Array<{ workspaceId: string; wabaId: string }>> {
  const rows = await db
    .selectFrom('senders')
    .select(['workspace_id', 'waba_id'])
    .where('provider', 'in', providers)
    .where('status', '=', 'active')
    .where('waba_id', 'is not', null)
    .groupBy(['workspace_id', 'waba_id'])
    .execute();
  return rows.map((r) => ({ workspaceId: r.workspace_id, wabaId: r.waba_id! }));
}

/** The provider of a sender, or undefined when there is no such sender. */
export async function providerOfSender(db: Db, id: string): Promise<ProviderName | undefined> {
  const row = await db.selectFrom('senders').select('provider').where('id', '=', id).executeTakeFirst();
  return row?.provider;
}

/** The sender of the workspace one of whose number keys is in `numberKeys`. */
export async function findSenderByNumberKeysInWorkspace(db: Db, workspaceId: string, numberKeys: readonly string[]): Promise<Sender | undefined> {
  const row = await db.selectFrom('senders').selectAll().where('workspace_id', '=', workspaceId).where('number_key', 'in', numberKeys).executeTakeFirst();
  return row && toSender(row);
}

/** The WABA of a sender of the workspace (null for a sender without one, undefined for no such sender). */
export async function wabaIdOfSender(db: Db, workspaceId: string, id: string): Promise<string | null | undefined> {
  const row = await db.selectFrom('senders').select('waba_id').where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row?.waba_id;
}

/** Whether the workspace has a sender with this id. */
export async function senderExists(db: Db, workspaceId: string, id: string): Promise<boolean> {
  const row = await db.selectFrom('senders').select('id').where('id', '=', id).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row !== undefined;
}

/** The base URLs of the active senders. */
export async function activeSenderBaseUrls(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('senders').select('base_url').where('status', '=', 'active').execute();
  return rows.map((r) => r.base_url);
}

/** Points a sender at another base URL (the embedded emulator's, when it moved). */
export async function setSenderBaseUrl(db: Db, id: string, baseUrl: string, now = Date.now()): Promise<void> {
  await db.updateTable('senders').set({ base_url: baseUrl, updated_at: now }).where('id', '=', id).execute();
}

/** Every sender's id, workspace, name and provider (all senders, or one workspace's), oldest first. */
export async function listSenderNames(db: Db, workspaceId?: string): Promise<Array<Pick<Selectable<SendersTable>, 'id' | 'workspace_id' | 'name' | 'provider'>>> {
  let query = db.selectFrom('senders').select(['id', 'workspace_id', 'name', 'provider']).orderBy('created_at');
  if (workspaceId) query = query.where('workspace_id', '=', workspaceId);
  return query.execute();
}

export async function listActiveSenderIds(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('senders').select('id').where('status', '=', 'active').orderBy('id').execute();
  return rows.map((r) => r.id);
}

/** A sender's credentials, opened with its workspace's key. */
export async function senderCredentials(db: Db, keyring: Keyring, sender: Pick<Sender, 'id' | 'workspaceId'>): Promise<SenderCredentials> {
  const row = await db.selectFrom('senders').select('credentials').where('id', '=', sender.id).executeTakeFirstOrThrow();
  return JSON.parse(await keyring.decrypt(sender.workspaceId, row.credentials)) as SenderCredentials;
}

export interface SenderPatch {
  name?: string;
  baseUrl?: string;
  graphVersion?: string | null;
  displayPhone?: string | null;
  credentials?: SenderCredentials;
  mps?: number;
  messagingLimit?: number | null;
  portfolioId?: string;
  status?: 'active' | 'disabled';
}

export async function updateSender(db: Db, keyring: Keyring, sender: Sender, patch: SenderPatch, now = Date.now()): Promise<Sender> {
  const set: Partial<Omit<Selectable<SendersTable>, 'number_key'>> = { updated_at: now };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.baseUrl !== undefined) set.base_url = patch.baseUrl.replace(/\/+$/, '');
  if (patch.graphVersion !== undefined) set.settings = JSON.stringify(checked(() => changeSenderSettings(sender, { graphVersion: patch.graphVersion })).settings);
  if (patch.displayPhone !== undefined) set.display_phone = patch.displayPhone;
  if (patch.credentials !== undefined) set.credentials = await keyring.encrypt(sender.workspaceId, JSON.stringify(patch.credentials));
  if (patch.mps !== undefined) set.mps = patch.mps;
  if (patch.messagingLimit !== undefined) set.messaging_limit = patch.messagingLimit;
  if (patch.portfolioId !== undefined) set.portfolio_id = patch.portfolioId;
  if (patch.status !== undefined) set.status = patch.status;
  await db.updateTable('senders').set(set).where('id', '=', sender.id).execute();
  return (await getSender(db, sender.id))!;
}
