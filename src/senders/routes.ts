import { auditDiff } from '../access/audit-port.js';
import { PROVIDER_NAMES } from '../channels/provider-name.js';
import { senderRulesOf, senderSettingsFields } from '../channels/sender-identity.js';
import { Type, type Static } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { INT32_MAX, Nullable, StringEnum, Timestamp, iso } from '../http/schemas.js';
import { createSender, getSender, listSenders, updateSender, type NewSender, type Sender } from './sender-queries.js';
import { DEFAULT_BASE_URL, DEFAULT_MPS } from './provider-defaults.js';
import { listSenderHealth, type SenderHealth } from './sender-health.js';

const HealthView = Type.Object(
  {
    state: StringEnum(['ok', 'degraded', 'unreachable', 'unauthenticated', 'paused'] as const, {
      description: 'ok; degraded: the provider fails a share of calls; unreachable: the circuit breaker paused sending (messages wait, probes test the provider); unauthenticated: the UltraMsg instance is not authenticated (logged out: scan the QR code from `GET /v1/senders/{id}/qr`; or its phone is offline), its messages wait; paused: the sender is disabled.',
    }),
    reason: Nullable(Type.String()),
    since: Timestamp(),
  },
  { description: 'The sender\'s health as the dispatcher sending for it sees it (also on /metrics and in `sender.health` events).' },
);

const SenderView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  provider: StringEnum(PROVIDER_NAMES),
  baseUrl: Type.String(),
  graphVersion: Nullable(Type.String()),
  phoneNumberId: Nullable(Type.String()),
  wabaId: Nullable(Type.String()),
  instanceId: Nullable(Type.String()),
  displayPhone: Nullable(Type.String()),
  mps: Type.Integer(),
  messagingLimit: Nullable(Type.Integer()),
  portfolioId: Type.String(),
  status: StringEnum(['active', 'disabled'] as const),
  quality: Nullable(Type.String()),
  hasCredentials: Type.Boolean({ description: 'Credentials are stored encrypted and never returned.' }),
  health: HealthView,
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
});

/** Never includes credentials: they are write-only. */
export const presentSender = (s: Sender, health: SenderHealth = s.status === 'disabled' ? { state: 'paused', reason: 'The sender is disabled.', since: s.updatedAt } : { state: 'ok', reason: null, since: s.updatedAt }): Static<typeof SenderView> => ({
  id: s.id,
  name: s.name,
  provider: s.provider,
  baseUrl: s.baseUrl,
  ...senderSettingsFields(s),
  wabaId: s.wabaId,
  displayPhone: s.displayPhone,
  mps: s.mps,
  messagingLimit: s.messagingLimit,
  portfolioId: s.portfolioId,
  status: s.status,
  quality: s.quality,
  hasCredentials: true,
  health: { state: health.state, reason: health.reason, since: iso(health.since)! },
  createdAt: iso(s.createdAt)!,
  updatedAt: iso(s.updatedAt)!,
});

const CreateSender = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    provider: StringEnum(PROVIDER_NAMES),
    baseUrl: Type.Optional(Type.String({ pattern: '^https?://', description: 'Provider base URL; defaults to the real provider. Point it at the emulator for local runs.' })),
    graphVersion: Type.Optional(Type.String({ pattern: '^v\\d+\\.\\d+$', description: 'Graph API version for Cloud API senders, e.g. v23.0.' })),
    phoneNumberId: Type.Optional(Type.String({ minLength: 1 })),
    wabaId: Type.Optional(Type.String({ minLength: 1 })),
    instanceId: Type.Optional(Type.String({ minLength: 1 })),
    displayPhone: Type.Optional(Type.String()),
    accessToken: Type.Optional(Type.String({ minLength: 1, description: 'Cloud API token (write-only).' })),
    token: Type.Optional(Type.String({ minLength: 1, description: 'UltraMsg instance token (write-only).' })),
    webhookSecret: Type.Optional(Type.String({ minLength: 16, description: 'UltraMsg: the secret its webhook URL carries (write-only).' })),
    mps: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Throughput cap in messages per second (Cloud API: 80 by default, up to 1,000).' })),
    messagingLimit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: INT32_MAX, description: 'Unique recipients per rolling 24 h for the portfolio (the messaging tier); null for unlimited.' }))),
    portfolioId: Type.Optional(Type.String({ minLength: 1, description: 'Business portfolio sharing the messaging limit; defaults to the WABA id.' })),
  },
  { additionalProperties: false },
);

const UpdateSender = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    baseUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
    graphVersion: Type.Optional(Type.String({ pattern: '^v\\d+\\.\\d+$' })),
    displayPhone: Type.Optional(Type.String()),
    accessToken: Type.Optional(Type.String({ minLength: 1 })),
    token: Type.Optional(Type.String({ minLength: 1 })),
    mps: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    messagingLimit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: INT32_MAX }))),
    portfolioId: Type.Optional(Type.String({ minLength: 1 })),
    status: Type.Optional(StringEnum(['active', 'disabled'] as const)),
  },
  { additionalProperties: false },
);

