import type { AfterInbound, ClaimInbound, InboundClaim } from './on-inbound.js';
import type { ConversationSend } from './ports.js';
import { getWorkspace } from '../workspaces/workspace-queries.js';
import type { ConversationChange } from './state-machine.js';
import { classifyReply } from './survey-policy.js';
import { answerWindowMs, readSurveySettings } from './survey-settings.js';
import { recordComment, recordScore, surveyOfCycle } from './survey-store.js';

/**
 * A customer's message to a resolved conversation, judged against its cycle's survey
 * (`classifyReply`): a score (a tapped row or button, or a number typed while asked), a comment after
 * it (sealed with the workspace's data key before the transaction), or a repeated tap. Each is
 * claimed, so it attaches to the conversation without reopening it; anything else is left alone and
 * reopens the conversation as usual.
 */
export const claimSurveyReply: ClaimInbound = async (ctx, event, resolved, settings) => {
  const survey = await surveyOfCycle(ctx.db, resolved.id, resolved.cycle);
  if (!survey || survey.workspaceId !== event.workspaceId) return null;
  const windowMs = answerWindowMs(readSurveySettings(settings));
  const reply = classifyReply(
    { id: survey.id, kind: survey.kind, state: survey.state, askedAt: survey.askedAt, answeredAt: survey.answeredAt, hasComment: survey.comment !== null },
    { ...(event.text !== undefined ? { text: event.text } : {}), ...(event.buttonPayload !== undefined ? { buttonPayload: event.buttonPayload } : {}), at: event.receivedAt },
    windowMs,
  );
  if (!reply) return null;
  const base = { conversationId: resolved.id, cycle: resolved.cycle };
  if (reply.kind === 'repeat') return { ...base, apply: async () => [] };
  if (reply.kind === 'score') {
    return {
      ...base,
      async apply(trx, now): Promise<ConversationChange[] | null> {
        // Answered meanwhile (two taps processed at once): the second is a repeat, still no reopening.
        if (!(await recordScore(trx, survey.id, reply.score, now))) return [];
        return [{ type: 'conversation.survey_answered', data: { surveyId: survey.id, kind: survey.kind, score: reply.score, messageId: event.messageId } }];
      },
    } satisfies InboundClaim;
  }
  const sealed = await ctx.keyring.encrypt(event.workspaceId, reply.text);
  return {
    ...base,
    async apply(trx, now): Promise<ConversationChange[] | null> {
      if (!(await recordComment(trx, survey.id, sealed, now))) return null;
      return [{ type: 'conversation.survey_commented', data: { surveyId: survey.id, messageId: event.messageId } }];
    },
  };
};

/**
 * After a score, the settings' comment prompt goes to the customer (their answer just opened the
 * service window, so free text is allowed); once per survey (the idempotency key).
 */
export function promptForComment(send: ConversationSend): AfterInbound {
  return async (ctx, changed) => {
    const answered = changed.events.find((e) => e.type === 'conversation.survey_answered');
    if (!answered) return;
    const workspace = await getWorkspace(ctx.db, changed.conversation.workspaceId);
    const prompt = workspace && readSurveySettings(workspace.settings).commentPrompt;
    if (!prompt) return;
    const c = changed.conversation;
    await send(ctx, {
      workspaceId: c.workspaceId,
      senderId: c.senderId,
      contactId: c.contactId,
      message: { type: 'text', text: { body: prompt } },
      lane: 'conversation',
      idempotencyKey: `survey-comment:${String(answered.data.surveyId)}`,
      metadata: { conversationId: c.id, cycle: c.cycle, survey: answered.data.surveyId, author: 'system' },
    });
  };
}
