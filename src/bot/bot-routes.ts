import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { Nullable } from '../http/schemas.js';
import { checkDayRange } from '../shared/day-range.js';
import { ConversationEventView, ConversationView, presentConversation, presentEvent } from '../conversations/conversation-view.js';
import { handBack } from './hand-back.js';
import { measure, runsStartedBetween } from './measures.js';
import type { BotPorts } from './ports.js';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Day = Type.String({ minLength: 10, maxLength: 10, description: 'YYYY-MM-DD (UTC).' });

const Measures = Type.Object({
  from: Type.String(),
  to: Type.String(),
  runs: Type.Integer({ description: 'Runs of a flow started in the period (one per conversation cycle the bot took).' }),
  resolvedByBot: Type.Integer({ description: 'Runs the bot resolved without a person.' }),
  handedOff: Type.Integer(),
  stillRunning: Type.Integer(),
  containment: Nullable(Type.Number({ description: 'resolvedByBot ÷ (resolvedByBot + handedOff); null when none finished.' })),
  handoffsByReason: Type.Record(Type.String(), Type.Integer(), { description: 'asked_for_human, misunderstood, vip, outside_business_hours, flow, collect_failed, webhook_failed.' }),
  nodes: Type.Array(Type.Object({ node: Type.String(), turns: Type.Integer(), misunderstood: Type.Integer(), rate: Nullable(Type.Number()) }), { description: 'Per node where the customer answered: misunderstood ÷ turns, worst first.' }),
  webhookFailures: Type.Integer({ description: 'Business webhook calls that took their error branch.' }),
  truncated: Type.Boolean({ description: 'True when the period held more runs than one report reads: narrow it.' }),
});

/** The bot's measures and giving a conversation back to the bot (M4; docs/bot-flows.md). */
export function botRoutes(ports: BotPorts) {
  return async (app: ParleyApp, ctx: ParleyContext) => {
    const security = [{ apiKey: [] }];

    app.get('/v1/bot/measures', {
      config: { permission: 'analytics.read' },
      schema: {
        tags: ['bot'],
        summary: 'Containment, hand-offs by reason, misunderstanding rate per node and business webhook failures of the bot runs started in a period (optionally of one flow).',
        security,
        querystring: Type.Object({ from: Day, to: Day, flowId: Type.Optional(Id) }),
        response: { 200: Measures },
      },
    }, async (request) => {
      const { from, to, flowId } = request.query;
      const range = checkDayRange(from, to);
      const { runs, truncated } = await runsStartedBetween(ctx.db, request.principal!.workspaceId, range.fromMs, range.toMs, flowId);
      return { from, to, ...measure(runs), truncated };
    });

    app.post('/v1/conversations/:id/bot', {
      config: { permission: 'conversations.reply', audit: 'conversation.handed_back' },
      schema: {
        tags: ['conversations'],
        summary: 'Give the conversation back to the bot: the sender\'s published flow starts again from its beginning. Its owner may; anyone else needs `conversations.assign`.',
        security,
        params: Type.Object({ id: Id }),
        response: { 200: Type.Object({ conversation: ConversationView, events: Type.Array(ConversationEventView) }) },
      },
    }, async (request) => {
      const changed = await handBack(ctx, ports, request.principal!, request.params.id);
      request.audit({ diff: { owner: { to: 'bot' } } });
      return { conversation: presentConversation(changed.conversation), events: changed.events.map(presentEvent) };
    });
  };
}