function toNewSender(workspaceId: string, body: Static<typeof CreateSender>, defaultGraphVersion: string): NewSender {
  const missing = (field: string) => new ParleyError('SENDER_INVALID', { message: `A ${body.provider} sender needs \`${field}\`.`, field: `/${field}` });
  const rules = senderRulesOf(body.provider);
  for (const field of rules.required) if (!body[field]) throw missing(field);
  return {
    workspaceId,
    name: body.name,
    provider: body.provider,
    baseUrl: body.baseUrl ?? DEFAULT_BASE_URL[body.provider],
    graphVersion: rules.usesGraphVersion ? (body.graphVersion ?? defaultGraphVersion) : null,
    phoneNumberId: body.phoneNumberId,
    wabaId: body.wabaId,
    instanceId: body.instanceId,
    displayPhone: body.displayPhone,
    credentials: rules.credentials(body),
    webhookSecret: body.webhookSecret,
    mps: body.mps ?? DEFAULT_MPS[body.provider],
    messagingLimit: body.messagingLimit ?? null,
    portfolioId: body.portfolioId,
  };
}

/** A sender as its audit diffs compare it (no health, no timestamps); credentials only as references. */
/** The sender fields that are secrets: audited as references only. */
export const SENDER_SECRET_FIELDS = ['credentials', 'webhookSecret'];
/** A sender's fields as the audit trail compares them. */
export function auditedSender(s: Sender): Record<string, unknown> {
  const { health: _health, createdAt: _created, updatedAt: _updated, id: _id, hasCredentials: _has, ...fields } = presentSender(s);
  return fields;
}

// Sender numbers (M1.1): one per business number and provider.
export async function senderRoutes(app: ParleyApp, ctx: ParleyContext) {
  const security = [{ apiKey: [] }];
  const Params = Type.Object({ id: Type.String() });

  app.post('/v1/senders', {
    config: { permission: 'senders.manage', audit: 'sender.created' },
    schema: { tags: ['senders'], summary: 'Add a sender number (Cloud API or UltraMsg). Credentials are encrypted and never returned.', security, body: CreateSender, response: { 201: SenderView } },
  }, async (request, reply) => {
    const sender = await createSender(ctx.db, ctx.keyring, toNewSender(request.principal!.workspaceId, request.body, ctx.config.graphVersion));
    const resource = { type: 'sender', id: sender.id };
    request.audit({ resource, diff: auditDiff(resource, undefined, { ...auditedSender(sender), credentials: true, ...(request.body.webhookSecret ? { webhookSecret: true } : {}) }, SENDER_SECRET_FIELDS) });
    return reply.status(201).send(presentSender(sender));
  });

  app.get('/v1/senders', {
    config: { permission: 'senders.read' },
    schema: { tags: ['senders'], summary: 'List sender numbers.', security, response: { 200: Type.Object({ data: Type.Array(SenderView) }) } },
  }, async (request) => {
    const health = await listSenderHealth(ctx.db, request.principal!.workspaceId);
    return { data: (await listSenders(ctx.db, request.principal!.workspaceId)).map((s) => presentSender(s, health.get(s.id))) };
  });

  app.get('/v1/senders/:id', {
    config: { permission: 'senders.read' },
    schema: { tags: ['senders'], summary: 'Read one sender number.', security, params: Params, response: { 200: SenderView } },
  }, async (request) => {
    const sender = await getSender(ctx.db, request.params.id, request.principal!.workspaceId);
    if (!sender) throw new ParleyError('SENDER_NOT_FOUND');
    return presentSender(sender, (await listSenderHealth(ctx.db, sender.workspaceId)).get(sender.id));
  });

  app.patch('/v1/senders/:id', {
    config: { permission: 'senders.manage', audit: 'sender.updated' },
    schema: { tags: ['senders'], summary: 'Change a sender: throughput, tier, credentials, status.', security, params: Params, body: UpdateSender, response: { 200: SenderView } },
  }, async (request) => {
    const sender = await getSender(ctx.db, request.params.id, request.principal!.workspaceId);
    if (!sender) throw new ParleyError('SENDER_NOT_FOUND');
    const { accessToken, token, ...rest } = request.body;
    const credentials = accessToken ? { accessToken } : token ? { token } : undefined;
    const updated = await updateSender(ctx.db, ctx.keyring, sender, { ...rest, credentials });
    const resource = { type: 'sender', id: updated.id };
    request.audit({ resource, diff: auditDiff(resource, auditedSender(sender), { ...auditedSender(updated), ...(credentials ? { credentials: true } : {}) }, SENDER_SECRET_FIELDS) });
    return presentSender(updated, (await listSenderHealth(ctx.db, updated.workspaceId)).get(updated.id));
  });
}
