import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { senderExists } from '../senders/sender-queries.js';
import { assignFlow, listAssignments } from './flow-store.js';
import { lookUpFlows } from './flow-lookup.js';
import { AssignmentView, presentAssignment } from './flow-views.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const IdParams = Type.Object({ id: Id });
const Entry = Type.String({
  minLength: 10,
  maxLength: 210,
  pattern: '^referral:[A-Za-z0-9_.:-]+$',
  description: 'An entry point: `referral:<source id>` (a click-to-WhatsApp ad or post). Left out: every conversation of the sender that no entry point\'s flow answers.',
});

/**
 * Where flows answer (M4): a sender's new conversations, or those that arrive through one of its entry
 * points. An entry point's flow wins over the sender's. Only a published flow may be assigned: a draft
 * never meets customers.
 */
export async function flowAssignmentRoutes(app: ParleyApp, ctx: ParleyContext) {
  const security = [{ apiKey: [] }];
  const tags = ['bot'];

  // The workspace's flow named by `:id`, or 404 before the body or query is looked at.
  const flowOf = lookUpFlows(app, ctx);

  app.put('/v1/flows/:id/assignments', {
    config: { permission: 'flows.manage', audit: 'flow.assigned' },
    schema: {
      tags,
      summary: 'Let this flow answer a sender\'s new conversations (or those of one entry point), in place of the flow that did.',
      security,
      params: IdParams,
      body: Type.Object({ senderId: Id, entry: Type.Optional(Entry) }, { additionalProperties: false }),
      response: { 200: AssignmentView },
    },
  }, async (request) => {
    const workspaceId = request.principal!.workspaceId;
    const flow = flowOf(request);
    const { senderId } = request.body;
    const entry = request.body.entry ?? '';
    if (!(await senderExists(ctx.db, workspaceId, senderId))) throw new ParleyError('SENDER_NOT_FOUND', { field: '/senderId' });
    if (flow.latestVersion === null) throw new ParleyError('FLOW_NOT_PUBLISHED');
    const before = (await listAssignments(ctx.db, workspaceId, { senderId })).find((a) => a.entry === entry);
    const now = ctx.clock.now();
    await assignFlow(ctx.db, { workspaceId, senderId, entry, flowId: flow.id, now });
    request.audit({ diff: { senderId: { to: senderId }, entry: { to: entry || null }, replacedFlowId: { from: before?.flowId ?? null, to: flow.id } } });
    // What was written, not a read after it: a concurrent assignment of the same entry may already have replaced it.
    return presentAssignment({ senderId, entry, flowId: flow.id, updatedAt: now });
  });

  app.delete('/v1/flows/:id/assignments', {
    config: { permission: 'flows.manage', audit: 'flow.unassigned' },
    schema: {
      tags,
      summary: 'Stop this flow from answering a sender\'s new conversations (or those of one entry point); conversations it is in keep it to their end.',
      security,
      params: IdParams,
      querystring: Type.Object({ senderId: Id, entry: Type.Optional(Entry) }),
      response: { 204: Type.Null() },
    },
  }, async (request, reply) => {
    const workspaceId = request.principal!.workspaceId;
    const flow = flowOf(request);
    const { senderId } = request.query;
    const entry = request.query.entry ?? '';
    const assigned = (await listAssignments(ctx.db, workspaceId, { flowId: flow.id, senderId })).some((a) => a.entry === entry);
    if (!assigned) throw new ParleyError('FLOW_ASSIGNMENT_NOT_FOUND');
    await assignFlow(ctx.db, { workspaceId, senderId, entry, flowId: null, now: ctx.clock.now() });
    request.audit({ diff: { senderId: { from: senderId }, entry: { from: entry || null } } });
    return reply.status(204).send(null);
  });

  app.get('/v1/flow-assignments', {
    config: { permission: 'flows.read' },
    schema: {
      tags,
      summary: 'Which flow answers each sender and entry point.',
      security,
      querystring: Type.Object({ senderId: Type.Optional(Id) }),
      response: { 200: Type.Object({ data: Type.Array(AssignmentView) }) },
    },
  }, async (request) => ({ data: (await listAssignments(ctx.db, request.principal!.workspaceId, request.query.senderId ? { senderId: request.query.senderId } : {})).map(presentAssignment) }));
}
