import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { MultilineText, Timestamp, iso } from '../http/schemas.js';
import { isUniqueViolation } from '../db/errors.js';
import { newId } from '../shared/ids.js';
import { cannedVariables, malformedVariables } from './canned-reply.js';
import { deleteCannedReply, getCannedReply, insertCannedReply, listCannedReplies, updateCannedReply, type CannedReply } from './canned-store.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const IdParams = Type.Object({ id: Id });
const Shortcut = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$', description: 'What an agent types to find it: lower-case letters, digits, `-` and `_`; unique in the workspace.' });
const Body = Type.Object({ shortcut: Shortcut, text: MultilineText({ minLength: 1, maxLength: 4096, description: 'The reply, with variables such as `{{contact.name}}`, `{{agent.name}}`, `{{conversation.id}}` or your own (`{{order.id}}`).' }) }, { additionalProperties: false });
const CannedView = Type.Object({ id: Type.String(), shortcut: Type.String(), text: Type.String(), variables: Type.Array(Type.String()), createdAt: Timestamp(), updatedAt: Timestamp() });
const present = (r: CannedReply) => ({ id: r.id, shortcut: r.shortcut, text: r.text, variables: cannedVariables(r.text), createdAt: iso(r.createdAt)!, updatedAt: iso(r.updatedAt)! });

const checkText = (text: string) => {
  const malformed = malformedVariables(text);
  if (malformed.length) throw new ParleyError('CANNED_REPLY_INVALID', { field: '/text', details: { variables: malformed } });
};
const exists = (error: unknown) => (isUniqueViolation(error) ? new ParleyError('CANNED_REPLY_EXISTS', { field: '/shortcut' }) : error);

/**
 * The workspace's canned replies: every reader of conversations lists them (an agent picks one);
 * those who run the inbox (`conversations.assign`: supervisors, admins) write them.
 */
export async function cannedReplyRoutes(app: ParleyApp, ctx: ParleyContext) {
  const security = [{ apiKey: [] }];
  const tags = ['conversations'];

  app.get('/v1/canned-replies', {
    config: { permission: 'conversations.read' },
    schema: {
      tags,
      summary: 'The workspace\'s canned replies by shortcut; `prefix` narrows to shortcuts starting with it.',
      security,
      querystring: Type.Object({ prefix: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })) }),
      response: { 200: Type.Object({ data: Type.Array(CannedView) }) },
    },
  }, async (request) => ({ data: (await listCannedReplies(ctx.db, request.principal!.workspaceId, request.query.prefix, request.query.limit ?? 100)).map(present) }));

  app.post('/v1/canned-replies', {
    config: { permission: 'conversations.assign', audit: 'canned_reply.created' },
    schema: { tags, summary: 'Save a canned reply.', security, body: Body, response: { 201: CannedView } },
  }, async (request, reply) => {
    checkText(request.body.text);
    const now = ctx.clock.now();
    const created: CannedReply = { id: newId('cnr', now), shortcut: request.body.shortcut, text: request.body.text, createdAt: now, updatedAt: now };
    await insertCannedReply(ctx.db, request.principal!.workspaceId, created).catch((error: unknown) => Promise.reject(exists(error)));
    request.audit({ id: created.id, diff: { shortcut: { to: created.shortcut }, text: { to: created.text } } });
    return reply.status(201).send(present(created));
  });

  app.put('/v1/canned-replies/:id', {
    config: { permission: 'conversations.assign', audit: 'canned_reply.updated' },
    schema: { tags, summary: 'Change a canned reply\'s shortcut and text.', security, params: IdParams, body: Body, response: { 200: CannedView } },
  }, async (request) => {
    checkText(request.body.text);
    const workspaceId = request.principal!.workspaceId;
    const before = await getCannedReply(ctx.db, workspaceId, request.params.id);
    if (!before) throw new ParleyError('CANNED_REPLY_NOT_FOUND');
    await updateCannedReply(ctx.db, workspaceId, before.id, request.body, ctx.clock.now()).catch((error: unknown) => Promise.reject(exists(error)));
    const after = (await getCannedReply(ctx.db, workspaceId, before.id))!;
    request.audit({ diff: { shortcut: { from: before.shortcut, to: after.shortcut }, text: { from: before.text, to: after.text } } });
    return present(after);
  });

  app.delete('/v1/canned-replies/:id', {
    config: { permission: 'conversations.assign', audit: 'canned_reply.deleted' },
    schema: { tags, summary: 'Delete a canned reply.', security, params: IdParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    if (!(await deleteCannedReply(ctx.db, request.principal!.workspaceId, request.params.id))) throw new ParleyError('CANNED_REPLY_NOT_FOUND');
    return reply.status(204).send(null);
  });
}
