import { auditDiff } from '../access/audit-port.js';
import { Type } from '@sinclair/typebox';
import { ParleyError } from '../errors/parley-error.js';
import type { ParleyApp } from '../http/types.js';
import { MultilineText, Nullable, PageQuery, Timestamp, iso } from '../http/schemas.js';
import type { ParleyContext } from '../runtime/context.js';
import { listDeadLetters, replayDeadLetters, type DeadLetter } from './dead-letter-queries.js';
import { EVENT_TYPES, EVENT_TYPE_FAMILIES, isSubscribable } from './event-types.js';
import { createSubscription, deleteSubscription, generateSecret, getSubscription, listSubscriptions, updateSubscription, type Subscription } from './subscription-queries.js';
import { checkTargetUrl } from '../net/target-policy.js';

const security = [{ apiKey: [] }];

const SubscriptionBody = Type.Object({
  id: Type.String(),
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  description: Nullable(Type.String()),
  enabled: Type.Boolean(),
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
});
const WithSecret = Type.Composite([SubscriptionBody, Type.Object({ secret: Type.Optional(Type.String({ description: 'The signing secret: present only when Parley generated it, and shown this once.' })) })]);

const DeadLetterBody = Type.Object({
  id: Type.String(),
  eventId: Type.String(),
  eventType: Type.String(),
  subscriptionId: Type.String(),
  attempts: Type.Integer(),
  lastStatusCode: Nullable(Type.Integer()),
  lastError: Nullable(Type.String()),
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
});

const EventTypes = Type.Array(Type.String({ maxLength: 100, description: `One of ${EVENT_TYPES.join(', ')}; or ${EVENT_TYPE_FAMILIES.join(', ')} for every event of the family.` }), { minItems: 1, maxItems: 50, uniqueItems: true });
const Secret = Type.String({ minLength: 16, maxLength: 200, description: 'Your own signing secret (at least 16 characters); omit it to have one generated.' });
const Url = Type.String({ minLength: 1, maxLength: 2000, description: 'Absolute http(s) URL the events are posted to.' });

const present = (s: Subscription) => ({ id: s.id, url: s.url, eventTypes: s.eventTypes, description: s.description, enabled: s.enabled, createdAt: iso(s.createdAt)!, updatedAt: iso(s.updatedAt)! });
const presentDead = (d: DeadLetter) => ({ ...d, createdAt: iso(d.createdAt)!, updatedAt: iso(d.updatedAt)! });

/** A subscription as its audit diffs compare it; its URL (which may carry a token) and secret only as references. */
const SECRET_FIELDS = ['url', 'secret'];
const audited = (s: Subscription): Record<string, unknown> => ({ url: s.url, eventTypes: s.eventTypes, description: s.description, enabled: s.enabled });

