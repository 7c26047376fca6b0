import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';
import { onInbound } from './on-inbound.js';
import { intervalWorker } from '../runtime/interval-worker.js';
import { SNOOZE_CHECK_MS, wakeDueSnoozes } from './snooze-worker.js';
import type { ConversationPorts } from './ports.js';
import { askSurveyOnResolution } from './survey-ask.js';
import { claimSurveyReply, promptForComment } from './survey-replies.js';
import { recordCycle } from './record-cycle.js';
import { SlaWorker } from './sla-worker.js';
import { afterInboundAssign } from './assignment/engine.js';
import { AssignmentSweep } from './assignment/sweep.js';
import { streamNoticeSubscriber } from './stream-notices.js';

/**
 * Conversations (M4): the service window, the conversation model, its API. A customer message joins
 * (or opens, reopens, wakes) the contact's current conversation with the sender, after its commit;
 * an answer to the resolved cycle's survey joins it without reopening it. A resolution asks the
 * workspace's CSAT or NPS survey, and its cycle's figures are recorded (`record-cycle.ts`), after its
 * commit; the SLA worker records near breaches and breaches of open conversations (`sla-worker.ts`).
 * The ports (`ports.ts`) are the outbound and templates modules', handed over by the composition root.
 * Assignment (`assignment/`) reacts to a customer message after `ports.answerFirst` (the bot), which
 * takes the conversation first when a flow answers its sender; its sweep is the backstop that leaves nothing waiting after a crash.
 */
export function conversationsManifest(ports: ConversationPorts): ModuleManifest {
  return {
    name: 'conversations',
    routes: [
      lazyRoutes(() => import('./routes.js').then((m) => m.conversationRoutes(ports))),
      lazyRoutes(() => import('./reply-routes.js').then((m) => m.replyRoutes(ports))),
      lazyRoutes(() => import('./canned-routes.js').then((m) => m.cannedReplyRoutes)),
      lazyRoutes(() => import('./survey-routes.js').then((m) => m.surveyRoutes)),
      lazyRoutes(() => import('./sla-routes.js').then((m) => m.slaRoutes)),
      lazyRoutes(() => import('./assignment/routes.js').then((m) => m.assignmentRoutes)),
      lazyRoutes(() => import('./stream-routes.js').then((m) => m.streamRoutes)),
    ],
    // A template's status or quality change reaches the live stream with the change (`stream-notices.ts`).
    inTransaction: [streamNoticeSubscriber],
    afterCommit: {
      'message.inbound': [onInbound([...ports.answerFirst, afterInboundAssign, promptForComment(ports.send)], claimSurveyReply)],
      'conversation.changed': [recordCycle, askSurveyOnResolution(ports)],
    },
    workers: (ctx) => [intervalWorker('conversation-snoozes', SNOOZE_CHECK_MS, ctx.logger, () => wakeDueSnoozes(ctx)), new SlaWorker(ctx), new AssignmentSweep(ctx)],
  };
}
