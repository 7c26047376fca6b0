import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { StorageFixture } from '../../harness/storage.js';
import { ROOT } from '../../harness/cli.js';
import type { ParleyContext } from '../../../src/runtime/context.js';
import type { DomainEvent } from '../../../src/domain-events/events.js';
import { emitDomainEvent } from '../../../src/domain-events/bus.js';
import { DOMAIN_EVENT_HANDLERS } from '../../../src/main/modules.js';
import { createApiKey } from '../../../src/access/api-key-queries.js';
import { createSender } from '../../../src/senders/sender-queries.js';
import type { ParleyApp } from '../../../src/http/types.js';
import { APP_SECRET, postCloud, processAll } from '../../webhooks/helpers.js';

/** A clock tests move by hand. */
export function testClock(start: number) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms), set: (ms: number) => void (now = ms) };
}

/** A context on the fixture's store with a hand-moved clock, accepting webhooks signed with the test app secret. */
export function contextWithClock(fx: StorageFixture, clock: { now(): number }, overrides: Parameters<StorageFixture['context']>[0] = {}): ParleyContext {
  return { ...fx.context({ whatsappAppSecrets: APP_SECRET, ...overrides }), clock };
}

/**
 * Delivers a Cloud API webhook body through Parley's real ingestion: signed POST to
 * `/webhooks/whatsapp/cloud`, then the webhook processor, which emits the domain events.
 */
export async function ingestCloudWebhook(app: ParleyApp, ctx: ParleyContext, body: string): Promise<void> {
  const res = await postCloud(app, body);
  assert.equal(res.statusCode, 200, res.body);
  await processAll(ctx);
}

/** A `message_template_status_update` fixture with some fields changed, as the JSON text Meta would post (ids as numbers). */
export function templateStatusPayload(fixture: string, change: { value?: Record<string, unknown>; time?: number } = {}): string {
  const payload = readFixture(fixture);
  const entry = payload.entry[0];
  Object.assign(entry.changes[0].value, change.value ?? {});
  if (change.time !== undefined) entry.time = change.time;
  return JSON.stringify(payload).replace(/("message_template_id":)"(\d+)"/g, '$1$2');
}

/** The WABA of Meta's fixtures. */
export const FIXTURE_WABA = '102290129340398';

let senderNumbers = 0;

/**
 * A Cloud API sender, created through the senders module. A phone number id belongs to one sender
 * across workspaces, and tests share a database across workspaces: each call gets its own number
 * unless one is given (the emulator's first number is 106540352242922).
 */
export async function insertCloudSender(ctx: ParleyContext, workspaceId: string, options: { baseUrl: string; token: string; wabaId?: string; graphVersion?: string; phoneNumberId?: string }): Promise<string> {
  const sender = await createSender(ctx.db, ctx.keyring, {
    workspaceId, name: 'main', provider: 'cloud', baseUrl: options.baseUrl, graphVersion: options.graphVersion ?? 'v21.0', phoneNumberId: options.phoneNumberId ?? `1065403${process.pid % 1000}${String(++senderNumbers).padStart(5, '0')}`,
    wabaId: options.wabaId ?? FIXTURE_WABA, displayPhone: '15550783881', credentials: { accessToken: options.token }, mps: 80,
  }, ctx.clock.now());
  return sender.id;
}

/** An UltraMsg sender (no WABA): templates reach it rendered as text. */
export async function insertUltraMsgSender(ctx: ParleyContext, workspaceId: string, options: { baseUrl: string; token: string; instanceId?: string }): Promise<string> {
  const sender = await createSender(ctx.db, ctx.keyring, { workspaceId, name: 'ultramsg', provider: 'ultramsg', baseUrl: options.baseUrl, instanceId: options.instanceId ?? `instance${1150 + ++senderNumbers}`, credentials: { token: options.token }, mps: 1 }, ctx.clock.now());
  return sender.id;
}

/** A second API key of the workspace: the reviewer who is not the author. */
export async function secondKey(fx: StorageFixture, workspaceId: string): Promise<string> {
  const { key } = await createApiKey(fx.db, { workspaceId, name: 'reviewer', scopes: ['templates:read', 'templates:write'] });
  return `Bearer ${key}`;
}

export function readFixture(name: string): any {
  return JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/whatsapp', name), 'utf8'));
}

/**
 * The domain event webhook ingestion emits for a `message_template_status_update` payload, built the
 * way that module builds it (entry id is the WABA, time in seconds, the template id as a string, details
 * as `{ rejectionInfo, otherInfo, disableInfo, category }`), for tests that call the handlers directly.
 */
export function templateStatusEvent(payload: any, overrides: { value?: Record<string, unknown>; time?: number } = {}): Extract<DomainEvent, { type: 'template.status' }> {
  const entry = payload.entry[0];
  const value = { ...entry.changes[0].value, ...overrides.value };
  return {
    type: 'template.status',
    wabaId: String(entry.id),
    templateId: String(value.message_template_id),
    name: value.message_template_name,
    language: value.message_template_language,
    event: value.event,
    reason: value.reason ?? null,
    detail: Object.fromEntries(
      Object.entries({ rejectionInfo: value.rejection_info, otherInfo: value.other_info, disableInfo: value.disable_info, category: value.message_template_category }).filter(([, v]) => v !== undefined),
    ),
    at: (overrides.time ?? entry.time) * 1000,
  };
}

export function templateQualityEvent(payload: any): Extract<DomainEvent, { type: 'template.quality' }> {
  const entry = payload.entry[0];
  const value = entry.changes[0].value;
  return {
    type: 'template.quality', wabaId: String(entry.id), templateId: String(value.message_template_id), name: value.message_template_name,
    language: value.message_template_language, previousScore: value.previous_quality_score, newScore: value.new_quality_score, at: entry.time * 1000,
  };
}

/** Delivers a domain event to every registered handler, as the webhook pipeline does; fails the test on a handler error. */
export async function deliver(ctx: ParleyContext, event: DomainEvent): Promise<void> {
  const failures = await emitDomainEvent(ctx, DOMAIN_EVENT_HANDLERS, event);
  if (failures.length) throw failures[0];
}
