import { isWindowOpen } from '../conversations/service-window.js';
import { capabilitiesOf } from '../channels/capabilities.js';
import { readWindow } from '../conversations/window-queries.js';
import { languageOf } from '../contacts/contact-queries.js';
import type { RefusalCode } from '../errors/refusal-codes.js';
import type { ParleyContext } from '../runtime/context.js';
import type { Sender } from '../senders/sender-queries.js';
import { resolveIntent } from '../templates/index.js';
import type { MessageType } from './content-schema.js';

export type IntentSend =
  | { kind: 'send'; type: MessageType; payload: Record<string, unknown>; variantId?: string; decision: unknown }
  | { kind: 'unavailable'; code: RefusalCode; reason: string; variantId?: string; decision: unknown };

/**
 * Intent sending (M1.2): the caller names an intent; the templates module picks free-form text when
 * the 24-hour window is open (always on UltraMsg, which has no window), else the approved template in
 * the contact's language; the decision is stored on the message.
 */
export async function resolveIntentSend(
  ctx: ParleyContext,
  input: { workspaceId: string; sender: Sender; contactId: string; intent: { name: string; params?: Record<string, unknown> }; now: number },
): Promise<IntentSend> {
  const windowOpen = !capabilitiesOf(input.sender.provider).serviceWindow || isWindowOpen(await readWindow(ctx.db, input.sender.id, input.contactId), input.now);
  const contact = await languageOf(ctx.db, input.contactId);
  const resolution = await resolveIntent(ctx, {
    workspaceId: input.workspaceId,
    senderId: input.sender.id,
    contactId: input.contactId,
    contactLanguage: contact?.language ?? null,
    intent: input.intent.name,
    params: input.intent.params ?? {},
    windowOpen,
  });
  const variantId = resolution.variant?.id;
  if (resolution.kind === 'unavailable') return { kind: 'unavailable', code: resolution.code, reason: resolution.reason, variantId, decision: resolution.decision };
  if (resolution.kind === 'text') return { kind: 'send', type: 'text', payload: { body: resolution.body }, variantId, decision: resolution.decision };
  return { kind: 'send', type: 'template', payload: resolution.template as unknown as Record<string, unknown>, variantId, decision: resolution.decision };
}
