import { resolveContact } from '../contacts/contact-queries.js';
import { auditDiff } from '../access/audit-port.js';
import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { Timestamp, iso } from '../http/schemas.js';
import { eraseContact } from './erase-contact.js';
import { exportContact } from './export-contact.js';
import { loadRetentionSettings, updateRetentionSettings } from './retention-settings.js';

// `nullable` rather than a union with null: the app coerces types, and a union would turn 0 into null.
const RetentionBody = Type.Object({
  messageBodyDays: Type.Unsafe<number | null>({ type: 'integer', nullable: true, minimum: 1, maximum: 3650, description: 'Purge message bodies this many days after the message; null keeps them.' }),
});

// Erasure, export and retention (M2, M9).
export async function privacyRoutes(app: ParleyApp, ctx: ParleyContext) {
  const security = [{ apiKey: [] }];
  const tags = ['privacy'];
  const IdParams = Type.Object({ id: Type.String() });

  app.get('/v1/contacts/:id/export', {
    config: { permission: 'contacts.export', audit: 'contact.exported' },
    schema: {
      tags, security, params: IdParams,
      summary: 'Everything held about a contact (and contacts merged into it), decrypted, as one JSON document: fields, consent history with proof, messages with bodies and events, merges, erasures.',
      response: { 200: Type.Unknown() },
    },
  }, async (request, reply) => {
    const exported = await exportContact(ctx, request.principal!.workspaceId, request.params.id);
    request.audit({ id: exported.contact.id });
    return reply.header('content-disposition', `attachment; filename="contact-${exported.contact.id}.json"`).header('cache-control', 'no-store').send(exported);
  });

  app.delete('/v1/contacts/:id', {
    config: { permission: 'contacts.erase', audit: 'contact.erased' },
    schema: {
      tags, security, params: IdParams,
      summary: 'Erase a contact on request: personal data and message bodies destroyed, counts and the consent ledger (without proof) kept, the erasure recorded. Repeating it returns the first erasure.',
      response: { 200: Type.Object({ id: Type.String(), contactId: Type.String(), erasedAt: Timestamp(), actor: Type.Object({ type: Type.String(), id: Type.String() }), detail: Type.Record(Type.String(), Type.Integer()) }) },
    },
  }, async (request) => {
    const erasedBefore = (await resolveContact(ctx.db, request.principal!.workspaceId, request.params.id))?.erasedAt ?? null;
    const erasure = await eraseContact(ctx, { workspaceId: request.principal!.workspaceId, contactId: request.params.id, actor: request.principal!.actor });
    // Repeating an erasure answers the first one and changes nothing: nothing to record.
    request.audit(erasedBefore !== null ? false : { id: erasure.contactId, diff: { erasure: { to: erasure.id }, destroyed: { to: erasure.detail } } });
    return { ...erasure, erasedAt: iso(erasure.erasedAt)! };
  });

  app.get('/v1/privacy/retention', {
    config: { permission: 'privacy.read' },
    schema: { tags, security, summary: "The workspace's retention policy.", response: { 200: RetentionBody } },
  }, async (request) => {
    const settings = await loadRetentionSettings(ctx.db, request.principal!.workspaceId);
    if (!settings) throw new ParleyError('WORKSPACE_NOT_FOUND');
    return settings;
  });

  app.put('/v1/privacy/retention', {
    config: { permission: 'privacy.manage', audit: 'privacy_retention.updated' },
    schema: { tags, security, summary: "Set the workspace's retention policy: message bodies older than `messageBodyDays` are purged by a background worker.", body: Type.Object({ messageBodyDays: RetentionBody.properties.messageBodyDays }, { additionalProperties: false }), response: { 200: RetentionBody } },
  }, async (request) => {
    const before = await loadRetentionSettings(ctx.db, request.principal!.workspaceId);
    const settings = await updateRetentionSettings(ctx.db, request.principal!.workspaceId, request.body);
    if (!settings) throw new ParleyError('WORKSPACE_NOT_FOUND');
    const resource = { type: 'privacy_retention', id: null };
    request.audit({ resource, diff: auditDiff(resource, before ? { ...before } : undefined, { ...settings }) });
    return settings;
  });
}