// Event webhooks to business systems (M1.6): subscriptions and the dead-letter list.
export async function eventRoutes(app: ParleyApp, ctx: ParleyContext) {
  const checkUrl = (url: string) => {
    const check = checkTargetUrl(url, ctx.config.eventsAllowPrivateTargets);
    if (!check.ok) throw new ParleyError(check.code, { message: `The subscription URL is refused: ${check.reason}.`, field: '/url' });
  };
  const checkTypes = (types: string[]) => {
    const unknown = types.filter((t) => !isSubscribable(t));
    if (unknown.length) throw new ParleyError('EVENT_TYPE_UNKNOWN', { message: `Unknown event type(s): ${unknown.join(', ')}.`, field: '/eventTypes', details: { known: [...EVENT_TYPES, ...EVENT_TYPE_FAMILIES] } });
  };

  app.get('/v1/event-types', {
    config: { permission: 'webhooks.read' },
    schema: {
      tags: ['events'],
      summary: 'The event types a subscription can list, and the families it can take whole with a wildcard.',
      security,
      response: { 200: Type.Object({ data: Type.Array(Type.String()), families: Type.Array(Type.String()) }) },
    },
  }, async () => ({ data: [...EVENT_TYPES], families: [...EVENT_TYPE_FAMILIES] }));

  app.post('/v1/event-subscriptions', {
    config: { permission: 'webhooks.manage', audit: 'event_subscription.created' },
    schema: {
      tags: ['events'],
      summary: 'Subscribe a URL to event types. Deliveries are signed with the subscription secret (see README, "Event webhooks").',
      security,
      body: Type.Object({ url: Url, eventTypes: EventTypes, secret: Type.Optional(Secret), description: Type.Optional(MultilineText({ maxLength: 500 })), enabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 201: WithSecret },
    },
  }, async (request, reply) => {
    const body = request.body;
    checkUrl(body.url);
    checkTypes(body.eventTypes);
    const secret = body.secret ?? generateSecret();
    const created = await createSubscription(ctx.db, ctx.keyring, { workspaceId: request.principal!.workspaceId, url: body.url, eventTypes: body.eventTypes, secret, description: body.description, enabled: body.enabled }, ctx.clock.now());
    const resource = { type: 'event_subscription', id: created.id };
    request.audit({ resource, diff: auditDiff(resource, undefined, { ...audited(created), secret: true }, SECRET_FIELDS) });
    return reply.status(201).send({ ...present(created), ...(body.secret ? {} : { secret }) });
  });

  app.get('/v1/event-subscriptions', {
    config: { permission: 'webhooks.read' },
    schema: { tags: ['events'], summary: 'List event subscriptions (secrets are never shown again).', security, response: { 200: Type.Object({ data: Type.Array(SubscriptionBody) }) } },
  }, async (request) => ({ data: (await listSubscriptions(ctx.db, request.principal!.workspaceId)).map(present) }));

  app.get('/v1/event-subscriptions/:id', {
    config: { permission: 'webhooks.read' },
    schema: { tags: ['events'], summary: 'One event subscription.', security, params: Type.Object({ id: Type.String() }), response: { 200: SubscriptionBody } },
  }, async (request) => {
    const found = await getSubscription(ctx.db, request.principal!.workspaceId, request.params.id);
    if (!found) throw new ParleyError('EVENT_SUBSCRIPTION_NOT_FOUND');
    return present(found);
  });

  app.patch('/v1/event-subscriptions/:id', {
    config: { permission: 'webhooks.manage', audit: 'event_subscription.updated' },
    schema: {
      tags: ['events'],
      summary: 'Change a subscription: URL, event types, description, enabled; `rotateSecret: true` generates a new secret (shown once), `secret` sets your own.',
      security,
      params: Type.Object({ id: Type.String() }),
      body: Type.Object({ url: Type.Optional(Url), eventTypes: Type.Optional(EventTypes), secret: Type.Optional(Secret), rotateSecret: Type.Optional(Type.Boolean()), description: Type.Optional(Nullable(MultilineText({ maxLength: 500 }))), enabled: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 200: WithSecret },
    },
  }, async (request) => {
    const body = request.body;
    if (body.url !== undefined) checkUrl(body.url);
    if (body.eventTypes !== undefined) checkTypes(body.eventTypes);
    const generated = body.rotateSecret && body.secret === undefined ? generateSecret() : undefined;
    const before = await getSubscription(ctx.db, request.principal!.workspaceId, request.params.id);
    const updated = await updateSubscription(ctx.db, ctx.keyring, request.principal!.workspaceId, request.params.id, { url: body.url, eventTypes: body.eventTypes, secret: body.secret ?? generated, description: body.description, enabled: body.enabled }, ctx.clock.now());
    if (!updated) throw new ParleyError('EVENT_SUBSCRIPTION_NOT_FOUND');
    const resource = { type: 'event_subscription', id: updated.id };
    const secretChanged = body.secret !== undefined || generated !== undefined;
    request.audit({ resource, diff: auditDiff(resource, before && audited(before), { ...audited(updated), ...(secretChanged ? { secret: true } : {}) }, SECRET_FIELDS) });
    return { ...present(updated), ...(generated ? { secret: generated } : {}) };
  });

  app.delete('/v1/event-subscriptions/:id', {
    config: { permission: 'webhooks.manage', audit: 'event_subscription.deleted' },
    schema: { tags: ['events'], summary: 'Delete a subscription and its undelivered events.', security, params: Type.Object({ id: Type.String() }), response: { 204: Type.Null() } },
  }, async (request, reply) => {
    if (!(await deleteSubscription(ctx.db, request.principal!.workspaceId, request.params.id))) throw new ParleyError('EVENT_SUBSCRIPTION_NOT_FOUND');
    return reply.status(204).send(null);
  });

  app.get('/v1/event-dead-letters', {
    config: { permission: 'webhooks.read' },
    schema: {
      tags: ['events'],
      summary: 'Event deliveries that were given up (retried until PARLEY_EVENTS_MAX_AGE_HOURS, or refused), newest first.',
      security,
      querystring: Type.Composite([PageQuery, Type.Object({ subscriptionId: Type.Optional(Type.String()) })]),
      response: { 200: Type.Object({ data: Type.Array(DeadLetterBody), nextCursor: Nullable(Type.String()) }) },
    },
  }, async (request) => {
    const page = await listDeadLetters(ctx.db, request.principal!.workspaceId, { subscriptionId: request.query.subscriptionId, limit: request.query.limit ?? 50, cursor: request.query.cursor });
    return { data: page.data.map(presentDead), nextCursor: page.nextCursor };
  });

  app.post('/v1/event-dead-letters/:id/replay', {
    config: { permission: 'webhooks.manage', audit: 'event_dead_letter.replayed' },
    schema: { tags: ['events'], summary: 'Deliver one dead-lettered event again (due now, retried afresh).', security, params: Type.Object({ id: Type.String() }), response: { 202: Type.Object({ replayed: Type.Integer() }) } },
  }, async (request, reply) => {
    const replayed = await replayDeadLetters(ctx.db, request.principal!.workspaceId, { id: request.params.id }, ctx.clock.now());
    request.audit({ diff: { replayed: { to: replayed } } });
    if (!replayed) throw new ParleyError('EVENT_DELIVERY_NOT_FOUND');
    return reply.status(202).send({ replayed });
  });

  app.post('/v1/event-dead-letters/replay', {
    config: { permission: 'webhooks.manage', audit: 'event_dead_letter.replayed' },
    schema: {
      tags: ['events'],
      summary: 'Deliver every dead-lettered event again (optionally of one subscription).',
      security,
      body: Type.Optional(Type.Object({ subscriptionId: Type.Optional(Type.String()) }, { additionalProperties: false })),
      response: { 202: Type.Object({ replayed: Type.Integer() }) },
    },
  }, async (request, reply) => {
    const replayed = await replayDeadLetters(ctx.db, request.principal!.workspaceId, { subscriptionId: request.body?.subscriptionId }, ctx.clock.now());
    request.audit({ resource: { type: 'event_dead_letter', id: null }, diff: { replayed: { to: replayed }, ...(request.body?.subscriptionId ? { subscriptionId: { to: request.body.subscriptionId } } : {}) } });
    return reply.status(202).send({ replayed });
  });
}
