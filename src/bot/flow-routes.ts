import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { INT32_MAX, MultilineText } from '../http/schemas.js';
import { auditDiff, auditRef } from '../access/audit-port.js';
import { newId } from '../shared/ids.js';
import { FlowDefinition } from './flow-schema.js';
import { validateFlow } from './validate-flow.js';
import { simulate } from './simulate.js';
import { createFlow, getVersion, listAssignments, listFlows, listVersions, publishVersion, replaceWebhookSecret, saveDraft, versionInfo, type StoredFlow } from './flow-store.js';
import { lookUpFlows } from './flow-lookup.js';
import {
  AnyDefinitionBody, CreatedFlowView, DRAFT_BODY_LIMIT, DraftBody, FlowSummaryView, FlowView, ProblemsView, VersionDefinitionView, VersionView,
  draftDigest, presentFlow, presentSummary, presentVersion, publisherOf, refuseDeepNesting,
} from './flow-views.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const IdParams = Type.Object({ id: Id });
const SecretView = Type.Object({ webhookSecret: Type.String({ description: 'Shown only now: the previous secret stops signing at once.' }) });

/** A new webhook secret: 32 random bytes, base64url. */
const newWebhookSecret = () => randomBytes(32).toString('base64url');

/**
 * Bot flows (M4): drafts are saved as they are (an author saves work in progress), checked on demand
 * and on publication; a publication is an immutable, numbered version. Each flow has its own secret
 * that signs its business webhook calls, shown once, at creation and at each rotation. Reading needs
 * `flows.read`, every change `flows.manage`; a flow of another workspace is not found, whatever the
 * body says.
 */
