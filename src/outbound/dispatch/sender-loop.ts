import type { ParleyContext } from '../../runtime/context.js';
import type { Sender, SenderCredentials } from '../../senders/sender-queries.js';
import type { ChannelAdapter, ErrorAction, OutboundMedia, SendOutcome } from '../../channels/port.js';
import { rememberProviderMedia, uploadToSend } from '../../uploads/upload-store.js';
import type { StoredContent } from '../content-schema.js';
import { PURPOSE_OF_LANE, type Gate, type OutboundDraft } from '../gates/gate.js';
import type { Lane } from '../../policy/lanes.js';
import { runGatesMany } from '../gates/run-gates.js';
import { decide, describeRun } from '../../policy/decide.js';
import { MAX_ATTEMPTS, backoffDelay } from '../error-classification.js';
import type { OutboundMetrics } from '../metrics.js';
import { SECOND } from '../../shared/time.js';
import { failureBackoff, logLoopFailure } from '../../db/unavailable.js';
import { claimDue, type ClaimCandidate, type ClaimedMessage } from '../../messages/claim-due.js';
import { TokenBucket } from './token-bucket.js';
import { PairPacer } from './pair-pacer.js';
import type { OutcomeWriter } from './outcome-writer.js';
import type { Outcome } from './outcomes.js';
import type { SuppressionScope } from '../../suppressions/suppression-queries.js';
import { reserveTierBudget } from './tier-budget.js';
import { applyReroute } from '../reroute.js';
import { renderedTextFor, templateRefOf } from '../template-bridge.js';
import { recordSenderHealth, type SenderHealthState } from '../../senders/sender-health.js';
import { CircuitBreaker, type BreakerOptions } from './circuit-breaker.js';
import { isStorageFull } from '../../db/storage-monitor.js';
import { openProviderId, providerIdHash, sealProviderId } from '../../messages/provider-ids.js';
import { sealedProviderIdOf } from '../../messages/message-lookups.js';
import { InstanceWatch } from './instance-watch.js';
import { ProviderQueueWatch } from './provider-queue-watch.js';

type Reroute = { from: { name: string; language: string }; to: { name: string; language: string } };

export interface SenderLoopDeps {
  ctx: ParleyContext;
  workerId: string;
  adapter: ChannelAdapter;
  gates: readonly Gate<any>[];
  writer: OutcomeWriter;
  metrics: OutboundMetrics;
  /** Provider calls in flight in this process, across senders, and their cap. */
  inflightBudget: InflightBudget;
  /** Circuit-breaker settings; the defaults are in circuit-breaker.ts. */
  breaker?: Partial<BreakerOptions>;
}

export class InflightBudget {
  used = 0;
  constructor(readonly limit: number) {}
  get available(): number {
    return Math.max(0, this.limit - this.used);
  }
}

/** Most messages claimed in one query. */
const MAX_BATCH = 100;
/** Poll interval when nothing is due and no in-process signal arrives. */
const IDLE_POLL_MS = 50;
/**
 * At full speed, a round waits for about 10 ms of tokens so each claim transaction carries a batch
 * instead of one message (1,000 msg/s → ~10 per claim). An idle sender still sends at once.
 */
const ROUND_MS = 10;
/** Outcomes waiting for the batched writer beyond which no sender of this process claims more. */
const WRITER_BACKLOG_LIMIT = 2000;
/** While the breaker is open: how often the loop looks at the clock for the probe time (and the health). */
const BREAKER_POLL_MS = 100;
/** While an UltraMsg instance is not authenticated: how often the loop looks again (the check lifts the hold at once). */
const HOLD_POLL_MS = 250;

/**
 * The send loop of one sender, run by the worker holding its lease. It owns the sender's token bucket
 * (its provider throughput, less headroom) and per-recipient pacing, claims exactly as many due messages
 * as it may send now (OTP lane first), re-runs the policy gates at dispatch, calls the provider, and
 * hands outcomes to the batched writer.
 */
