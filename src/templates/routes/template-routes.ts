import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../../http/types.js';
import type { ParleyContext } from '../../runtime/context.js';
import { ParleyError, isParleyError } from '../../errors/parley-error.js';
import { INT32_MAX, MultilineText, Nullable, PageQuery, Timestamp, iso } from '../../http/schemas.js';
import { createTemplate, addVersion } from '../authoring/create-template.js';
import { canonicalLanguage, type TemplateInput, type VersionInput } from '../authoring/template-input.js';
import { listAlerts } from '../alerts/alert-queries.js';
import { lintOptionsFrom } from '../lint/lint-options.js';
import { lintTemplate } from '../lint/run-lint.js';
import { buildMatrix } from '../localisation/matrix.js';
import { getTemplateSettings, setTemplateSettings } from '../localisation/template-settings.js';
import { connectionForWaba } from '../provider/waba-connection.js';
import { bindParameters } from '../../template-text/bind-parameters.js';
import { renderCloudTemplate } from '../../template-text/cloud-template.js';
import type { RenderableTemplate, TemplateParams } from '../../template-text/params.js';
import { renderTemplateText, renderUltraMsgMessage } from '../../template-text/ultramsg-message.js';
import { deleteTemplateRows, setBackup, versionNumbers } from '../store/template-admin.js';
import { getTemplate, getVersion, getVersionById, listAllTemplates, listStatusEvents, listTemplates, listVersions } from '../store/template-queries.js';
import type { Backup, Template } from '../store/template-records.js';
import { reconcileAll } from '../sync/reconcile.js';
import type { TemplateBody } from '../../template-text/template-shape.js';
import { reviewVersion } from '../approval/review-version.js';
import { submitVersion } from '../approval/submit-version.js';
import { presentTemplate, presentVersion } from './present.js';
import {
  BackupSchema, FindingSchema, IdParams, emptyBodyAsObject, Json, JsonObject, TemplateCreateBody, TemplateParamsSchema, TemplateSchema, VersionCreateBody, VersionParams, VersionSchema, security,
} from './schemas.js';

const tags = ['templates'];

/** The audit entry of a change to one version of a template: the version named by its template and number. */
const versionAudit = (templateId: string, number: number) => ({ resource: { type: 'template_version', id: `${templateId}/${number}` }, diff: { templateId: { to: templateId }, number: { to: number } } });