export async function flowRoutes(app: ParleyApp, ctx: ParleyContext) {
  const security = [{ apiKey: [] }];
  const tags = ['bot'];

  // The workspace's flow named by `:id`, or 404 before anything else is looked at.
  const flowOf = lookUpFlows(app, ctx);
  const detail = async (flow: StoredFlow) => presentFlow(flow, validateFlow(flow.draft), await listAssignments(ctx.db, flow.workspaceId, { flowId: flow.id }));

  app.get('/v1/flows/schema', {
    config: { permission: 'flows.read' },
    schema: { tags, summary: 'The JSON Schema of a flow definition (its shape; `validate` also checks edges, reachability, loops and Meta\'s limits).', security, response: { 200: Type.Unknown() } },
  }, async () => FlowDefinition);

  app.post('/v1/flows/validate', {
    config: { permission: 'flows.read', audit: { unaudited: 'checks a definition it is sent and stores nothing' } },
    bodyLimit: DRAFT_BODY_LIMIT,
    schema: { tags, summary: 'Check a flow definition without saving it: every problem, naming the node and the field (200 even with problems).', security, body: AnyDefinitionBody, response: { 200: ProblemsView } },
  }, async (request) => {
    refuseDeepNesting(request.body.definition);
    return { problems: validateFlow(request.body.definition) };
  });

  app.get('/v1/flows', {
    config: { permission: 'flows.read' },
    schema: { tags, summary: 'The workspace\'s flows by name.', security, response: { 200: Type.Object({ data: Type.Array(FlowSummaryView) }) } },
  }, async (request) => ({ data: (await listFlows(ctx.db, request.principal!.workspaceId)).map(presentSummary) }));

  app.post('/v1/flows', {
    config: { permission: 'flows.manage', audit: 'flow.created' },
    bodyLimit: DRAFT_BODY_LIMIT,
    schema: {
      tags,
      summary: 'Create a flow from its draft (its name is the draft\'s `name`); the answer shows its webhook secret, once, and what stops the draft from being published.',
      security,
      body: DraftBody,
      response: { 201: CreatedFlowView },
    },
  }, async (request, reply) => {
    const workspaceId = request.principal!.workspaceId;
    const draft = request.body.definition;
    refuseDeepNesting(draft);
    const secret = newWebhookSecret();
    const now = ctx.clock.now();
    const flow = await createFlow(ctx.db, { id: newId('flw', now), workspaceId, name: draft.name, draft, sealedSecret: await ctx.keyring.encrypt(workspaceId, secret), now });
    const resource = { type: 'flow', id: flow.id };
    request.audit({ id: flow.id, diff: { ...auditDiff(resource, undefined, { name: flow.name, draft: draftDigest(draft) }), webhookSecret: auditRef(resource, 'webhookSecret') } });
    return reply.status(201).send({ ...presentFlow(flow, validateFlow(draft), []), webhookSecret: secret });
  });

  app.get('/v1/flows/:id', {
    config: { permission: 'flows.read' },
    schema: { tags, summary: 'A flow: its draft, what stops it from being published, its latest version and where it answers.', security, params: IdParams, response: { 200: FlowView } },
  }, async (request) => detail(flowOf(request)));

  app.put('/v1/flows/:id', {
    config: { permission: 'flows.manage', audit: 'flow.updated' },
    bodyLimit: DRAFT_BODY_LIMIT,
    schema: { tags, summary: 'Replace the draft (published versions are untouched; customers meet the new draft once it is published).', security, params: IdParams, body: DraftBody, response: { 200: FlowView } },
  }, async (request) => {
    const before = flowOf(request);
    const draft = request.body.definition;
    refuseDeepNesting(draft);
    const after = await saveDraft(ctx.db, before.workspaceId, before.id, draft.name, draft, ctx.clock.now());
    request.audit({ diff: auditDiff({ type: 'flow', id: before.id }, { name: before.name, draft: draftDigest(before.draft) }, { name: after.name, draft: draftDigest(draft) }) });
    return detail(after);
  });

  app.post('/v1/flows/:id/validate', {
    config: { permission: 'flows.read', audit: { unaudited: 'checks the saved draft and changes nothing' } },
    schema: { tags, summary: 'Check the saved draft: every problem, naming the node and the field (200 even with problems).', security, params: IdParams, response: { 200: ProblemsView } },
  }, async (request) => ({ problems: validateFlow(flowOf(request).draft) }));

  app.post('/v1/flows/:id/publish', {
    config: { permission: 'flows.manage', audit: 'flow.published' },
    schema: {
      tags,
      summary: 'Publish the draft as the next version, which never changes; a draft with problems is refused (400 FLOW_INVALID, each problem in `details.problems`).',
      security,
      params: IdParams,
      response: { 201: Type.Object({ version: Type.Integer() }) },
    },
  }, async (request, reply) => {
    const p = request.principal!;
    const flow = flowOf(request);
    const problems = validateFlow(flow.draft);
    if (problems.length) throw new ParleyError('FLOW_INVALID', { details: { problems } });
    const version = await publishVersion(ctx.db, { workspaceId: p.workspaceId, flowId: flow.id, definition: flow.draft as FlowDefinition, by: publisherOf(p), now: ctx.clock.now() });
    request.audit({ diff: { version: { from: flow.latestVersion, to: version }, draft: { to: draftDigest(flow.draft) } } });
    return reply.status(201).send({ version });
  });

  app.post('/v1/flows/:id/simulate', {
    config: { permission: 'flows.read', audit: { unaudited: 'plays a script against a flow with a fake clock and stores nothing' } },
    schema: {
      tags,
      summary: 'Play a dialogue script (docs/bot-flows.md) against the draft, or a published `version`, with a fake clock: the transcript and the expectations that did not hold. Nothing is sent and nothing is stored.',
      security,
      params: IdParams,
      body: Type.Object({
        script: MultilineText({ minLength: 1, maxLength: 65_536, description: 'The dialogue: `customer: ...`, `customer taps: <id>`, `bot: <expected text>`, `webhook <node>: {...}`, `expect ...`, headers such as `language: pt_BR`.' }),
        version: Type.Optional(Type.Integer({ minimum: 1, maximum: INT32_MAX, description: 'A published version; the draft when absent.' })),
        now: Type.Optional(Type.String({ format: 'date-time', description: 'The fake clock\'s start, unless the script\'s `start:` says; now when absent.' })),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          passed: Type.Boolean(),
          transcript: Type.Array(Type.String()),
          failures: Type.Array(Type.Object({ line: Type.Integer(), message: Type.String() })),
          vars: Type.Record(Type.String(), Type.Unknown(), { description: 'What the flow collected by the end.' }),
        }),
      },
    },
  }, async (request) => {
    const workspaceId = request.principal!.workspaceId;
    const flow = flowOf(request);
    const { script, version } = request.body;
    let definition: FlowDefinition | undefined;
    if (version !== undefined) {
      definition = await getVersion(ctx.db, workspaceId, flow.id, version);
      if (!definition) throw new ParleyError('FLOW_VERSION_NOT_FOUND', { field: '/version' });
    } else {
      const problems = validateFlow(flow.draft);
      if (problems.length) throw new ParleyError('FLOW_INVALID', { details: { problems } });
      definition = flow.draft as FlowDefinition;
    }
    const result = simulate(definition, script, { now: request.body.now ?? new Date(ctx.clock.now()).toISOString() });
    if (!result.ok) throw new ParleyError('FLOW_SCRIPT_INVALID', { field: '/script', details: { problems: result.scriptErrors } });
    return { passed: result.failures.length === 0, transcript: result.transcript, failures: result.failures, vars: result.finalSession.vars };
  });

  app.get('/v1/flows/:id/versions', {
    config: { permission: 'flows.read' },
    schema: { tags, summary: 'The flow\'s published versions, newest first.', security, params: IdParams, response: { 200: Type.Object({ data: Type.Array(VersionView) }) } },
  }, async (request) => {
    const flow = flowOf(request);
    return { data: (await listVersions(ctx.db, flow.workspaceId, flow.id)).map(presentVersion) };
  });

  app.get('/v1/flows/:id/versions/:version', {
    config: { permission: 'flows.read' },
    schema: {
      tags,
      summary: 'A published version and its definition.',
      security,
      params: Type.Object({ id: Id, version: Type.Integer({ minimum: 1, maximum: INT32_MAX }) }),
      response: { 200: VersionDefinitionView },
    },
  }, async (request) => {
    const flow = flowOf(request);
    const [info, definition] = await Promise.all([versionInfo(ctx.db, flow.workspaceId, flow.id, request.params.version), getVersion(ctx.db, flow.workspaceId, flow.id, request.params.version)]);
    if (!info || !definition) throw new ParleyError('FLOW_VERSION_NOT_FOUND');
    return { ...presentVersion(info), definition };
  });

  app.post('/v1/flows/:id/webhook-secret/rotate', {
    config: { permission: 'flows.manage', audit: 'flow.webhook_secret_rotated' },
    schema: { tags, summary: 'Replace the secret that signs the flow\'s business webhook calls; the new one is shown once.', security, params: IdParams, response: { 200: SecretView } },
  }, async (request) => {
    const flow = flowOf(request);
    const secret = newWebhookSecret();
    if (!(await replaceWebhookSecret(ctx.db, flow.workspaceId, flow.id, await ctx.keyring.encrypt(flow.workspaceId, secret), ctx.clock.now()))) throw new ParleyError('FLOW_NOT_FOUND');
    request.audit({ diff: { webhookSecret: auditRef({ type: 'flow', id: flow.id }, 'webhookSecret') } });
    return { webhookSecret: secret };
  });
}
