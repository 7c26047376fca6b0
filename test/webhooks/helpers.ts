import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from '../../src/db/database.js';
import type { Keyring } from '../../src/crypto/keyring.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import type { ParleyApp } from '../../src/http/types.js';
import { STATUS_RANK, type MessageStatus } from '../../src/messages/status.js';
import { newId } from '../../src/shared/ids.js';
import { providerIdHash, sealProviderId } from '../../src/messages/provider-ids.js';
import { hubSignature } from '../../src/webhooks/signature.js';
import { WebhookProcessor } from '../../src/webhooks/processor.js';
import { DOMAIN_EVENT_HANDLERS } from '../../src/main/modules.js';
import type { DomainEvent, DomainEventType } from '../../src/domain-events/events.js';
import { createContext } from '../../src/main/create-context.js';
import { createLogger } from '../../src/observability/logger.js';
import type { Clock } from '../../src/shared/time.js';
import { ROOT } from '../harness/cli.js';
import { senderNumberKey, senderSettingsFrom } from '../../src/channels/sender-identity.js';
import type { StorageFixture } from '../harness/storage.js';

export const APP_SECRET = 'test-app-secret-0123456789';
export const VERIFY_TOKEN = 'test-verify-token';
export const FIXTURES = path.join(ROOT, 'test/fixtures/whatsapp');
/** The message id every Meta fixture uses. */
export const FIXTURE_WAMID = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=';
export const FIXTURE_PHONE_NUMBER_ID = '106540352242922';

export const fixture = (name: string): string => readFileSync(path.join(FIXTURES, name), 'utf8');

/** A context whose config knows the test app secret and verify token; optionally with its own clock. */
export function webhookContext(fx: StorageFixture, overrides: Record<string, unknown> = {}, clock?: Clock): ParleyContext {
  const config = fx.config({ whatsappAppSecrets: APP_SECRET, whatsappVerifyToken: VERIFY_TOKEN, ...overrides });
  const ctx = createContext({ config, masterKey: fx.masterKey, store: fx.store, logger: createLogger({ level: 'silent' }), clock });
  keyrings.set(fx.store.db, ctx.keyring);
  return ctx;
}

const keyrings = new WeakMap<Db, Keyring>();

/** The keyring of the fixture this database belongs to (registered by `webhookContext`). */
export function keyringOf(db: Db): Keyring {
  const keyring = keyrings.get(db);
  if (!keyring) throw new Error('Build a context with webhookContext(fx) first: provider ids are stored hashed and sealed.');
  return keyring;
}

/** The keyed hash a provider message id is stored and matched by (`messages.provider_id_hash`). */
export const pidHash = (db: Db, providerMessageId: string): string => providerIdHash(keyringOf(db), providerMessageId);

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(public time = Date.now()) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export interface SenderInput {
  workspaceId: string;
  provider?: 'cloud' | 'ultramsg';
  phoneNumberId?: string | null;
  instanceId?: string | null;
  displayPhone?: string | null;
  wabaId?: string | null;
  baseUrl?: string;
  accessToken?: string;
  webhookSecret?: string | null;
}

/** Inserts a sender row directly (the senders API belongs to another module), credentials encrypted. */
export async function insertSender(db: Db, keyring: Keyring, input: SenderInput): Promise<string> {
  const id = newId('snd');
  const now = Date.now();
  const provider = input.provider ?? 'cloud';
  const settings = senderSettingsFrom(provider, {
    graphVersion: provider === 'cloud' ? 'v21.0' : null,
    phoneNumberId: input.phoneNumberId === undefined ? (provider === 'cloud' ? FIXTURE_PHONE_NUMBER_ID : null) : input.phoneNumberId,
    instanceId: input.instanceId ?? null,
  });
  await db
    .insertInto('senders')
    .values({
      id,
      workspace_id: input.workspaceId,
      name: `test ${provider}`,
      provider,
      base_url: input.baseUrl ?? (provider === 'cloud' ? 'https://graph.facebook.com' : 'https://api.ultramsg.com'),
      settings: JSON.stringify(settings.settings),
      number_key: senderNumberKey(settings),
      waba_id: input.wabaId === undefined ? '102290129340398' : input.wabaId,
      display_phone: input.displayPhone ?? null,
      credentials: await keyring.encrypt(input.workspaceId, JSON.stringify(provider === 'cloud' ? { accessToken: input.accessToken ?? 'test-token' } : { token: 'ultra-token' })),
      webhook_secret: input.webhookSecret ? await keyring.encrypt(input.workspaceId, input.webhookSecret) : null,
      mps: 80,
      messaging_limit: null,
      portfolio_id: 'portfolio-test',
      status: 'active',
      quality: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

/** Inserts an outbound message as the outbound pipeline would have stored it. */
export async function insertOutbound(db: Db, input: { workspaceId: string; senderId: string; contactId?: string | null; providerMessageId?: string | null; status?: MessageStatus; id?: string }): Promise<string> {
  const id = input.id ?? newId('msg');
  const now = Date.now();
  const status = input.status ?? 'accepted';
  const pid = input.providerMessageId ?? null;
  await db
    .insertInto('messages')
    .values({
      id,
      workspace_id: input.workspaceId,
      direction: 'outbound',
      sender_id: input.senderId,
      contact_id: input.contactId ?? null,
      lane: 'transactional',
      lane_priority: 1,
      type: 'text',
      content: null,
      template_name: null,
      template_language: null,
      intent: null,
      status,
      status_rank: STATUS_RANK[status],
      status_at: now,
      provider_id_sealed: pid === null ? null : await sealProviderId(keyringOf(db), input.workspaceId, pid),
      provider_id_hash: pid === null ? null : pidHash(db, pid),
      idempotency_key: null,
      request_hash: null,
      send_at: now,
      valid_until: null,
      next_attempt_at: now,
      claimed_by: null,
      claimed_at: null,
      error_code: null,
      error_message: null,
      reply_to: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return id;
}

export function signed(body: string, secret = APP_SECRET) {
  return { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(secret, Buffer.from(body)) };
}

export function postCloud(app: ParleyApp, body: string, headers: Record<string, string> = signed(body)) {
  return app.inject({ method: 'POST', url: '/webhooks/whatsapp/cloud', headers, payload: body });
}

/** Runs the processor until the log has nothing due. */
export async function processAll(ctx: ParleyContext): Promise<void> {
  const processor = new WebhookProcessor(ctx);
  while ((await processor.runOnce()) > 0);
}

/** Records domain events of the given types until the returned stop() is called. */
export function captureDomainEvents(types: DomainEventType[]): { events: DomainEvent[]; stop: () => void } {
  const events: DomainEvent[] = [];
  const handler = async (_ctx: ParleyContext, event: DomainEvent) => {
    events.push(event);
  };
  for (const type of types) ((DOMAIN_EVENT_HANDLERS[type] ??= []) as unknown[]).push(handler);
  return {
    events,
    stop: () => {
      for (const type of types) {
        const list = DOMAIN_EVENT_HANDLERS[type] as unknown[];
        const i = list.indexOf(handler);
        if (i >= 0) list.splice(i, 1);
      }
    },
  };
}

/** A fixture's text with the message id replaced, so several fixtures can live in one database. */
export const withMessageId = (text: string, id: string) => text.split(FIXTURE_WAMID).join(id);