// Template authoring, review, submission, status, localisation and alerts (M3).
export async function templateRoutes(app: ParleyApp, ctx: ParleyContext) {
  const present = async (t: Template) => presentTemplate(t, await versionNumbers(ctx.db, t));
  const load = async (workspaceId: string, id: string) => {
    const t = await getTemplate(ctx.db, workspaceId, id);
    if (!t) throw new ParleyError('TEMPLATE_NOT_FOUND', { details: { id } });
    return t;
  };

  app.get('/v1/templates', {
    config: { permission: 'templates.read' },
    schema: {
      tags, summary: 'List templates (one per name and language and WABA).', security,
      querystring: Type.Composite([PageQuery, Type.Object({ wabaId: Type.Optional(Type.String()), name: Type.Optional(Type.String()), language: Type.Optional(Type.String()), status: Type.Optional(Type.String({ description: 'Provider status, e.g. APPROVED or PAUSED.' })) })]),
      response: { 200: Type.Object({ data: Type.Array(TemplateSchema), nextCursor: Nullable(Type.String()) }) },
    },
  }, async (request) => {
    const q = request.query;
    const limit = q.limit ?? 50;
    const rows = await listTemplates(ctx.db, request.principal!.workspaceId, { wabaId: q.wabaId, name: q.name, language: q.language ? canonicalLanguage(q.language) : undefined, providerStatus: q.status, limit, after: q.cursor });
    return { data: await Promise.all(rows.map(present)), nextCursor: rows.length === limit ? rows.at(-1)!.id : null };
  });

  app.post('/v1/templates', {
    config: { permission: 'templates.write', audit: 'template.created' },
    schema: {
      tags, summary: 'Create a template with its first version (a draft). Lint findings come back with it.', security,
      body: TemplateCreateBody,
      response: { 201: Type.Object({ template: TemplateSchema, version: VersionSchema }) },
    },
  }, async (request, reply) => {
    const { template, version } = await createTemplate(ctx.db, request.principal!.workspaceId, request.body as unknown as TemplateInput, { authorKeyId: request.principal!.actor.id, now: ctx.clock.now(), lint: lintOptionsFrom(ctx.config) });
    request.audit({ id: template.id, diff: { name: { to: template.name }, language: { to: template.language }, wabaId: { to: template.wabaId }, version: { to: version.number } } });
    return reply.status(201).send({ template: await present(template), version: presentVersion(version) });
  });

  app.post('/v1/templates/lint', {
    config: { permission: 'templates.read', audit: { unaudited: 'a lint checks a body and changes nothing' } },
    schema: {
      tags, summary: 'Lint a template in Meta’s create-body shape without saving it.', security,
      body: Type.Object({ name: Json, language: Json, category: Json, components: Json }, { additionalProperties: true }),
      response: { 200: Type.Object({ ok: Type.Boolean({ description: 'No errors (warnings still need acknowledging at submission).' }), findings: Type.Array(FindingSchema) }) },
    },
  }, async (request) => {
    const findings = lintTemplate(request.body as unknown as TemplateBody, lintOptionsFrom(ctx.config));
    return { ok: !findings.some((f) => f.severity === 'error'), findings };
  });

  app.get('/v1/templates/matrix', {
    config: { permission: 'templates.read' },
    schema: {
      tags, summary: 'The localisation matrix: every template’s languages, with missing required languages flagged.', security,
      response: {
        200: Type.Object({
          requiredLanguages: Type.Array(Type.String()),
          fallbackLanguage: Nullable(Type.String()),
          templates: Type.Array(Type.Object({
            wabaId: Type.String(), name: Type.String(), category: Type.String(),
            languages: Type.Array(Type.Object({ language: Type.String(), templateId: Type.String(), status: Type.String(), sendable: Type.Boolean() })),
            missing: Type.Array(Type.String()), notSendable: Type.Array(Type.String()),
          })),
        }),
      },
    },
  }, async (request) => {
    const settings = await getTemplateSettings(ctx.db, request.principal!.workspaceId);
    return { ...settings, templates: buildMatrix(await listAllTemplates(ctx.db, request.principal!.workspaceId), settings.requiredLanguages) };
  });

  const Settings = Type.Object({ requiredLanguages: Type.Array(Type.String()), fallbackLanguage: Nullable(Type.String()) });
  app.get('/v1/templates/settings', {
    config: { permission: 'templates.read' },
    schema: { tags, summary: 'The workspace’s required and fallback template languages.', security, response: { 200: Settings } },
  }, async (request) => getTemplateSettings(ctx.db, request.principal!.workspaceId));

  app.put('/v1/templates/settings', {
    config: { permission: 'templates.settings', audit: 'template_settings.updated' },
    schema: {
      tags, summary: 'Set the required languages (matrix) and the fallback language (sends).', security,
      body: Type.Object({ requiredLanguages: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })), fallbackLanguage: Type.Optional(Nullable(Type.String())) }, { additionalProperties: false }),
      response: { 200: Settings },
    },
  }, async (request) => {
    const settings = await setTemplateSettings(ctx.db, request.principal!.workspaceId, request.body);
    request.audit({ resource: { type: 'template_settings', id: null }, diff: { settings: { to: request.body } } });
    return settings;
  });

  app.get('/v1/templates/alerts', {
    config: { permission: 'templates.read' },
    schema: {
      tags, summary: 'Alerts: templates paused, disabled, rejected or reinstated; quality drops; variants halted; rollouts completed. Newest first.', security,
      querystring: Type.Composite([PageQuery, Type.Object({ type: Type.Optional(Type.String()) })]),
      response: { 200: Type.Object({ data: Type.Array(Type.Object({ id: Type.String(), type: Type.String(), templateId: Nullable(Type.String()), intentId: Nullable(Type.String()), data: JsonObject, createdAt: Timestamp() })), nextCursor: Nullable(Type.String()) }) },
    },
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    const rows = await listAlerts(ctx.db, request.principal!.workspaceId, { limit, before: request.query.cursor, type: request.query.type });
    return { data: rows.map((a) => ({ ...a, createdAt: iso(a.createdAt)! })), nextCursor: rows.length === limit ? rows.at(-1)!.id : null };
  });

  app.post('/v1/templates/sync', {
    preValidation: emptyBodyAsObject,
    config: { permission: 'templates.write', audit: 'template.synced' },
    schema: {
      tags, summary: 'Reconcile now with the provider: statuses, quality, and templates created outside Parley.', security,
      body: Type.Object({ wabaId: Type.Optional(Type.String()) }, { additionalProperties: false }),
      response: { 200: Type.Object({ data: Type.Array(Type.Object({ wabaId: Type.String(), checked: Type.Integer(), updated: Type.Integer(), imported: Type.Integer(), error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })) })) }) },
    },
  }, async (request) => {
    const reports = await reconcileAll(ctx, { workspaceId: request.principal!.workspaceId, wabaId: request.body.wabaId });
    request.audit({ resource: { type: 'template', id: null }, diff: { wabaIds: { to: reports.map((r) => r.wabaId) } } });
    return { data: reports.map(({ workspaceId: _w, ...r }) => r) };
  });

  app.get('/v1/templates/:id', {
    config: { permission: 'templates.read' },
    schema: {
      tags, summary: 'One template with its live and latest versions and its provider status history.', security, params: IdParams,
      response: {
        200: Type.Object({
          template: TemplateSchema,
          liveVersion: Nullable(VersionSchema),
          latestVersion: VersionSchema,
          statusHistory: Type.Array(Type.Object({ status: Type.String(), reason: Nullable(Type.String()), source: Type.String(), detail: JsonObject, at: Timestamp() })),
        }),
      },
    },
  }, async (request) => {
    const t = await load(request.principal!.workspaceId, request.params.id);
    const live = t.liveVersionId ? await getVersionById(ctx.db, t.liveVersionId) : undefined;
    const latest = (await getVersion(ctx.db, t.id, t.latestVersion))!;
    const history = await listStatusEvents(ctx.db, t.id);
    return { template: await present(t), liveVersion: live ? presentVersion(live) : null, latestVersion: presentVersion(latest), statusHistory: history.map((h) => ({ ...h, at: iso(h.at)! })) };
  });

  app.delete('/v1/templates/:id', {
    config: { permission: 'templates.write', audit: 'template.deleted' },
    schema: { tags, summary: 'Delete the template at the provider (this translation only) and in Parley.', security, params: IdParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const t = await load(request.principal!.workspaceId, request.params.id);
    if (t.providerTemplateId && t.providerStatus !== 'DELETED') {
      await (await connectionForWaba(ctx, t.workspaceId, t.wabaId)).delete({ name: t.name, hsmId: t.providerTemplateId });
    }
    await deleteTemplateRows(ctx.db, t);
    request.audit({ diff: { name: { from: t.name }, language: { from: t.language } } });
    return reply.status(204).send(null);
  });

  app.get('/v1/templates/:id/versions', {
    config: { permission: 'templates.read' },
    schema: { tags, summary: 'Every version of a template, oldest first, each with its diff from the one before.', security, params: IdParams, response: { 200: Type.Object({ data: Type.Array(VersionSchema) }) } },
  }, async (request) => {
    const t = await load(request.principal!.workspaceId, request.params.id);
    return { data: (await listVersions(ctx.db, t.id)).map(presentVersion) };
  });

  app.post('/v1/templates/:id/versions', {
    config: { permission: 'templates.write', audit: 'template_version.created' },
    schema: { tags, summary: 'Edit a template: a new draft version with its diff and lint findings.', security, params: IdParams, body: VersionCreateBody, response: { 201: VersionSchema } },
  }, async (request, reply) => {
    const t = await load(request.principal!.workspaceId, request.params.id);
    const version = await addVersion(ctx.db, t, request.body as unknown as VersionInput, { authorKeyId: request.principal!.actor.id, now: ctx.clock.now(), lint: lintOptionsFrom(ctx.config) });
    request.audit(versionAudit(t.id, version.number));
    return reply.status(201).send(presentVersion(version));
  });

  app.get('/v1/templates/:id/versions/:number', {
    config: { permission: 'templates.read' },
    schema: { tags, summary: 'One version with its diff and lint findings.', security, params: VersionParams, response: { 200: VersionSchema } },
  }, async (request) => {
    const t = await load(request.principal!.workspaceId, request.params.id);
    const v = await getVersion(ctx.db, t.id, request.params.number);
    if (!v) throw new ParleyError('TEMPLATE_VERSION_NOT_FOUND');
    return presentVersion(v);
  });

  const ReviewBody = Type.Object({ note: Type.Optional(MultilineText({ maxLength: 2000 })) }, { additionalProperties: false });
  app.post('/v1/templates/:id/versions/:number/approve', {
    preValidation: emptyBodyAsObject,
    config: { permission: 'templates.write', audit: 'template_version.approved' },
    schema: { tags, summary: 'Internal review: approve a draft. The author’s own API key cannot.', security, params: VersionParams, body: ReviewBody, response: { 200: VersionSchema } },
  }, async (request) => {
    const t = await load(request.principal!.workspaceId, request.params.id);
    request.audit(versionAudit(t.id, request.params.number));
    return presentVersion(await reviewVersion(ctx.db, t, request.params.number, { outcome: 'approve', reviewerKeyId: request.principal!.actor.id, note: request.body.note, now: ctx.clock.now() }));
  });

  app.post('/v1/templates/:id/versions/:number/request-changes', {
    preValidation: emptyBodyAsObject,
    config: { permission: 'templates.write', audit: 'template_version.changes_requested' },
    schema: { tags, summary: 'Internal review: send a draft back with a note.', security, params: VersionParams, body: ReviewBody, response: { 200: VersionSchema } },
  }, async (request) => {
    const t = await load(request.principal!.workspaceId, request.params.id);
    request.audit(versionAudit(t.id, request.params.number));
    return presentVersion(await reviewVersion(ctx.db, t, request.params.number, { outcome: 'request_changes', reviewerKeyId: request.principal!.actor.id, note: request.body.note, now: ctx.clock.now() }));
  });

  app.post('/v1/templates/:id/versions/:number/submit', {
    preValidation: emptyBodyAsObject,
    config: { permission: 'templates.submit', audit: 'template_version.submitted' },
    schema: {
      tags, summary: 'Submit an approved version to the provider. Lint errors refuse; warnings must be acknowledged by rule id.', security, params: VersionParams,
      body: Type.Object({ acknowledgedWarnings: Type.Optional(Type.Array(Type.String(), { uniqueItems: true })) }, { additionalProperties: false }),
      response: { 200: Type.Object({ template: TemplateSchema, version: VersionSchema }) },
    },
  }, async (request) => {
    const t = await load(request.principal!.workspaceId, request.params.id);
    const result = await submitVersion(ctx, t, request.params.number, { submitterKeyId: request.principal!.actor.id, acknowledgedWarnings: request.body.acknowledgedWarnings ?? [] });
    request.audit(versionAudit(t.id, request.params.number));
    return { template: await present(result.template), version: presentVersion(result.version) };
  });

  app.put('/v1/templates/:id/backup', {
    config: { permission: 'templates.write', audit: 'template.backup_set' },
    schema: {
      tags, summary: 'Set what sends use while this template is paused, disabled or rejected: another template, or a channel.', security, params: IdParams,
      body: Type.Object({ backup: Nullable(BackupSchema) }, { additionalProperties: false }),
      response: { 200: TemplateSchema },
    },
  }, async (request) => {
    const t = await load(request.principal!.workspaceId, request.params.id);
    await setBackup(ctx.db, t, request.body.backup as Backup | null, ctx.clock.now());
    request.audit({ diff: { backup: { to: request.body.backup ?? null } } });
    return present((await getTemplate(ctx.db, t.workspaceId, t.id))!);
  });

  app.post('/v1/templates/:id/preview', {
    config: { permission: 'templates.read', audit: { unaudited: 'a preview renders a template and changes nothing' } },
    schema: {
      tags, summary: 'Render a version with parameters: the exact Cloud API template object, the UltraMsg payload and the text. Wrong parameters are a 400.', security, params: IdParams,
      body: Type.Object({ params: Type.Optional(TemplateParamsSchema), version: Type.Optional(Type.Integer({ minimum: 1, maximum: INT32_MAX, description: 'Default: the live version, else the latest.' })) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          version: Type.Integer(),
          text: Type.String({ description: 'What the customer reads.' }),
          cloud: JsonObject,
          ultramsg: Nullable(JsonObject),
          ultramsgError: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
        }),
      },
    },
  }, async (request) => {
    const t = await load(request.principal!.workspaceId, request.params.id);
    const number = request.body.version ?? (t.liveVersionId ? (await getVersionById(ctx.db, t.liveVersionId))!.number : t.latestVersion);
    const v = await getVersion(ctx.db, t.id, number);
    if (!v) throw new ParleyError('TEMPLATE_VERSION_NOT_FOUND');
    const renderable: RenderableTemplate = { name: t.name, language: t.language, category: v.category, parameter_format: v.parameterFormat, components: v.components };
    const params = (request.body.params ?? {}) as TemplateParams;
    const cloud = renderCloudTemplate(renderable, params);
    const text = renderTemplateText(renderable, bindParameters(renderable, params));
    try {
      return { version: v.number, text, cloud: cloud as unknown as Record<string, unknown>, ultramsg: renderUltraMsgMessage(renderable, params) as unknown as Record<string, unknown> };
    } catch (error) {
      if (!isParleyError(error)) throw error;
      return { version: v.number, text, cloud: cloud as unknown as Record<string, unknown>, ultramsg: null, ultramsgError: { code: error.code, message: error.message } };
    }
  });
}
