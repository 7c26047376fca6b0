import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../../http/types.js';
import type { ParleyContext } from '../../runtime/context.js';
import { senderExists } from '../../senders/sender-queries.js';
import { ParleyError } from '../../errors/parley-error.js';
import { INT32_MAX, MultilineText, Nullable, StringEnum, Timestamp, iso } from '../../http/schemas.js';
import { deleteIntent, getIntentByName, insertIntent, listIntents, updateIntent, type Intent } from '../intents/intent-queries.js';
import { resolveIntent } from '../intents/resolve-intent.js';
import type { TemplateBinding } from '../intents/binding.js';
import { DEFAULT_GUARDRAILS, ratesOf, ZERO_COUNTS, type Guardrails } from '../variants/guardrails.js';
import { finishRollout, getRollout, insertRollout, listRollouts, type Rollout } from '../variants/rollout-queries.js';
import { scheduleProblem, type RolloutStage } from '../variants/rollout-step.js';
import { getVariant, insertVariant, listVariants, updateVariant, type Variant } from '../variants/variant-queries.js';
import { variantCounts } from '../variants/variant-results.js';
import { BindingSchema, Json, JsonObject, emptyBodyAsObject, security } from './schemas.js';

const tags = ['intents'];
const INTENT_NAME = '^[a-z][a-z0-9_.-]{0,99}$';

const IntentSchema = Type.Object({
  id: Type.String(), name: Type.String(), description: Nullable(Type.String()), text: Nullable(Type.String()), template: Nullable(JsonObject), createdAt: Timestamp(), updatedAt: Timestamp(),
});
const presentIntent = (i: Intent) => ({ id: i.id, name: i.name, description: i.description, text: i.text, template: i.template as unknown as Record<string, unknown> | null, createdAt: iso(i.createdAt)!, updatedAt: iso(i.updatedAt)! });

const VariantSchema = Type.Object({
  id: Type.String(), name: Type.String(), weight: Type.Integer(), isControl: Type.Boolean(), text: Nullable(Type.String()), template: Nullable(JsonObject),
  state: StringEnum(['active', 'halted']), haltedReason: Nullable(Type.String()), haltedAt: Nullable(Timestamp()), createdAt: Timestamp(),
});
const presentVariant = (v: Variant) => ({ id: v.id, name: v.name, weight: v.weight, isControl: v.isControl, text: v.text, template: v.template as unknown as Record<string, unknown> | null, state: v.state, haltedReason: v.haltedReason, haltedAt: iso(v.haltedAt), createdAt: iso(v.createdAt)! });

const StageSchema = Type.Object({
  percent: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
  holdMinutes: Type.Optional(Type.Number({ minimum: 0, maximum: 525_600, description: 'Hold the stage at least this long.' })),
  minMessages: Type.Optional(Type.Integer({ minimum: 1, maximum: INT32_MAX, description: 'Hold the stage until the variant sent this many messages in it.' })),
}, { additionalProperties: false });
const GuardrailsSchema = Type.Object({
  maxFailureRateIncrease: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: `Halt when the variant's failure rate exceeds the control's by more than this (default ${DEFAULT_GUARDRAILS.maxFailureRateIncrease}).` })),
  maxOptOutRateIncrease: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: `Halt when the opt-out rate exceeds the control's by more than this (default ${DEFAULT_GUARDRAILS.maxOptOutRateIncrease}).` })),
  maxReadRateDrop: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: `Halt when the read rate is lower than the control's by more than this (default ${DEFAULT_GUARDRAILS.maxReadRateDrop}).` })),
  minSample: Type.Optional(Type.Integer({ minimum: 1, maximum: INT32_MAX, description: `Judge only after the variant sent this many messages (default ${DEFAULT_GUARDRAILS.minSample}).` })),
}, { additionalProperties: false });
const RolloutSchema = Type.Object({
  id: Type.String(), variantId: Type.String(), state: StringEnum(['running', 'completed', 'halted']), currentStage: Type.Integer(), currentPercent: Type.Number(),
  stages: Type.Array(Type.Object({ percent: Type.Number(), holdMinutes: Type.Optional(Type.Number()), minMessages: Type.Optional(Type.Integer()) })),
  guardrails: JsonObject, haltedReason: Nullable(Type.String()), stageStartedAt: Timestamp(), startedAt: Timestamp(), updatedAt: Timestamp(),
});
const presentRollout = (r: Rollout) => ({
  id: r.id, variantId: r.variantId, state: r.state, currentStage: r.currentStage, currentPercent: r.stages[r.currentStage].percent,
  stages: r.stages.map((s) => ({ percent: s.percent, ...(s.holdMs !== undefined ? { holdMinutes: s.holdMs / 60_000 } : {}), ...(s.minMessages !== undefined ? { minMessages: s.minMessages } : {}) })),
  guardrails: r.guardrails as unknown as Record<string, unknown>, haltedReason: r.haltedReason, stageStartedAt: iso(r.stageStartedAt)!, startedAt: iso(r.startedAt)!, updatedAt: iso(r.updatedAt)!,
});

