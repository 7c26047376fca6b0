/**
 * A resolution cycle's timeline, pure: from the cycle's conversation events (in order), when it started,
 * when the bot owned it, when it was snoozed, when a person first replied and after which hand-off,
 * which customer messages waited for a reply, and when it was resolved. The metrics (`cycle-metrics.ts`)
 * and the SLA clocks (`sla-evaluation.ts`) are both read off it, so they agree.
 *
 * Terms
 * - span: a time range `[from, to)` in ms since the epoch; a span still open at `until` ends there.
 * - bot span: from `bot_took` to the event that takes the conversation from the bot (hand-off,
 *   escalation, assignment, transfer, resolution).
 * - hand-off to a human: the end of the last bot span before the first human reply; when the bot still
 *   owns the conversation at that reply, the reply itself (a person answered in the bot's place).
 * - wait: from a customer message to the next public reply by a person. The first wait of a cycle is
 *   the first response's; later ones (a customer message after a reply, while nothing else waits) are
 *   next responses.
 */

export interface Span {
  from: number;
  to: number;
}

/** What the timeline reads of a conversation event. */
export interface CycleEvent {
  type: string;
  at: number;
  data?: Record<string, unknown>;
}

export interface CycleTimeline {
  startedAt: number;
  /** The end the open spans were closed at: the resolution, or `until`. */
  endedAt: number;
  resolvedAt: number | null;
  firstHumanReplyAt: number | null;
  /** The hand-off to a human before the first reply (null: the bot never owned the cycle before it). */
  handoffAt: number | null;
  botSpans: Span[];
  snoozeSpans: Span[];
  /** Next-response waits: customer messages after the first reply, until the reply to them (open: `to` is `endedAt`, `open` true). */
  waits: Array<Span & { open: boolean }>;
  /** Whether the bot owns it / it is snoozed at `endedAt`. */
  botOwnsAtEnd: boolean;
  snoozedAtEnd: boolean;
}

/** Events that take a conversation from the bot (`state-machine.ts`: each sets another owner). */
const ENDS_BOT = new Set(['conversation.handed_off', 'conversation.escalated', 'conversation.assigned', 'conversation.transferred', 'conversation.resolved']);

/**
 * Builds the timeline of one cycle from its events (those recorded with its cycle number, in sequence
 * order), started at `startedAt` (the conversation's `cycle_started_at`), up to `until` (now, for a
 * cycle still open).
 */
export function cycleTimeline(startedAt: number, events: readonly CycleEvent[], until: number): CycleTimeline {
  let botFrom: number | null = null;
  let snoozeFrom: number | null = null;
  let lastBotEnd: number | null = null;
  let firstHumanReplyAt: number | null = null;
  let handoffAt: number | null = null;
  let resolvedAt: number | null = null;
  let waitFrom: number | null = null;
  const botSpans: Span[] = [];
  const snoozeSpans: Span[] = [];
  const waits: CycleTimeline['waits'] = [];
  for (const e of events) {
    if (e.at > until || resolvedAt !== null) break;
    if (e.type === 'conversation.bot_took' && botFrom === null) botFrom = e.at;
    else if (ENDS_BOT.has(e.type) && botFrom !== null) {
      botSpans.push({ from: botFrom, to: e.at });
      lastBotEnd = e.at;
      botFrom = null;
    }
    if (e.type === 'conversation.snoozed' && snoozeFrom === null) snoozeFrom = e.at;
    else if ((e.type === 'conversation.woke' || e.type === 'conversation.resolved') && snoozeFrom !== null) {
      snoozeSpans.push({ from: snoozeFrom, to: e.at });
      snoozeFrom = null;
    }
    if (e.type === 'conversation.message_in' && firstHumanReplyAt !== null && waitFrom === null) waitFrom = e.at;
    if (e.type === 'conversation.message_out' && e.data?.human === true) {
      if (firstHumanReplyAt === null) {
        firstHumanReplyAt = e.at;
        handoffAt = botFrom !== null ? e.at : lastBotEnd;
      } else if (waitFrom !== null) {
        waits.push({ from: waitFrom, to: e.at, open: false });
        waitFrom = null;
      }
    }
    if (e.type === 'conversation.resolved') resolvedAt = e.at;
  }
  const endedAt = resolvedAt ?? until;
  if (botFrom !== null) botSpans.push({ from: botFrom, to: endedAt });
  if (snoozeFrom !== null) snoozeSpans.push({ from: snoozeFrom, to: endedAt });
  if (waitFrom !== null) waits.push({ from: waitFrom, to: endedAt, open: resolvedAt === null });
  return { startedAt, endedAt, resolvedAt, firstHumanReplyAt, handoffAt, botSpans, snoozeSpans, waits, botOwnsAtEnd: resolvedAt === null && botFrom !== null, snoozedAtEnd: resolvedAt === null && snoozeFrom !== null };
}

/** The spans in order, overlapping and touching ones merged. */
export function union(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((s) => s.to > s.from).sort((a, b) => a.from - b.from);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out.at(-1);
    if (last && s.from <= last.to) last.to = Math.max(last.to, s.to);
    else out.push({ ...s });
  }
  return out;
}

/** `[from, to)` less the `holes` (any order, may overlap): the spans left, in order. */
export function subtract(from: number, to: number, holes: readonly Span[]): Span[] {
  const out: Span[] = [];
  let cursor = from;
  for (const h of union(holes)) {
    if (h.to <= cursor) continue;
    if (h.from >= to) break;
    if (h.from > cursor) out.push({ from: cursor, to: h.from });
    cursor = Math.max(cursor, h.to);
  }
  if (cursor < to) out.push({ from: cursor, to });
  return out;
}
