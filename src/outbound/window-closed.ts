import { closeWindow } from '../conversations/window-queries.js';
import type { DomainEventHandler } from '../runtime/context.js';
import type { ParleyContext } from '../runtime/context.js';
import { appendMessageEvents, eventDetailsOf } from '../messages/message-events.js';
import { messageForResend, templateOfMessage } from '../messages/message-lookups.js';
import { acceptMessage } from './accept.js';
import type { StoredContent } from './content-schema.js';
import { isWindowClosedCode } from '../channels/errors.js';
import type { Lane } from '../policy/lanes.js';
import type { Outcome } from './dispatch/outcomes.js';

/** The decision stage recorded on a message the provider failed because the window was closed. */
export const WINDOW_CLOSED_STAGE = 'window_closed';

/** The key of the one re-send a window failure may cause: a second delivery of the webhook finds it taken. */
export const windowResendKey = (messageId: string) => `parley:window-resend:${messageId}`;

interface Resend {
  messageId: string;
  status: string;
  type: string;
  template?: { name: string; language: string };
  reason?: string;
}

/**
 * An intent chose free-form text because Parley believed the window open, and the provider failed it
 * with 131047: the intent is accepted again, now with the window closed, so it goes through its template
 * (or is refused with the intent's reason when it has none). Once per message: the re-send carries an
 * idempotency key derived from the failed message's id.
 */
async function resendIntent(ctx: ParleyContext, row: { id: string; workspace_id: string; sender_id: string; lane: string | null; content: string | null; intent: string }): Promise<Resend | { skipped: string }> {
  if (!row.content) return { skipped: 'the message content is gone (erased)' };
  const content = JSON.parse(await ctx.keyring.decrypt(row.workspace_id, row.content)) as StoredContent;
  const result = await acceptMessage(ctx, ctx.gates, {
    workspaceId: row.workspace_id,
    body: {
      to: content.to,
      from: row.sender_id,
      intent: { name: content.intent?.name ?? row.intent, params: content.intent?.params ?? {} },
      lane: (row.lane ?? 'conversation') as Lane,
      metadata: { windowResendOf: row.id },
    },
    idempotencyKey: windowResendKey(row.id),
  });
  const view = result.view;
  const last = view.decisions.at(-1);
  const templateRow = view.type === 'template' ? await templateOfMessage(ctx.db, view.id) : undefined;
  return {
    messageId: view.id,
    status: view.status,
    type: view.type,
    ...(templateRow?.template_name ? { template: { name: templateRow.template_name, language: templateRow.template_language ?? '' } } : {}),
    ...(result.outcome === 'refused' ? { reason: `${last?.gate ?? 'policy'}: ${last?.reason ?? 'refused'}` } : {}),
  };
}

/**
 * `message.window_closed` (131047 or 470 in a `failed` status webhook): the message has already ended
 * `failed` with the window reason; here the contact's window is treated as closed and an intent send
 * goes again through its template. The decision is recorded once on the failed message. Handlers run
 * at least once, so every step is idempotent.
 */
export const onWindowClosed: DomainEventHandler<'message.window_closed'> = async (ctx, event) => {
  const row = await messageForResend(ctx.db, event.workspaceId, event.messageId);
  if (!row || row.direction !== 'outbound' || row.status !== 'failed' || !isWindowClosedCode(row.error_code)) return;
  const windowClosed = row.sender_id && row.contact_id ? await closeWindow(ctx.db, row.sender_id, row.contact_id, event.at) : false;

  const recorded = await eventDetailsOf(ctx.db, row.id, 'decision');
  if (recorded.some((detail) => (JSON.parse(detail) as { stage?: string }).stage === WINDOW_CLOSED_STAGE)) return;

  let resend: Resend | { skipped: string };
  if (!row.intent) resend = { skipped: 'not an intent send: send an approved template' };
  else if (row.type !== 'text') resend = { skipped: `the intent already chose a ${row.type} message` };
  else if (!row.sender_id) resend = { skipped: 'the message has no sender' };
  else resend = await resendIntent(ctx, { ...row, sender_id: row.sender_id, intent: row.intent });

  await appendMessageEvents(ctx.db, [
    {
      messageId: row.id,
      kind: 'decision',
      at: ctx.clock.now(),
      detail: {
        stage: WINDOW_CLOSED_STAGE,
        code: event.code,
        source: event.source ?? 'webhook',
        windowClosed: true,
        windowRecordMoved: windowClosed,
        ...('skipped' in resend ? { resend: null, why: resend.skipped } : { resend, why: 'the provider reported the window closed for the free-form text; the intent goes again through its template' }),
      },
    },
  ]);
};

/**
 * The same handling when the provider refuses the free-form text at once (131047 answered to the send,
 * as some integrations and the emulator's `windowErrors: "sync"` do): the `message.window_closed` domain
 * event's after-commit handlers run after the dispatcher committed the failure. The event is not
 * queued, so not replayed after a crash, unlike the webhook path's.
 */
export function onSyncWindowFailures(ctx: ParleyContext, outcomes: readonly Outcome[]): void {
  for (const o of outcomes) {
    if (o.kind !== 'final' || o.status !== 'failed' || !isWindowClosedCode(o.code)) continue;
    ctx.domainEvents.handle(ctx, { type: 'message.window_closed', workspaceId: o.workspaceId, messageId: o.id, senderId: null, contactId: null, code: o.code!, at: o.at, source: 'send' }).catch((err: unknown) =>
      ctx.logger.error({ err, messageId: o.id }, 'handling a window failure answered to the send failed'),
    );
  }
}
