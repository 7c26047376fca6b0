import { resolveContact } from '../contacts/contact-queries.js';
import { auditDiff } from '../access/audit-port.js';
import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { Nullable, PageQuery, Timestamp, iso } from '../http/schemas.js';
import { holds } from '../access/principal.js';
import { teamFilter } from '../access/team-scope.js';
import { contactTimeline, type TimelineItem } from './contact-timeline.js';
import { eraseContact } from './erase-contact.js';
import { exportContact } from './export-contact.js';
import { loadRetentionSettings, updateRetentionSettings } from './retention-settings.js';

// `nullable` rather than a union with null: the app coerces types, and a union would turn 0 into null.
const RetentionBody = Type.Object({
  messageBodyDays: Type.Unsafe<number | null>({ type: 'integer', nullable: true, minimum: 1, maximum: 3650, description: 'Purge message bodies this many days after the message; null keeps them.' }),
});

const TimelineItemBody = Type.Union([
  Type.Object({
    kind: Type.Literal('message'), at: Timestamp({ description: 'When it was accepted or received.' }), id: Type.String(), senderId: Nullable(Type.String()),
    direction: Type.String({ description: '`inbound` or `outbound`.' }), type: Type.String(), status: Type.String({ description: 'Its status now.' }), templateName: Nullable(Type.String()), errorCode: Nullable(Type.String()),
  }),
  Type.Object({
    kind: Type.Literal('status'), at: Timestamp(), id: Type.String(), messageId: Type.String(), status: Type.String({ description: 'The status the message moved to.' }),
    direction: Type.String(), type: Type.String(),
  }),
  Type.Object({
    kind: Type.Literal('consent'), at: Timestamp({ description: 'When the record takes effect.' }), id: Type.String({ description: 'The consent record.' }),
    purpose: Type.String(), channel: Type.String(), status: Type.String(), source: Type.String(), actor: Type.Object({ type: Type.String(), id: Type.String() }),
  }),
  Type.Object({
    kind: Type.Literal('conversation'), at: Timestamp({ description: 'When it was opened.' }), id: Type.String(), senderId: Type.String(), state: Type.String({ description: 'Its state now.' }),
    cycle: Type.Integer(), teamId: Nullable(Type.String()), endedAt: Nullable(Timestamp()),
  }),
], { description: 'One thing that happened, told by `kind`.' });

const presentItem = (item: TimelineItem) => {
  switch (item.kind) {
    case 'status': {
      const { seq: _seq, ...rest } = item;
      return { ...rest, at: iso(item.at)! };
    }
    case 'consent':
      return { ...item, at: iso(item.at)!, actor: { type: item.actor.type, id: item.actor.id } };
    case 'conversation':
      return { ...item, at: iso(item.at)!, endedAt: iso(item.endedAt) };
    default:
      return { ...item, at: iso(item.at)! };
  }
};

// Erasure, export, the timeline and retention (M2, M9).
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

  app.get('/v1/contacts/:id/timeline', {
    config: { permission: 'contacts.read' },
    schema: {
      tags, security, params: IdParams, querystring: Type.Composite([PageQuery], { additionalProperties: false }),
      summary: 'What happened with a contact (and contacts merged into it), newest first, a page at a time: its messages, their status changes, its consent records and its conversations.',
      description: 'No message body and no consent proof: what happened and when. Conversations are listed only to a caller holding conversations.read, and only those of the teams the caller sees.',
      response: { 200: Type.Object({ contactId: Type.String({ description: 'The surviving contact, if the id given was merged.' }), data: Type.Array(TimelineItemBody), nextCursor: Nullable(Type.String()) }) },
    },
  }, async (request) => {
    const principal = request.principal!;
    const page = await contactTimeline(ctx.db, principal.workspaceId, request.params.id, {
      limit: request.query.limit ?? 50, cursor: request.query.cursor, teams: teamFilter(principal), conversations: holds(principal, 'conversations.read'),
    });
    return { ...page, data: page.data.map(presentItem) };
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
