import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import type { RefusalCode } from '../errors/refusal-codes.js';
import { isUniqueViolation } from '../db/errors.js';
import { canonicalJson, sha256Hex } from '../shared/canonical-json.js';
import { newId } from '../shared/ids.js';
import { outboundMessageRow, type OutboundMessageInput } from '../messages/message-row.js';
import { acceptAnswerOf, messageOfIdempotencyKey } from '../messages/accepted-messages.js';
import { validateContent } from './content-rules.js';
import type { MessageType, SendMessageBody, StoredContent } from './content-schema.js';
import { PURPOSE_OF_LANE, type Gate, type OutboundDraft } from './gates/gate.js';
import { runGates } from './gates/run-gates.js';
import { decide, describeRun, statusOfDecision, type GateRun } from '../policy/decide.js';
import { applyReroute } from './reroute.js';
import { resolveIntentSend } from './intent-send.js';
import { renderedTextFor, renderingChannelsOf, templateRefOf } from './template-bridge.js';
import { DEFAULT_OTP_VALIDITY } from './lanes.js';
import type { Lane } from '../policy/lanes.js';
import type { AcceptedView } from '../messages/message-view.js';
import { resolveRecipient } from './resolve-recipient.js';
import { resolveSender } from './resolve-sender.js';
import { GroupCommit } from '../db/group-commit.js';
import { writeAccepts, type AcceptAudit, type AcceptWrite } from './accept-write.js';
import { uploadForMessage } from '../uploads/upload-store.js';

const committers = new WeakMap<ParleyContext, GroupCommit<AcceptWrite>>();

/** The outbox write of accepted messages, group-committed: concurrent accepts share a transaction. */
function acceptCommitter(ctx: ParleyContext): GroupCommit<AcceptWrite> {
  let committer = committers.get(ctx);
  if (!committer) committers.set(ctx, (committer = new GroupCommit(ctx.db, (tx, items) => writeAccepts(tx, items, ctx.audit))));
  return committer;
}

export interface AcceptInput {
  workspaceId: string;
  body: SendMessageBody;
  idempotencyKey?: string;
  /**
   * Who asked, on the send API: the accepted message is recorded as `message.accepted` in the audit
   * trail, in the accept's own transaction (unless PARLEY_AUDIT_SENDS is off). Absent for sends Parley
   * makes by itself (confirmations, window fallbacks), which are not a person's change.
   */
  audit?: AcceptAudit;
}

export type AcceptResult = { outcome: 'accepted'; replayed: boolean; view: AcceptedView } | { outcome: 'refused'; replayed: boolean; view: AcceptedView };

const parseTime = (value: string | undefined, field: string): number | undefined => {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ParleyError('REQUEST_INVALID', { message: `${field} is not a valid date-time.`, field: `/${field}` });
  return ms;
};

/** A message that ends at accept (refused, or already expired) and is answered as a refusal. */
const ended = (status: OutboundMessageInput['status']): boolean => status === 'refused' || status === 'expired';

/** The error a refused accept answers with: 422, naming the gate and why. */
export function refusalError(view: AcceptedView): ParleyError {
  const last = view.decisions.at(-1);
  return new ParleyError('MESSAGE_REFUSED', {
    message: `Refused by the ${last?.gate ?? 'policy'} gate: ${last?.reason ?? 'no reason recorded'}`,
    details: { messageId: view.id, code: last?.code, decisions: view.decisions },
  });
}

/** The lane a request names: `lane`, or the deprecated `category` (decision 0013); both must agree. */
function laneOf(body: SendMessageBody): Lane {
  if (body.lane !== undefined && body.category !== undefined && body.lane !== body.category) {
    throw new ParleyError('REQUEST_INVALID', { message: `lane is ${body.lane} but category (its deprecated name) is ${body.category}: give lane alone.`, field: '/category' });
  }
  return body.lane ?? body.category ?? 'transactional';
}

/**
 * The request as its Idempotency-Key's hash sees it: the lane under `category`, the name requests
 * used before `lane` existed, so a retry that names the lane either way replays the same message.
 */
function hashedForm(body: SendMessageBody): SendMessageBody {
  if (body.lane === undefined) return body;
  const { lane, ...rest } = body;
  return { ...rest, category: lane };
}

async function replay(ctx: ParleyContext, workspaceId: string, key: string, requestHash: string): Promise<AcceptResult | undefined> {
  const existing = await messageOfIdempotencyKey(ctx.db, workspaceId, key);
  if (!existing) return undefined;
  if (existing.request_hash !== requestHash) throw new ParleyError('IDEMPOTENCY_CONFLICT', { details: { messageId: existing.id } });
  const view = JSON.parse((await acceptAnswerOf(ctx.db, existing.id)) ?? '{}') as AcceptedView;
  // An answer stored before the lane had its own field (migration 0013) names it `category` only.
  view.lane ??= view.category;
  return { outcome: view.status === 'refused' ? 'refused' : 'accepted', replayed: true, view };
}

