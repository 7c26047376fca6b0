import type { ParleyContext } from '../../../src/runtime/context.js';
import { createTemplate } from '../../../src/templates/authoring/create-template.js';
import { applyProviderFact } from '../../../src/templates/status/apply-provider-fact.js';
import type { Template } from '../../../src/templates/store/template-records.js';
import type { TemplateComponent } from '../../../src/template-text/template-shape.js';
import { findOrCreateContactByPhone } from '../../../src/contacts/contact-queries.js';
import { STATUS_RANK, type MessageStatus } from '../../../src/messages/status.js';
import { newId } from '../../../src/shared/ids.js';

/** A template that went through review elsewhere and is live and APPROVED (as an import from the provider would be). */
export async function liveTemplate(
  ctx: ParleyContext,
  workspaceId: string,
  t: { wabaId: string; name: string; language: string; category?: 'UTILITY' | 'MARKETING' | 'AUTHENTICATION'; components: TemplateComponent[]; parameterFormat?: 'NAMED' },
  status = 'APPROVED',
): Promise<Template> {
  const { template } = await createTemplate(ctx.db, workspaceId, { category: 'UTILITY', ...t }, { authorKeyId: null, now: ctx.clock.now(), initialState: 'live' });
  await applyProviderFact(ctx, template, { event: status, detail: {}, at: ctx.clock.now(), source: 'poll', providerTemplateId: `${Math.floor(Math.random() * 1e15)}` });
  return template;
}

export async function contacts(ctx: ParleyContext, workspaceId: string, n: number, offset = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, `+1555${String(1_000_000 + offset + i).slice(-7)}`)).id);
  return ids;
}

/** An outbound message as the pipeline records an intent send: `intent`, template and `metadata.variant`. */
export async function recordSend(
  ctx: ParleyContext,
  m: { workspaceId: string; senderId: string; contactId: string; intent: string; templateName: string | null; language: string | null; variantId?: string; status: MessageStatus },
): Promise<string> {
  const now = ctx.clock.now();
  const id = newId('msg', now);
  await ctx.db
    .insertInto('messages')
    .values({
      id, workspace_id: m.workspaceId, direction: 'outbound', sender_id: m.senderId, contact_id: m.contactId, lane: 'marketing', lane_priority: 3, type: m.templateName ? 'template' : 'text',
      content: null, template_name: m.templateName, template_language: m.language, intent: m.intent, status: m.status, status_rank: STATUS_RANK[m.status], status_at: now,
      provider_id_sealed: null, provider_id_hash: null, idempotency_key: null, request_hash: null, send_at: now, valid_until: null, next_attempt_at: now, claimed_by: null, claimed_at: null,
      error_code: m.status === 'failed' ? '131026' : null, error_message: null, metadata: JSON.stringify(m.variantId ? { variant: m.variantId } : {}), reply_to: null, created_at: now, updated_at: now,
    })
    .execute();
  return id;
}

/** An inbound message from the contact (a reply). */
export async function recordReply(ctx: ParleyContext, m: { workspaceId: string; senderId: string; contactId: string }): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db
    .insertInto('messages')
    .values({
      id: newId('msg', now), workspace_id: m.workspaceId, direction: 'inbound', sender_id: m.senderId, contact_id: m.contactId, lane: null, lane_priority: 9, type: 'text', content: null,
      template_name: null, template_language: null, intent: null, status: 'received', status_rank: STATUS_RANK.received, status_at: now, provider_id_sealed: null, provider_id_hash: null, idempotency_key: null,
      request_hash: null, send_at: now, valid_until: null, next_attempt_at: now, claimed_by: null, claimed_at: null, error_code: null, error_message: null, metadata: '{}', reply_to: null, created_at: now, updated_at: now,
    })
    .execute();
}
