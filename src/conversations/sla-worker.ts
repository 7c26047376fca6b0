import type { BackgroundWorker, ParleyContext } from '../runtime/context.js';
import type { QueuedDomainEvent } from '../domain-events/bus.js';
import { logLoopFailure } from '../db/unavailable.js';
import { SECOND } from '../shared/time.js';
import type { Database } from '../db/schema.js';
import { appendEvents, cycleEvents, lockConversation, type ConversationsDb, type NewConversationEvent, type StoredConversation } from './conversation-store.js';
import { loadBusinessHours, type WorkspaceBusinessHours } from './business-hours-settings.js';
import { cycleTimeline } from './cycle-timeline.js';
import { SLA_TARGET_KINDS, evaluateSla } from './sla-evaluation.js';
import { choosePolicy, cycleAlerts, insertAlert, listPolicies, openConversationsForSla, type SlaAlert, type SlaLevel, type SlaPolicy } from './sla-store.js';
import { afterCommit, changedEvents } from './transitions.js';
import { conversationPrometheus } from './prometheus-metrics.js';

/** How often the SLA worker scans, and how many open conversations one scan evaluates. */
export const SLA_SCAN_INTERVAL_MS = 5 * SECOND;
export const SLA_SCAN_BATCH = 200;

/** The conversation event recording an alert of each level. */
const EVENT_OF: Record<SlaLevel, 'conversation.sla_near_breach' | 'conversation.sla_breached'> = { near_breach: 'conversation.sla_near_breach', breach: 'conversation.sla_breached' };

/**
 * Evaluates the SLA targets of open conversations (`sla-evaluation.ts`) and records each new near
 * breach and breach once: an `sla_alerts` row and a `conversation.sla_near_breach` /
 * `conversation.sla_breached` event in the conversation's history, announced as `conversation.changed`
 * (the live stream, event webhooks). Each scan takes the next `SLA_SCAN_BATCH` open conversations of
 * workspaces with a policy, by id, and starts over after the last: with N open conversations, an alert is
 * recorded within ceil(N / batch) scans of its moment. Several workers may scan at once: the alert's key
 * and the conversation's lock let one of them record it.
 */
export class SlaWorker implements BackgroundWorker {
  readonly name = 'conversation-sla';
  readonly #ctx: ParleyContext;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #failures = 0;
  #cursor = '';

  constructor(ctx: ParleyContext) {
    this.#ctx = ctx;
    conversationPrometheus(ctx);
  }