/**
 * Accepts one outbound message: validates it, resolves sender and recipient, runs the policy gates,
 * and commits the message (the outbox row) with its decision log before returning. Idempotent by key.
 */
export async function acceptMessage(ctx: ParleyContext, gates: readonly Gate<any>[], input: AcceptInput): Promise<AcceptResult> {
  const prepared = await prepareAccept(ctx, gates, input);
  return 'done' in prepared ? prepared.done : commitPrepared(ctx, prepared);
}

/** One message of `acceptMessages`: accepted (or refused by a gate), or the error a single accept would have thrown. */
export type SettledAccept = { ok: true; result: AcceptResult } | { ok: false; error: unknown };

/**
 * Accepts a run of messages in order, committed together (one transaction under the group commit):
 * each is prepared as `acceptMessage` prepares it, one after the other, then all are submitted at
 * once, in order. A message that fails (a bad payload) fails alone. The gates of a later message do
 * not see the earlier ones of the run, as with concurrent requests.
 */
export async function acceptMessages(ctx: ParleyContext, gates: readonly Gate<any>[], inputs: readonly AcceptInput[]): Promise<SettledAccept[]> {
  const prepared: Array<{ ok: true; value: PreparedAccept } | { ok: false; error: unknown }> = [];
  for (const input of inputs) {
    try {
      prepared.push({ ok: true, value: await prepareAccept(ctx, gates, input) });
    } catch (error) {
      prepared.push({ ok: false, error });
    }
  }
  // Submitted in order before any is awaited: they share the group commit's next transaction.
  const committing = prepared.map((p) => (!p.ok ? Promise.reject(p.error) : 'done' in p.value ? Promise.resolve(p.value.done) : commitPrepared(ctx, p.value)));
  return Promise.all(committing.map((c) => c.then((result): SettledAccept => ({ ok: true, result }), (error: unknown): SettledAccept => ({ ok: false, error }))));
}

/** A message ready to commit, or what became of it without a commit (a replay). */
type PreparedAccept = { done: AcceptResult } | { write: AcceptWrite; input: AcceptInput; requestHash: string | null; senderId: string; status: OutboundMessageInput['status']; view: AcceptedView };

