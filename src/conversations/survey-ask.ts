import { onlyWhen } from '../domain-events/bus.js';
import type { DomainEventHandler, ParleyContext } from '../runtime/context.js';
import { getWorkspace } from '../workspaces/workspace-queries.js';
import { newId } from '../shared/ids.js';
import { appendEvents, getConversation, lockConversation } from './conversation-store.js';
import { ParleyError } from '../errors/parley-error.js';
import { afterCommit, changedEvents, resolution } from './transitions.js';
import { isWindowOpen } from './service-window.js';
import { readWindow } from './window-queries.js';
import { planAsk } from './survey-policy.js';
import { readSurveySettings } from './survey-settings.js';
import { claimSurvey, settleSurvey, type StoredSurvey, type SurveyVia } from './survey-store.js';
import type { ConversationPorts, ConversationSendResult } from './ports.js';

/**
 * A conversation was resolved: when the workspace's survey is enabled, its CSAT or NPS question goes
 * to the customer (`survey-policy.ts` says how: a list or a number question inside the service window,
 * the approved template outside it, nothing without one). After the resolution's commit, at least
 * once: the cycle's survey row is claimed first (unique per conversation × cycle) and the send's
 * idempotency key is the survey's id, so a replay neither asks twice nor records twice.
 */
export function askSurveyOnResolution(ports: Pick<ConversationPorts, 'send' | 'peer'>): DomainEventHandler<'conversation.changed'> {
  return onlyWhen(resolution, async (ctx: ParleyContext, event) => {
    const workspace = await getWorkspace(ctx.db, event.workspaceId);
    if (!workspace) return;
    const settings = readSurveySettings(workspace.settings);
    if (!settings.enabled) return;
    const conversation = await getConversation(ctx.db, event.workspaceId, event.conversationId);
    if (!conversation) return;
    const now = ctx.clock.now();
    const survey = await claimSurvey(ctx.db, { id: newId('svy', now), workspaceId: event.workspaceId, conversationId: event.conversationId, cycle: event.cycle, teamId: event.teamId, kind: settings.kind }, now);
    if (survey.state !== 'pending') return;

    const lastInbound = await readWindow(ctx.db, conversation.senderId, conversation.contactId);
    const peer = await ports.peer(ctx, { workspaceId: event.workspaceId, senderId: conversation.senderId, contactId: conversation.contactId });
    // A channel without the 24-hour window (UltraMsg) may always send the interactive question.
    const windowOpen = peer?.boundByWindow === false || isWindowOpen(lastInbound, now);
    const plan = planAsk(settings, { surveyId: survey.id, windowOpen, language: peer?.contactLanguage ?? null });
    if ('skip' in plan) return settle(ctx, survey, { state: 'skipped', reason: plan.skip, messageId: null, via: null });

    const sent: ConversationSendResult = await ports
      .send(ctx, {
        workspaceId: event.workspaceId,
        senderId: conversation.senderId,
        contactId: conversation.contactId,
        message: plan.message,
        lane: 'conversation',
        idempotencyKey: `survey:${survey.id}`,
        metadata: { conversationId: event.conversationId, cycle: event.cycle, survey: survey.id, author: 'system' },
      })
      // A message the send API refuses as malformed (a 4xx) is a failed survey, not a retry; anything
      // else (the database away) is thrown, and the queued event is handled again later.
      .catch((error: unknown) => {
        if (error instanceof ParleyError && error.status < 500) return { outcome: 'refused' as const, messageId: '', code: error.code, reason: error.message, replayed: false };
        throw error;
      });
    if (sent.outcome === 'accepted') return settle(ctx, survey, { state: 'asked', via: plan.via, messageId: sent.messageId, at: ctx.clock.now() });
    return settle(ctx, survey, { state: 'failed', reason: sent.code, messageId: sent.messageId || null, via: plan.via });
  });
}

type Outcome = { state: 'asked'; via: SurveyVia; messageId: string; at: number } | { state: 'skipped' | 'failed'; reason: string; messageId: string | null; via: SurveyVia | null };

/** Moves the survey out of `pending` and records `conversation.survey_sent` in the conversation's history, in one transaction. */
async function settle(ctx: ParleyContext, survey: StoredSurvey, outcome: Outcome): Promise<void> {
  const now = ctx.clock.now();
  const queued = await ctx.db.transaction().execute(async (trx) => {
    const conversation = await lockConversation(trx, ctx.store.dialect, survey.workspaceId, survey.conversationId);
    if (!conversation || !(await settleSurvey(trx, survey.id, outcome))) return [];
    const data = { surveyId: survey.id, kind: survey.kind, state: outcome.state, via: outcome.via, messageId: outcome.messageId, ...(outcome.state === 'asked' ? {} : { reason: outcome.reason }) };
    const events = await appendEvents(trx, survey.workspaceId, [
      { conversationId: survey.conversationId, teamId: conversation.teamId, cycle: survey.cycle, actor: 'system', change: { type: 'conversation.survey_sent', data }, cause: survey.id, at: now },
    ]);
    return ctx.domainEvents.publish(trx, changedEvents(conversation, events), now);
  });
  await afterCommit(ctx, survey.workspaceId, queued);
}