const NameParams = Type.Object({ name: Type.String() });

function checkIntentContent(text: string | null | undefined, template: TemplateBinding | null | undefined) {
  if (!text && !template) throw new ParleyError('INTENT_INVALID', { message: 'An intent needs a text (open window), a template (closed window), or both.', field: '/text' });
}

// Intents, their A/B variants and canary rollouts (M1.2, M3).
export async function intentRoutes(app: ParleyApp, ctx: ParleyContext) {
  const load = async (workspaceId: string, name: string) => {
    const intent = await getIntentByName(ctx.db, workspaceId, name);
    if (!intent) throw new ParleyError('INTENT_NOT_FOUND', { details: { name } });
    return intent;
  };

  app.get('/v1/intents', {
    config: { permission: 'templates.read' },
    schema: { tags, summary: 'List intents.', security, response: { 200: Type.Object({ data: Type.Array(IntentSchema) }) } },
  }, async (request) => ({ data: (await listIntents(ctx.db, request.principal!.workspaceId)).map(presentIntent) }));

  const IntentContent = {
    description: Type.Optional(Nullable(MultilineText({ maxLength: 500 }))),
    text: Type.Optional(Nullable(MultilineText({ minLength: 1, maxLength: 4096, description: 'Free-form text with {{param}} placeholders, sent while the 24-hour window is open.' }))),
    template: Type.Optional(Nullable(BindingSchema)),
  };
  app.post('/v1/intents', {
    config: { permission: 'templates.write', audit: 'intent.created' },
    schema: {
      tags, summary: 'Create an intent: a text for an open window and/or a template (per language) for a closed one.', security,
      body: Type.Object({ name: Type.String({ pattern: INTENT_NAME, description: 'e.g. order_shipped' }), ...IntentContent }, { additionalProperties: false }),
      response: { 201: IntentSchema },
    },
  }, async (request, reply) => {
    checkIntentContent(request.body.text, request.body.template);
    const intent = await insertIntent(ctx.db, request.principal!.workspaceId, request.body, ctx.clock.now());
    if (!intent) throw new ParleyError('INTENT_EXISTS', { details: { name: request.body.name } });
    request.audit({ id: intent.id, diff: { name: { to: intent.name } } });
    return reply.status(201).send(presentIntent(intent));
  });

  app.get('/v1/intents/:name', {
    config: { permission: 'templates.read' },
    schema: { tags, summary: 'One intent.', security, params: NameParams, response: { 200: IntentSchema } },
  }, async (request) => presentIntent(await load(request.principal!.workspaceId, request.params.name)));

  app.put('/v1/intents/:name', {
    config: { permission: 'templates.write', audit: 'intent.updated' },
    schema: { tags, summary: 'Update an intent’s description, text or template.', security, params: NameParams, body: Type.Object(IntentContent, { additionalProperties: false }), response: { 200: IntentSchema } },
  }, async (request) => {
    const intent = await load(request.principal!.workspaceId, request.params.name);
    request.audit({ id: intent.id, diff: { name: { to: intent.name } } });
    const next = { text: request.body.text === undefined ? intent.text : request.body.text, template: request.body.template === undefined ? intent.template : (request.body.template as TemplateBinding | null) };
    checkIntentContent(next.text, next.template);
    return presentIntent(await updateIntent(ctx.db, intent, { description: request.body.description === undefined ? intent.description : request.body.description, ...next }, ctx.clock.now()));
  });

  app.delete('/v1/intents/:name', {
    config: { permission: 'templates.write', audit: 'intent.deleted' },
    schema: { tags, summary: 'Delete an intent with its variants and rollouts.', security, params: NameParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const intent = await load(request.principal!.workspaceId, request.params.name);
    await deleteIntent(ctx.db, intent);
    request.audit({ id: intent.id, diff: { name: { from: intent.name } } });
    return reply.status(204).send(null);
  });

  app.post('/v1/intents/:name/resolve', {
    config: { permission: 'templates.read', audit: { unaudited: 'resolving an intent shows which variant a send would use and changes nothing' } },
    schema: {
      tags, summary: 'Dry run: what would be sent for this intent to this contact now, and why (the outbound pipeline asks the same).', security, params: NameParams,
      body: Type.Object({
        senderId: Type.String(), contactId: Type.String(), contactLanguage: Type.Optional(Nullable(Type.String())),
        params: Type.Optional(Type.Record(Type.String(), Json)), windowOpen: Type.Boolean(),
      }, { additionalProperties: false }),
      response: { 200: JsonObject },
    },
  }, async (request) => {
    const workspaceId = request.principal!.workspaceId;
    if (!(await senderExists(ctx.db, workspaceId, request.body.senderId))) throw new ParleyError('NOT_FOUND', { message: `No sender ${request.body.senderId} in this workspace.`, field: '/senderId' });
    await load(workspaceId, request.params.name);
    const result = await resolveIntent(ctx, { workspaceId, senderId: request.body.senderId, contactId: request.body.contactId, contactLanguage: request.body.contactLanguage, intent: request.params.name, params: request.body.params ?? {}, windowOpen: request.body.windowOpen });
    return result as unknown as Record<string, unknown>;
  });

  app.get('/v1/intents/:name/variants', {
    config: { permission: 'templates.read' },
    schema: { tags, summary: 'The intent’s A/B variants.', security, params: NameParams, response: { 200: Type.Object({ data: Type.Array(VariantSchema) }) } },
  }, async (request) => ({ data: (await listVariants(ctx.db, (await load(request.principal!.workspaceId, request.params.name)).id)).map(presentVariant) }));

  app.post('/v1/intents/:name/variants', {
    config: { permission: 'templates.write', audit: 'intent_variant.created' },
    schema: {
      tags, summary: 'Add a variant: its own text and/or template, and a weight. Exactly one variant is the control.', security, params: NameParams,
      body: Type.Object({
        name: Type.String({ pattern: '^[A-Za-z0-9_.-]{1,50}$' }),
        weight: Type.Integer({ minimum: 0, maximum: 10_000 }),
        isControl: Type.Optional(Type.Boolean()),
        text: Type.Optional(Nullable(MultilineText({ minLength: 1, maxLength: 4096 }))),
        template: Type.Optional(Nullable(BindingSchema)),
      }, { additionalProperties: false }),
      response: { 201: VariantSchema },
    },
  }, async (request, reply) => {
    const intent = await load(request.principal!.workspaceId, request.params.name);
    const existing = await listVariants(ctx.db, intent.id);
    const isControl = request.body.isControl ?? existing.length === 0;
    if (isControl && existing.some((v) => v.isControl)) throw new ParleyError('VARIANT_INVALID', { message: 'This intent already has a control variant.', field: '/isControl' });
    const variant = await insertVariant(ctx.db, intent, { ...request.body, isControl }, ctx.clock.now());
    if (!variant) throw new ParleyError('VARIANT_EXISTS', { details: { name: request.body.name } });
    request.audit({ id: variant.id, diff: { intentId: { to: intent.id }, name: { to: request.body.name }, isControl: { to: isControl } } });
    return reply.status(201).send(presentVariant(variant));
  });

  app.patch('/v1/intents/:name/variants/:variantId', {
    config: { permission: 'templates.write', audit: 'intent_variant.updated' },
    schema: {
      tags, summary: 'Change a variant’s weight or content, or halt or reactivate it.', security, params: Type.Object({ name: Type.String(), variantId: Type.String() }),
      body: Type.Object({
        weight: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })), text: Type.Optional(Nullable(MultilineText({ minLength: 1, maxLength: 4096 }))), template: Type.Optional(Nullable(BindingSchema)),
        state: Type.Optional(StringEnum(['active', 'halted'])), reason: Type.Optional(Type.String({ maxLength: 500 })),
      }, { additionalProperties: false }),
      response: { 200: VariantSchema },
    },
  }, async (request) => {
    const intent = await load(request.principal!.workspaceId, request.params.name);
    const variant = await getVariant(ctx.db, intent.id, request.params.variantId);
    if (!variant) throw new ParleyError('VARIANT_NOT_FOUND');
    if (request.body.state === 'halted' && variant.isControl) throw new ParleyError('VARIANT_INVALID', { message: 'The control cannot be halted; halt the other variants instead.', field: '/state' });
    const { reason, ...patch } = request.body;
    request.audit({ id: variant.id, diff: { intentId: { to: intent.id }, ...Object.fromEntries(Object.entries(patch).map(([field, to]) => [field, { to }])) } });
    return presentVariant(await updateVariant(ctx.db, variant, { ...(patch as Record<string, unknown>), haltedReason: reason ?? 'halted by hand' } as Parameters<typeof updateVariant>[2], ctx.clock.now()));
  });

  app.get('/v1/intents/:name/rollouts', {
    config: { permission: 'templates.read' },
    schema: { tags, summary: 'The intent’s rollouts, oldest first.', security, params: NameParams, response: { 200: Type.Object({ data: Type.Array(RolloutSchema) }) } },
  }, async (request) => ({ data: (await listRollouts(ctx.db, (await load(request.principal!.workspaceId, request.params.name)).id)).map(presentRollout) }));

  app.post('/v1/intents/:name/rollouts', {
    config: { permission: 'templates.write', audit: 'intent_rollout.created' },
    schema: {
      tags, summary: 'Start a canary rollout of a variant (e.g. 1% → 10% → 50% → 100%) guarded against the control.', security, params: NameParams,
      body: Type.Object({ variantId: Type.String(), stages: Type.Array(StageSchema, { minItems: 1, maxItems: 20 }), guardrails: Type.Optional(GuardrailsSchema) }, { additionalProperties: false }),
      response: { 201: RolloutSchema },
    },
  }, async (request, reply) => {
    const intent = await load(request.principal!.workspaceId, request.params.name);
    const variants = await listVariants(ctx.db, intent.id);
    const variant = variants.find((v) => v.id === request.body.variantId);
    if (!variant) throw new ParleyError('VARIANT_NOT_FOUND', { field: '/variantId' });
    if (variant.isControl) throw new ParleyError('ROLLOUT_INVALID', { message: 'The control is what a rollout is compared with; roll out another variant.', field: '/variantId' });
    if (variant.state !== 'active') throw new ParleyError('ROLLOUT_INVALID', { message: 'The variant is halted; reactivate it first.', field: '/variantId' });
    if (!variants.some((v) => v.isControl && v.state === 'active')) throw new ParleyError('ROLLOUT_INVALID', { message: 'The intent needs an active control variant to compare with.', field: '/variantId' });
    if ((await listRollouts(ctx.db, intent.id)).some((r) => r.state === 'running')) throw new ParleyError('ROLLOUT_RUNNING');
    const stages: RolloutStage[] = request.body.stages.map((s) => ({ percent: s.percent, ...(s.holdMinutes !== undefined ? { holdMs: Math.round(s.holdMinutes * 60_000) } : {}), ...(s.minMessages !== undefined ? { minMessages: s.minMessages } : {}) }));
    const problem = scheduleProblem(stages);
    if (problem) throw new ParleyError('ROLLOUT_INVALID', { message: problem, field: '/stages' });
    const guardrails: Guardrails = { ...DEFAULT_GUARDRAILS, ...request.body.guardrails };
    const rollout = await insertRollout(ctx.db, { intentId: intent.id, workspaceId: intent.workspaceId, variantId: variant.id, stages, guardrails }, ctx.clock.now());
    request.audit({ id: rollout.id, diff: { intentId: { to: intent.id }, variantId: { to: variant.id }, stages: { to: stages } } });
    return reply.status(201).send(presentRollout(rollout));
  });

  app.post('/v1/intents/:name/rollouts/:rolloutId/halt', {
    preValidation: emptyBodyAsObject,
    config: { permission: 'templates.write', audit: 'intent_rollout.halted' },
    schema: {
      tags, summary: 'Halt a running rollout by hand; its variant stops receiving traffic.', security, params: Type.Object({ name: Type.String(), rolloutId: Type.String() }),
      body: Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: { 200: RolloutSchema },
    },
  }, async (request) => {
    const intent = await load(request.principal!.workspaceId, request.params.name);
    const rollout = await getRollout(ctx.db, intent.id, request.params.rolloutId);
    if (!rollout) throw new ParleyError('ROLLOUT_NOT_FOUND');
    request.audit({ id: rollout.id, diff: { state: { from: rollout.state, to: 'halted' } } });
    const halted = await ctx.db.transaction().execute((trx) => finishRollout(trx, rollout, { state: 'halted', reason: request.body.reason ?? 'halted by hand' }, ctx.clock.now()));
    if (!halted) {
      throw new ParleyError('CONFLICT', { message: `The rollout is already ${rollout.state}.` });
    }
    return presentRollout((await getRollout(ctx.db, intent.id, rollout.id))!);
  });

  const Counts = Type.Object({ sent: Type.Integer(), delivered: Type.Integer(), read: Type.Integer(), replied: Type.Integer(), failed: Type.Integer(), optedOut: Type.Integer() });
  app.get('/v1/intents/:name/results', {
    config: { permission: 'templates.read' },
    schema: {
      tags, summary: 'Results per variant: sent, delivered, read, replied, failed, opted out, with rates.', security, params: NameParams,
      querystring: Type.Object({ since: Type.Optional(Type.String({ format: 'date-time', description: 'Count messages created from this time (default: all).' })) }),
      response: {
        200: Type.Object({
          data: Type.Array(Type.Object({
            variantId: Type.String(), name: Type.String(), isControl: Type.Boolean(), state: Type.String(), counts: Counts,
            rates: Type.Object({ failureRate: Type.Number(), optOutRate: Type.Number(), readRate: Type.Number(), replyRate: Type.Number() }),
          })),
        }),
      },
    },
  }, async (request) => {
    const intent = await load(request.principal!.workspaceId, request.params.name);
    const counts = await variantCounts(ctx, intent, request.query.since ? Date.parse(request.query.since) : 0);
    const variants = await listVariants(ctx.db, intent.id);
    return { data: variants.map((v) => { const c = counts.get(v.id) ?? ZERO_COUNTS; return { variantId: v.id, name: v.name, isControl: v.isControl, state: v.state, counts: c, rates: ratesOf(c) }; }) };
  });
}