async function prepareAccept(ctx: ParleyContext, gates: readonly Gate<any>[], input: AcceptInput): Promise<PreparedAccept> {
  const { workspaceId, body } = input;
  const requestHash = input.idempotencyKey ? sha256Hex(canonicalJson(hashedForm(body))) : null;
  if (input.idempotencyKey) {
    const replayed = await replay(ctx, workspaceId, input.idempotencyKey, requestHash!);
    if (replayed) return { done: replayed };
  }

  if (body.intent && body.type !== undefined) throw new ParleyError('REQUEST_INVALID', { message: 'Give either an `intent` or a message `type` with its payload, not both.', field: '/type' });
  const now = ctx.clock.now();
  const sendAt = parseTime(body.sendAt, 'sendAt') ?? now;
  const lane: Lane = laneOf(body);
  let validUntil = parseTime(body.validUntil, 'validUntil') ?? null;
  if (validUntil === null && lane === 'otp') validUntil = sendAt + DEFAULT_OTP_VALIDITY;
  if (validUntil !== null && validUntil <= now) throw new ParleyError('REQUEST_INVALID', { message: 'validUntil is in the past.', field: '/validUntil' });
  let chosen: { type: MessageType; payload: Record<string, unknown> } | undefined = body.intent ? undefined : { type: body.type!, payload: validateContent(body) };
  // A file uploaded to Parley: it must exist in the workspace and be of the message's kind.
  const mediaId = chosen && typeof chosen.payload.mediaId === 'string' ? chosen.payload.mediaId : undefined;
  if (mediaId) await uploadForMessage(ctx.db, ctx.keyring, workspaceId, chosen!.type, mediaId);

  const sender = await resolveSender(ctx, workspaceId, body.from);
  const recipient = await resolveRecipient(ctx, workspaceId, body);
  const id = newId('msg', now);
  const metadata: Record<string, unknown> = { ...(body.metadata ?? {}) };
  let intentDecision: unknown;
  let intentRefusal: { code: RefusalCode; reason: string } | undefined;
  if (body.intent) {
    const resolved = await resolveIntentSend(ctx, { workspaceId, sender, contactId: recipient.contactId, intent: body.intent, now });
    intentDecision = resolved.decision;
    if (resolved.variantId) metadata.variant = resolved.variantId;
    if (resolved.kind === 'unavailable') intentRefusal = { code: resolved.code, reason: resolved.reason };
    chosen = resolved.kind === 'unavailable' ? { type: 'text', payload: {} } : { type: resolved.type, payload: resolved.payload };
  }
  const type = chosen!.type;
  let payload = chosen!.payload;
  const templateOf = (p: Record<string, unknown>) => (type === 'template' ? templateRefOf(p) : undefined);
  const draft: OutboundDraft = {
    workspaceId,
    messageId: id,
    senderId: sender.id,
    provider: sender.provider,
    wabaId: sender.wabaId,
    contactId: recipient.contactId,
    newContact: recipient.newContact !== undefined,
    to: recipient.phone,
    lane,
    type,
    template: templateOf(payload),
    purpose: PURPOSE_OF_LANE[lane],
    channel: 'whatsapp',
    createdAt: now,
    validUntil,
  };
  // Gates judge the message as of when it would go out: a scheduled message is judged at dispatch too.
  let run: GateRun = intentRefusal
    ? { decisions: [{ gate: 'intent', verdict: { outcome: 'refuse', ...intentRefusal } }], verdict: { outcome: 'refuse', ...intentRefusal } }
    : await runGates(ctx, gates, draft, Math.max(now, sendAt));
  let decision = decide(run.verdict);
  if (decision.kind === 'backup') {
    // A paused or disabled template sends its backup: judge the backup by every gate too.
    payload = applyReroute(decision.template, payload).payload;
    draft.template = templateOf(payload);
    const again = await runGates(ctx, gates, draft, Math.max(now, sendAt));
    run = { decisions: [...run.decisions, ...again.decisions], verdict: again.verdict };
    decision = decide(run.verdict, true);
  }
  // A channel without provider templates sends the rendered text: render now, so a template it cannot send is refused at once.
  if (type === 'template' && decision.kind !== 'end') {
    await renderedTextFor(ctx, renderingChannelsOf(ctx).forSender(sender), { workspaceId, senderId: sender.id, name: String(payload.name), language: draft.template!.language, components: payload.components as never });
  }
  const template = draft.template;
  const status: OutboundMessageInput['status'] = statusOfDecision(decision, sendAt > now ? 'scheduled' : 'queued');
  const nextAttemptAt = decision.kind === 'hold' ? Math.max(sendAt, decision.until) : sendAt;

  const decisions = describeRun(run);
  const view: AcceptedView = {
    id,
    status,
    lane,
    category: lane,
    type,
    senderId: sender.id,
    contactId: recipient.contactId,
    createdAt: new Date(now).toISOString(),
    sendAt: new Date(sendAt).toISOString(),
    validUntil: validUntil === null ? null : new Date(validUntil).toISOString(),
    decisions,
    ...(body.intent ? { intent: { name: body.intent.name, decision: intentDecision as Record<string, unknown> } } : {}),
  };
  const content: StoredContent = { type, payload, to: recipient.phone, ...(body.replyTo ? { replyTo: body.replyTo } : {}), ...(body.intent ? { intent: { name: body.intent.name, params: body.intent.params ?? {} } } : {}) };
  const encrypted = await ctx.keyring.encrypt(workspaceId, JSON.stringify(content));

  // A send to a new number writes its contact in the same transaction; if the number got a contact
  // meanwhile (another accept in the batch, an inbound message), the message goes to that contact.
  const write: AcceptWrite = {
    message: outboundMessageRow({
      id,
      workspaceId,
      senderId: sender.id,
      contactId: recipient.contactId,
      lane,
      type,
      content: encrypted,
      template,
      intent: body.intent?.name ?? null,
      status,
      refusal: decision.kind === 'end' ? { code: decision.code, reason: decision.reason } : null,
      idempotencyKey: input.idempotencyKey ?? null,
      requestHash,
      sendAt,
      validUntil,
      nextAttemptAt,
      metadata,
      replyTo: body.replyTo,
      now,
    }),
    // One event holds the answer (replayed for the same Idempotency-Key) and the accept-time decisions.
    view,
    contact: recipient.newContact,
    ...(mediaId ? { uploadId: mediaId } : {}),
    // A refused message is stored but the request fails (422): a failure records nothing.
    ...(input.audit && ctx.config.auditSends && !ended(status) ? { audit: input.audit } : {}),
  };
  return { write, input, requestHash, senderId: sender.id, status, view };
}

/** Commits a prepared message through the group commit (its `submit` is called before the first await). */
async function commitPrepared(ctx: ParleyContext, p: Exclude<PreparedAccept, { done: AcceptResult }>): Promise<AcceptResult> {
  try {
    await acceptCommitter(ctx).submit(p.write);
  } catch (error) {
    // Two requests with one idempotency key raced: the loser answers like a replay.
    if (p.input.idempotencyKey && isUniqueViolation(error)) {
      const replayed = await replay(ctx, p.input.workspaceId, p.input.idempotencyKey, p.requestHash!);
      if (replayed) return replayed;
    }
    throw error;
  }
  if (p.status === 'queued') ctx.signals.outboxQueued(p.senderId);
  return { outcome: ended(p.status) ? 'refused' : 'accepted', replayed: false, view: p.view };
}