export class SenderLoop {
  sender: Sender;
  readonly #deps: SenderLoopDeps;
  readonly #credentials: SenderCredentials;
  readonly #bucket: TokenBucket;
  readonly #pacer: PairPacer;
  /** Messages in flight to the provider, by id; and the recipients they go to. */
  readonly inflight = new Set<string>();
  readonly #busyContacts = new Set<string>();
  #timer?: NodeJS.Timeout;
  #running = false;
  #ticking = false;
  #stopped = false;
  /** Consecutive failed rounds (the database unreachable, say): the next one waits longer. */
  #failures = 0;
  #unsubscribe?: () => void;
  #idle: Array<() => void> = [];
  /** Pauses the whole sender while its provider is unreachable (circuit-breaker.ts). */
  readonly breaker: CircuitBreaker;
  /** A probe was allowed and the next message sent is it; then the id of that probe until it answers. */
  #probePending = false;
  #probeId?: string;
  /** The health last handed to the database (undefined: not yet since this loop started). */
  #reportedHealth?: SenderHealthState;
  #healthWrites: Promise<void> = Promise.resolve();
  /** UltraMsg senders: the session watch that holds the sender while its instance is not authenticated. */
  readonly instance?: InstanceWatch;
  /** The most the provider can send for this sender (UltraMsg: one per `sendDelay`); Infinity when it does not say. */
  #providerMaxRate = Infinity;
  readonly #queueWatch?: ProviderQueueWatch;

  constructor(deps: SenderLoopDeps, sender: Sender, credentials: SenderCredentials) {
    this.#deps = deps;
    this.sender = sender;
    this.#credentials = credentials;
    const now = deps.ctx.clock.now();
    // Until the provider says how fast it can send, assume its default (UltraMsg: one a second).
    if (ProviderQueueWatch.wanted(deps.adapter) && deps.adapter.initialMaxRate !== undefined) this.#providerMaxRate = deps.adapter.initialMaxRate;
    const rate = this.#rate(sender);
    // A small bucket (50 ms of traffic) keeps bursts well inside the provider's per-second accounting.
    this.#bucket = new TokenBucket(rate, Math.max(1, rate / 20), now, 1);
    this.#pacer = new PairPacer(deps.ctx.config.pairBurst, undefined, deps.adapter.capabilities.pairRateLimit);
    this.breaker = new CircuitBreaker(deps.breaker);
    if (deps.adapter.session) this.instance = new InstanceWatch(sender.id, deps.ctx.config.ultramsgStatusIntervalMs, deps.ctx.clock.now(), (status, id) => deps.adapter.session!.attention(status, id));
    if (ProviderQueueWatch.wanted(deps.adapter)) this.#queueWatch = new ProviderQueueWatch(deps.ctx, deps.adapter, () => this.sender, credentials, (rate) => this.#capRate(rate));
  }

  #rate(sender: Sender): number {
    // The channel's own ceiling (`maxThroughput`), the sender's `mps`, and what the provider says it can send now.
    const ceiling = this.#deps.adapter.capabilities.maxThroughput ?? Infinity;
    return Math.max(0.01, Math.min(sender.mps, ceiling, this.#providerMaxRate) * this.#deps.ctx.config.throughputHeadroom);
  }

  /** The provider says how fast it can send for this sender: never hand it messages faster. */
  #capRate(maxRate: number): void {
    if (maxRate === this.#providerMaxRate) return;
    this.#providerMaxRate = maxRate;
    this.update(this.sender);
    this.#deps.ctx.logger.info({ sender: this.sender.id, mps: this.sender.mps, providerMaxRate: maxRate, rate: this.#bucket.rate }, 'sender paced to what the provider can send');
  }

  /** Applies a changed sender definition (throughput, tier) without losing pacing state. */
  update(sender: Sender): void {
    this.sender = sender;
    this.#bucket.rate = this.#rate(sender);
    this.#bucket.capacity = Math.max(1, this.#bucket.rate / 20);
  }

  /**
   * Starts sending. `recorded` is the health stored for the sender: if the worker that held it before
   * found the provider unreachable, this one starts with its breaker open and probes first.
   */
  start(recorded?: { state: SenderHealthState; reason: string | null }): void {
    if (recorded?.state === 'unreachable') {
      this.breaker.resumeOpen(this.#deps.ctx.clock.now(), recorded.reason ?? 'recorded unreachable');
      this.#reportedHealth = 'unreachable';
    }
    if (recorded?.state === 'unauthenticated' && this.instance) {
      this.instance.resumeHeld(recorded.reason);
      this.#reportedHealth = 'unauthenticated';
    }
    this.#running = true;
    this.#unsubscribe = this.#deps.ctx.signals.onOutboxQueued((senderId) => {
      if (senderId === this.sender.id) this.#schedule(0);
    });
    this.#schedule(0);
    this.#queueWatch?.start();
  }