  start(): void {
    this.#stopped = false;
    this.#schedule(SLA_SCAN_INTERVAL_MS);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  /** One scan; returns how many conversations were evaluated and the alerts recorded. */
  async runOnce(): Promise<{ scanned: number; alerts: SlaAlert[] }> {
    const ctx = this.#ctx;
    const now = ctx.clock.now();
    const batch = await openConversationsForSla(ctx.db, this.#cursor, SLA_SCAN_BATCH);
    this.#cursor = batch.length < SLA_SCAN_BATCH ? '' : batch.at(-1)!.id;
    const workspaces = new Map<string, { policies: SlaPolicy[]; hours: WorkspaceBusinessHours | null }>();
    const alerts: SlaAlert[] = [];
    for (const conversation of batch) {
      if (this.#stopped) break;
      let ws = workspaces.get(conversation.workspaceId);
      if (!ws) {
        ws = { policies: await listPolicies(ctx.db, conversation.workspaceId), hours: await loadBusinessHours(ctx.db, conversation.workspaceId) };
        workspaces.set(conversation.workspaceId, ws);
      }
      const policy = choosePolicy(ws.policies, conversation);
      if (!policy) continue;
      // Evaluated without a lock first: only a conversation with something to record takes one.
      if ((await this.#dueAlerts(ctx.db, conversation, policy, ws.hours, now)).length) alerts.push(...(await this.#record(conversation, ws.policies, ws.hours, now)));
    }
    return { scanned: batch.length, alerts };
  }

  /** The alerts the conversation's current cycle has reached and that are not recorded yet. */
  async #dueAlerts(db: ConversationsDb<Database>, c: StoredConversation, policy: SlaPolicy, hours: WorkspaceBusinessHours | null, now: number): Promise<SlaAlert[]> {
    const recorded = await cycleAlerts(db, c.id, c.cycle);
    // Every target breached already: nothing more can be recorded in this cycle, so its events are not read.
    const set = SLA_TARGET_KINDS.filter((kind) => (kind === 'first_response' ? policy.firstResponseMs : kind === 'next_response' ? policy.nextResponseMs : policy.resolutionMs) !== null);
    if (set.every((kind) => recorded.some((r) => r.kind === kind && r.level === 'breach'))) return [];
    const events = await cycleEvents(db, c.workspaceId, c.id, c.cycle);
    const statuses = evaluateSla({ ...policy, nearBreachRatio: policy.nearBreachPercent / 100 }, hours?.calendar ?? null, cycleTimeline(c.cycleStartedAt, events, now), now);
    return statuses.flatMap((s): SlaAlert[] => {
      const level: SlaLevel | null = s.status === 'breached' ? 'breach' : s.status === 'near_breach' ? 'near_breach' : null;
      if (!level || recorded.some((r) => r.kind === s.kind && r.level === level)) return [];
      return [{ conversationId: c.id, cycle: c.cycle, kind: s.kind, level, workspaceId: c.workspaceId, teamId: c.teamId, policyId: policy.id, targetMs: s.targetMs, dueAt: level === 'breach' ? s.dueAt : s.nearAt, at: now }];
    });
  }

  /**
   * Records the alerts due with their events in one transaction, evaluated again with the conversation
   * locked: a reply or a resolution committed since the first look is taken into account.
   */
  async #record(c: StoredConversation, policies: readonly SlaPolicy[], hours: WorkspaceBusinessHours | null, now: number): Promise<SlaAlert[]> {
    const ctx = this.#ctx;
    const { recorded, queued } = await ctx.db.transaction().execute(async (trx): Promise<{ recorded: SlaAlert[]; queued: QueuedDomainEvent[] }> => {
      const locked = await lockConversation(trx, ctx.store.dialect, c.workspaceId, c.id);
      const policy = locked && choosePolicy(policies, locked);
      if (!locked || !policy || locked.state === 'resolved') return { recorded: [], queued: [] };
      const due = await this.#dueAlerts(trx, locked, policy, hours, now);
      const recorded: SlaAlert[] = [];
      for (const a of due) if (await insertAlert(trx, a)) recorded.push(a);
      const pending = recorded.map((a): NewConversationEvent => ({
        conversationId: c.id,
        teamId: locked.teamId,
        cycle: locked.cycle,
        actor: 'system',
        change: { type: EVENT_OF[a.level], reason: `${a.kind.replace('_', ' ')} target ${a.level === 'breach' ? 'breached' : 'nearly reached'}`, data: { target: a.kind, policyId: a.policyId, targetMs: a.targetMs, dueAt: a.dueAt } },
        at: now,
      }));
      const events = await appendEvents(trx, c.workspaceId, pending);
      return { recorded, queued: await ctx.domainEvents.publish(trx, changedEvents(locked, events), now) };
    });
    await afterCommit(ctx, c.workspaceId, queued);
    const prometheus = conversationPrometheus(ctx);
    for (const a of recorded) prometheus.slaAlerts.inc({ target: a.kind, level: a.level });
    return recorded;
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.runOnce()
        .then(() => {
          this.#failures = 0;
        })
        .catch((error: unknown) => logLoopFailure(this.#ctx.logger.child({ worker: this.name }), error, ++this.#failures, 'SLA scan'))
        .finally(() => this.#schedule(SLA_SCAN_INTERVAL_MS));
    }, delay);
    this.#timer.unref();
  }
}
