import { onlyWhen } from '../domain-events/bus.js';
import { resolution } from './transitions.js';
import type { DomainEventHandler, ParleyContext } from '../runtime/context.js';
import { cycleEvents, getConversation } from './conversation-store.js';
import { loadBusinessHours } from './business-hours-settings.js';
import { localDate } from './business-hours.js';
import { cycleMetrics } from './cycle-metrics.js';
import { insertCycle } from './cycle-store.js';
import { conversationPrometheus } from './prometheus-metrics.js';

/**
 * A cycle was resolved: its figures are computed from its events (`cycle-metrics.ts`) and recorded in
 * `conversation_cycles`, counted on the workspace-local day of the resolution (the UTC day when the
 * workspace has no business hours, hence no time zone). Runs after the resolution's commit, at least
 * once: the (conversation, cycle) key makes a second run change nothing.
 */
export const recordCycle: DomainEventHandler<'conversation.changed'> = onlyWhen(resolution, async (ctx: ParleyContext, event) => {
  const conversation = await getConversation(ctx.db, event.workspaceId, event.conversationId);
  if (!conversation) return;
  const startedAt = typeof event.data.cycleStartedAt === 'number' ? event.data.cycleStartedAt : conversation.cycleStartedAt;
  const events = await cycleEvents(ctx.db, event.workspaceId, event.conversationId, event.cycle);
  const hours = await loadBusinessHours(ctx.db, event.workspaceId);
  const m = cycleMetrics(startedAt, events, hours?.calendar ?? null);
  if (!m) return;
  const inserted = await insertCycle(ctx.db, {
    conversation_id: event.conversationId,
    cycle: event.cycle,
    workspace_id: event.workspaceId,
    team_id: event.teamId,
    sender_id: conversation.senderId,
    started_at: m.startedAt,
    closed_at: m.resolvedAt,
    closed_day: hours ? localDate(hours.calendar.timeZone, m.resolvedAt) : new Date(m.resolvedAt).toISOString().slice(0, 10),
    first_response_at: m.firstResponseAt,
    first_response_ms: m.firstResponseMs,
    first_response_business_ms: m.firstResponseBusinessMs,
    resolution_ms: m.resolutionMs,
    resolution_business_ms: m.resolutionBusinessMs,
    bot_ms: m.botMs,
    bot_business_ms: m.botBusinessMs,
    snoozed_ms: m.snoozedMs,
    snoozed_business_ms: m.snoozedBusinessMs,
    recorded_at: ctx.clock.now(),
  });
  if (inserted && m.firstResponseMs !== null) conversationPrometheus(ctx).firstResponse.observe(m.firstResponseMs / 1000);
});