  /** Stops claiming; resolves when every in-flight provider call has finished and been handed to the writer. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#stopped = true;
    this.#unsubscribe?.();
    if (this.#timer) clearTimeout(this.#timer);
    if (this.inflight.size > 0 || this.#ticking) await new Promise<void>((resolve) => this.#idle.push(resolve));
    await this.#queueWatch?.stop();
    await this.#healthWrites;
  }

  /**
   * Hands the breaker's view of the sender to the database when it changed: the API, /readyz and
   * /metrics of every process read it there, and business systems hear `sender.health`.
   */
  #reportHealth(now: number): void {
    const state = this.instance?.held ? 'unauthenticated' : this.breaker.health(now);
    if (state === this.#reportedHealth) return;
    const previous = this.#reportedHealth;
    this.#reportedHealth = state;
    const { ctx, workerId } = this.#deps;
    const failure = this.breaker.lastFailure;
    const reason =
      state === 'unauthenticated'
        ? this.instance!.reason
        : state === 'unreachable'
          ? `The provider is unreachable (${failure}); sending is paused and probed, queued messages wait.`
          : state === 'degraded'
            ? `The provider fails a share of calls (${failure}).`
            : null;
    if (state === 'unauthenticated') ctx.logger.warn({ sender: this.sender.id, instance: this.instance!.status }, 'UltraMsg instance not authenticated: the sender\'s messages are held');
    else if (previous === 'unauthenticated') ctx.logger.info({ sender: this.sender.id, health: state }, 'UltraMsg instance authenticated again: sending resumes');
    if (state === 'unreachable') ctx.logger.warn({ sender: this.sender.id, failure, retryAt: new Date(this.breaker.retryAt).toISOString() }, 'provider unreachable: the sender is paused by its circuit breaker');
    else if (previous === 'unreachable' || previous === 'degraded') ctx.logger.info({ sender: this.sender.id, health: state }, 'provider reachable again');
    const instance = this.instance?.status;
    const detail = instance && (state === 'unauthenticated' || previous === 'unauthenticated') ? { instance: { status: instance.status, substatus: instance.substatus } } : undefined;
    const change = { senderId: this.sender.id, workspaceId: this.sender.workspaceId, state, reason, at: now, workerId, detail };
    this.#healthWrites = this.#healthWrites
      .then(() => recordSenderHealth(ctx, change))
      .then(
        () => {},
        (error) => {
          if (!isStorageFull(error)) ctx.logger.error({ err: error, sender: this.sender.id }, 'recording sender health failed');
          // Try again on the next round.
          if (this.#reportedHealth === state) this.#reportedHealth = undefined;
        },
      );
  }

  /**
   * Checks the UltraMsg instance's session once (the dispatcher calls it when `instance.due`): holds or
   * releases the sender and reports the health change. Never throws: a failed check backs off.
   */
  async checkInstance(): Promise<void> {
    const watch = this.instance;
    const port = this.#deps.adapter.session;
    if (!watch || !port || watch.checking || this.#stopped) return;
    const { ctx } = this.#deps;
    watch.checking = true;
    try {
      const result = await port.status(this.sender, this.#credentials);
      // Stopped meanwhile (the lease moved): the next holder checks for itself.
      if (this.#stopped) return;
      const now = ctx.clock.now();
      if (result.ok) {
        if (watch.onStatus(result.status, now)) this.#schedule(0);
      } else {
        watch.onError(now);
        // Once per episode of failures, then every 20th: a wrong token or a stopped instance is also visible in sends.
        if (watch.failures === 1 || watch.failures % 20 === 0) ctx.logger.warn({ sender: this.sender.id, code: result.error.code, error: result.error.title, failures: watch.failures, nextCheckAt: new Date(watch.nextCheckAt).toISOString() }, 'UltraMsg instance status check failed; checking again later');
      }
      this.#reportHealth(ctx.clock.now());
    } finally {
      watch.checking = false;
    }
  }

  prune(now: number): void {
    this.#pacer.prune(now);
  }

  #settleIfIdle(): void {
    if (this.#stopped && this.inflight.size === 0 && !this.#ticking) for (const resolve of this.#idle.splice(0)) resolve();
  }

  #schedule(delay: number): void {
    if (!this.#running) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#tick(), delay);
  }

  async #tick(): Promise<void> {
    this.#timer = undefined;
    if (!this.#running || this.#ticking) return;
    this.#ticking = true;
    let next = IDLE_POLL_MS;
    try {
      next = await this.#dispatchOnce();
      this.#failures = 0;
    } catch (error) {
      this.#failures++;
      logLoopFailure(this.#deps.ctx.logger.child({ sender: this.sender.id }), error, this.#failures, 'dispatch round');
      next = Math.max(100, failureBackoff(this.#failures, 250, 2 * SECOND));
    } finally {
      this.#ticking = false;
      this.#settleIfIdle();
    }
    this.#schedule(next);
  }

  /** One claim-and-send round. Returns how long to wait before the next one. */
  async #dispatchOnce(): Promise<number> {
    const { ctx } = this.#deps;
    const now = ctx.clock.now();
    this.#reportHealth(now);
    // The UltraMsg instance is not authenticated (logged out, phone offline): nothing is claimed; the
    // messages stay queued with no attempt counted (their validity still runs out in the sweeper).
    if (this.instance?.held) return HOLD_POLL_MS;
    // The provider is unreachable: nothing is claimed (queued messages wait, their validity still
    // runs out in the sweeper) until the breaker allows one probe.
    const allowance = this.breaker.allowance(now);
    if (allowance === 0) {
      const wait = this.breaker.retryAt - now;
      return wait > 0 ? Math.min(BREAKER_POLL_MS, wait) : BREAKER_POLL_MS;
    }
    // Back-pressure from the database: while outcomes wait to be written, claim no more.
    if (this.#deps.writer.pending > WRITER_BACKLOG_LIMIT) return ROUND_MS;
    // In flight: about 100 ms of the sender's throughput, and the process-wide cap shared by all senders,
    // so a provider slower than the buckets allow queues work in the database, not in memory.
    const maxInflight = Math.max(16, Math.ceil(this.sender.mps / 10));
    const room = Math.min(Math.floor(this.#bucket.available(now)), maxInflight - this.inflight.size, this.#deps.inflightBudget.available, MAX_BATCH, allowance);
    const batch = Math.max(1, Math.floor((this.#bucket.rate * ROUND_MS) / 1000));
    if (room < 1) return Math.max(1, this.#bucket.waitMs(now, Math.min(batch, this.#bucket.capacity)));
    const probing = this.breaker.state !== 'closed';
    if (probing) {
      this.breaker.probeStarted();
      this.#probePending = true;
    }

    const claimed = await claimDue(ctx.store, this.sender.id, this.#deps.workerId, now, room, {
      choose: (candidates) => {
        const claim: ClaimCandidate[] = [];
        const defer: Array<{ id: string; until: number }> = [];
        const contacts = new Set<string>();
        for (const m of candidates) {
          const contact = m.contact_id ?? m.id;
          // One message per recipient at a time keeps per-recipient order.
          if (this.#busyContacts.has(contact) || contacts.has(contact)) continue;
          const readyAt = this.#pacer.readyAt(contact, m.lane ?? 'transactional', now);
          if (readyAt > now) {
            defer.push({ id: m.id, until: readyAt });
            this.#deps.metrics.throttled.inc({ sender: this.sender.id, reason: 'pair_pacing' });
            continue;
          }
          contacts.add(contact);
          claim.push(m);
        }
        return { claim, defer };
      },
    });
    if (claimed.length === 0) {
      if (probing) this.#probeSkipped();
      return IDLE_POLL_MS;
    }
    await this.#gateAndSend(claimed);
    // The probe was refused or held by a gate before reaching the provider: probe with the next one.
    if (this.#probePending) this.#probeSkipped();
    // A full round means more is due: come back when the next batch of tokens is there.
    return claimed.length < room ? IDLE_POLL_MS : Math.max(1, this.#bucket.waitMs(ctx.clock.now(), Math.min(batch, this.#bucket.capacity)));
  }

  #probeSkipped(): void {
    this.#probePending = false;
    this.breaker.probeSkipped();
  }

  async #gateAndSend(claimed: ClaimedMessage[]): Promise<void> {
    const { ctx, writer } = this.#deps;
    const now = ctx.clock.now();
    const contents = await Promise.all(claimed.map(async (m) => JSON.parse(await ctx.keyring.decrypt(m.workspace_id, m.content!)) as StoredContent));
    const drafts: OutboundDraft[] = claimed.map((m, i) => {
      const lane = (m.lane ?? 'transactional') as Lane;
      return {
        workspaceId: m.workspace_id,
        messageId: m.id,
        senderId: this.sender.id,
        provider: this.sender.provider,
        wabaId: this.sender.wabaId,
        contactId: m.contact_id ?? '',
        to: contents[i].to,
        lane,
        type: m.type,
        template: m.type === 'template' ? templateRefOf(contents[i].payload) : undefined,
        purpose: PURPOSE_OF_LANE[lane],
        channel: 'whatsapp',
        createdAt: m.created_at,
        validUntil: m.valid_until,
      };
    });
    const runs = await runGatesMany(ctx, this.#deps.gates, drafts, now);
    // Only a channel with messaging tiers (`tierLimit`) counts recipients against the sender's limit.
    const holds =
      this.sender.messagingLimit !== null && this.#deps.adapter.capabilities.tierLimit
        ? await reserveTierBudget(ctx.store, this.sender.id, this.sender.portfolioId, this.sender.messagingLimit, claimed.filter((_, i) => runs[i].verdict.outcome === 'pass').map((m) => ({ id: m.id, contactId: m.contact_id ?? '', type: m.type })), now)
        : new Map<string, number>();

    for (const [i, m] of claimed.entries()) {
      const run = runs[i];
      const decisionEvent = { messageId: m.id, kind: 'decision' as const, status: null, at: now, detail: { stage: 'dispatch', gates: describeRun(run) } };
      const decision = decide(run.verdict);
      if (decision.kind === 'end') {
        writer.push({ kind: 'final', id: m.id, workspaceId: m.workspace_id, status: decision.status, code: decision.code, reason: decision.reason, attempts: m.attempts, at: now, event: decisionEvent });
        continue;
      }
      if (decision.kind === 'hold' || holds.has(m.id)) {
        const until = decision.kind === 'hold' ? decision.until : holds.get(m.id)!;
        const reason = decision.kind === 'hold' ? decision.reason : 'The portfolio reached its daily unique-recipient limit (messaging tier); held until a slot frees up.';
        if (holds.has(m.id)) this.#deps.metrics.throttled.inc({ sender: this.sender.id, reason: 'tier' });
        writer.push({ kind: 'requeue', id: m.id, nextAttemptAt: until, refundAttempt: true, at: now, event: { ...decisionEvent, detail: { ...decisionEvent.detail, held: reason, until: new Date(until).toISOString() } } });
        continue;
      }
      if (decision.kind === 'backup') {
        // The template was paused or disabled after accept: send its backup instead.
        const rerouted = applyReroute(decision.template, contents[i].payload);
        const template = templateRefOf(rerouted.payload);
        this.#send(m, { ...drafts[i], template }, { ...contents[i], payload: rerouted.payload }, now, describeRun(run), { from: rerouted.from, to: { name: template.name, language: template.language } });
        continue;
      }
      this.#send(m, drafts[i], contents[i], now, describeRun(run));
    }
  }

  #send(m: ClaimedMessage, draft: OutboundDraft, content: StoredContent, now: number, gates: ReturnType<typeof describeRun>, reroute?: Reroute): void {
    const { ctx, adapter, writer } = this.#deps;
    this.#bucket.take(now);
    this.#pacer.take(draft.contactId, now);
    if (this.#probePending) {
      this.#probePending = false;
      this.#probeId = m.id;
    }
    this.inflight.add(m.id);
    this.#deps.inflightBudget.used++;
    this.#busyContacts.add(draft.contactId);
    const started = ctx.clock.now();
    this.#resolveReferences(m, content)
      .then((refs) =>
        'error' in refs
          ? ({ ok: false, error: { code: refs.code ?? (refs.permanent ? 'ultramsg_unsupported' : 'reference_unknown'), title: refs.error } } as SendOutcome)
          : adapter.send(this.sender, this.#credentials, { messageId: m.id, to: draft.to, type: m.type, payload: refs.payload, replyToProviderId: refs.replyTo, renderedText: refs.renderedText, ...(refs.media ? { media: refs.media } : {}), lane: draft.lane }),
      )
      .then((result) => this.#rememberUpload(m, content, result))
      .then((result) => this.#withProviderId(m, result))
      .then(
        ({ result, providerId }) => writer.push(this.#outcome(m, draft, result, started, gates, reroute, providerId)),
        (error) => writer.push(this.#outcome(m, draft, { ok: false, error: { code: 'network', title: String((error as Error)?.message ?? error) } }, started, gates, reroute)),
      )
      .finally(() => {
        this.inflight.delete(m.id);
        this.#deps.inflightBudget.used--;
        this.#busyContacts.delete(draft.contactId);
        if (this.#probeId === m.id) this.#probeId = undefined;
        this.#reportHealth(ctx.clock.now());
        this.#settleIfIdle();
        if (this.#running) this.#schedule(0);
      });
  }

  /**
   * The provider's id of an accepted send, keyed-hashed (to match statuses) and sealed (to quote it
   * later), here, outside the outcome writer's transaction. Sealing failing must not turn a message the
   * provider took into a retry (it would be sent twice): the id is then stored as its hash only.
   */
  async #withProviderId(m: ClaimedMessage, result: SendOutcome): Promise<{ result: SendOutcome; providerId?: { hash: string; sealed: string | null } }> {
    if (!result.ok) return { result };
    const { ctx } = this.#deps;
    const hash = providerIdHash(ctx.keyring, result.providerMessageId);
    try {
      return { result, providerId: { hash, sealed: await sealProviderId(ctx.keyring, m.workspace_id, result.providerMessageId) } };
    } catch (error) {
      ctx.logger.error({ err: error, messageId: m.id }, 'sealing the provider id failed; storing its hash only');
      return { result, providerId: { hash, sealed: null } };
    }
  }

  /**
   * The provider's media id of an upload the adapter just made, kept for this sender (a resend, or the
   * same file to another customer, does not upload again). Failing to keep it only costs an upload later.
   */
  async #rememberUpload(m: ClaimedMessage, content: StoredContent, result: SendOutcome): Promise<SendOutcome> {
    const uploadId = content.payload.mediaId;
    if (!result.uploadedMediaId || typeof uploadId !== 'string') return result;
    const { ctx } = this.#deps;
    try {
      await rememberProviderMedia(ctx.db, { uploadId, senderId: this.sender.id, providerMediaId: result.uploadedMediaId, at: ctx.clock.now() });
    } catch (error) {
      ctx.logger.warn({ err: error, messageId: m.id }, 'keeping the provider media id of an upload failed; the next send uploads it again');
    }
    return result;
  }

  /**
   * Quoted messages and reaction targets may be given as Parley ids: send the provider's id. A Parley
   * upload (`mediaId`) is read with the provider media id kept for this sender; one erased since the
   * accept fails the message (`media_gone`).
   */
  async #resolveReferences(m: ClaimedMessage, content: StoredContent): Promise<{ payload: Record<string, unknown>; replyTo?: string; renderedText?: string; media?: OutboundMedia } | { error: string; permanent?: boolean; code?: string }> {
    const { ctx } = this.#deps;
    const lookup = async (ref: string): Promise<string | undefined> => {
      if (!ref.startsWith('msg_')) return ref;
      const sealed = await sealedProviderIdOf(ctx.db, m.workspace_id, ref);
      return (await openProviderId(ctx.keyring, m.workspace_id, sealed ?? null)) ?? undefined;
    };
    // A wamid names the customer's number: error texts (stored in the message's history) name Parley ids only.
    const named = (ref: string) => (ref.startsWith('msg_') ? ` (${ref})` : '');
    let payload = content.payload;
    if (content.type === 'reaction') {
      const target = await lookup(String(payload.message_id));
      if (!target) return { error: `The message reacted to${named(String(payload.message_id))} has no provider id yet.` };
      payload = { ...payload, message_id: target };
    }
    const replyTo = content.replyTo ? await lookup(content.replyTo) : undefined;
    if (content.replyTo && !replyTo) return { error: `The quoted message${named(content.replyTo)} has no provider id yet.` };
    let renderedText: string | undefined;
    if (content.type === 'template') {
      try {
        renderedText = await renderedTextFor(this.#deps.ctx, this.#deps.adapter, { workspaceId: m.workspace_id, senderId: this.sender.id, name: String(payload.name), language: String((payload.language as { code: string }).code), components: payload.components as never });
      } catch (error) {
        return { error: (error as Error).message, permanent: true };
      }
    }
    let media: OutboundMedia | undefined;
    if (typeof payload.mediaId === 'string') {
      media = await uploadToSend(ctx.db, ctx.keyring, m.workspace_id, payload.mediaId, this.sender.id, ctx.clock.now());
      if (!media) return { error: `The upload ${payload.mediaId} is gone (erased with a contact, or deleted) since the message was accepted.`, code: 'media_gone' };
    }
    return { payload, replyTo, renderedText, ...(media ? { media } : {}) };
  }

  /** The dispatch-time gate results travel in the attempt's event, so every send records why it went. */
  #outcome(m: ClaimedMessage, draft: OutboundDraft, result: SendOutcome, started: number, gates: ReturnType<typeof describeRun>, reroute?: Reroute, providerId?: { hash: string; sealed: string | null }): Outcome {
    const { ctx, metrics } = this.#deps;
    const now = ctx.clock.now();
    const senderId = this.sender.id;
    const probe = this.#probeId === m.id;
    if (result.ok) {
      this.breaker.recordReachable(now);
      metrics.sends.inc({ sender: senderId, result: 'accepted' });
      metrics.acceptToProvider.observe({ lane: draft.lane }, (now - m.created_at) / 1000);
      this.#pacer.onDelivered(draft.contactId);
      this.#pacer.unblock(draft.contactId, draft.lane);
      return {
        kind: 'accepted',
        id: m.id,
        providerIdHash: providerId!.hash,
        providerIdSealed: providerId!.sealed,
        at: now,
        ...(reroute ? { template: reroute.to } : {}),
        // The provider id is not in the history (it names the customer's number): the message has it, sealed.
        event: { stage: 'dispatch', gates, attempt: m.attempts, latencyMs: now - started, ...(reroute ? { rerouted: reroute } : {}) },
      };
    }
    const error = result.error;
    metrics.providerErrors.inc({ provider: this.sender.provider, code: error.code });
    // Errors Parley found before calling the provider say nothing about the provider.
    const answeredByProvider = error.code !== 'reference_unknown' && error.code !== 'ultramsg_unsupported' && error.code !== 'media_gone';
    let providerDown = false;
    if (answeredByProvider && this.#deps.adapter.isOutage(error)) providerDown = this.breaker.recordOutage(now, `${error.code}: ${error.title}`, probe);
    else if (answeredByProvider) this.breaker.recordReachable(now);
    const action: ErrorAction =
      error.code === 'reference_unknown' ? { action: 'retry', reason: error.title, maxAttempts: 5 }
      : error.code === 'media_gone' ? { action: 'permanent', reason: error.title }
      : this.#deps.adapter.classifyError(error);
    const detail = { stage: 'dispatch', gates, code: error.code, title: error.title, details: error.details, httpStatus: error.httpStatus, fbtraceId: error.fbtraceId, action: action.action, attempt: m.attempts };
    const event = (extra: Record<string, unknown> = {}) => ({ messageId: m.id, kind: 'error' as const, status: null, at: now, detail: { ...detail, ...extra } });
    const fail = (status: 'failed' | 'refused', reason: string, suppress?: SuppressionScope): Outcome => {
      metrics.sends.inc({ sender: senderId, result: 'failed' });
      return { kind: 'final', id: m.id, workspaceId: m.workspace_id, status, code: error.code, reason, attempts: m.attempts, at: now, event: event({ final: true }), ...(suppress && m.contact_id ? { suppress: { contactId: m.contact_id, scope: suppress } } : {}) };
    };
    const requeue = (until: number, refund: boolean, result: string): Outcome => {
      metrics.sends.inc({ sender: senderId, result });
      this.#pacer.block(draft.contactId, draft.lane, until);
      return { kind: 'requeue', id: m.id, nextAttemptAt: until, refundAttempt: refund, at: now, event: event({ retryAt: new Date(until).toISOString() }) };
    };
    // The sender is paused by its breaker: the message waits in the queue for the provider to come back,
    // and the attempt does not count (only per-message faults use up a message's attempts).
    if (providerDown) {
      metrics.throttled.inc({ sender: senderId, reason: 'provider_unreachable' });
      return requeue(now, true, 'provider_unreachable');
    }
    switch (action.action) {
      case 'throttle': {
        // The provider says we are over throughput: pause the whole sender for a second.
        this.#bucket.drainUntil(now, now + 1 * SECOND);
        metrics.throttled.inc({ sender: senderId, reason: 'provider_130429' });
        return requeue(now + 1 * SECOND, true, 'throttled');
      }
      case 'pair_delay':
        metrics.throttled.inc({ sender: senderId, reason: 'provider_131056' });
        return requeue(this.#pacer.onPairLimit(draft.contactId, now), true, 'pair_limited');
      case 'retry':
        if (m.attempts >= (action.maxAttempts ?? MAX_ATTEMPTS)) return fail('failed', `Gave up after ${m.attempts} attempts: ${action.reason}`);
        return requeue(now + backoffDelay(m.attempts), false, 'retry');
      case 'retry_later':
        if (m.attempts >= action.maxAttempts) return fail('failed', `Gave up after ${m.attempts} attempts: ${action.reason}`);
        return requeue(now + action.delayMs, false, 'retry');
      case 'window_closed':
        return fail('failed', `${action.reason} Send an approved template, or an intent with a template for when the window is closed.`);
      case 'permanent':
        return fail('failed', action.reason, action.suppress);
    }
  }
}
