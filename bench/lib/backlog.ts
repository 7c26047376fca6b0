// Fills the outbox directly (the same rows the send API writes), so a benchmark can start with a deep
// queue without spending minutes accepting it over HTTP.
import type { ParleyContext } from '../../src/runtime/context.js';
import { newId } from '../../src/shared/ids.js';
import { STATUS_RANK } from '../../src/messages/status.js';
import { LANE_PRIORITY, type Lane } from '../../src/policy/lanes.js';
import { toWaId } from '../../src/contacts/phone.js';
import { appendConsentRecords } from '../../src/consent/ledger-queries.js';
import type { Insertable } from 'kysely';
import type { ContactsTable } from '../../src/contacts/tables.js';
import { contactRow } from '../../src/contacts/contact-row.js';
import type { MessagesTable } from '../../src/messages/tables.js';

export async function fillBacklog(ctx: ParleyContext, options: { workspaceId: string; senderId: string; count: number; lane: Lane; phonePrefix: string; template: { name: string; language: string; params: string[] } }): Promise<void> {
  const { workspaceId, senderId, count, lane, template } = options;
  const BATCH = 500;
  for (let start = 0; start < count; start += BATCH) {
    const now = Date.now();
    const contacts: Insertable<ContactsTable>[] = [];
    const messages: Insertable<MessagesTable>[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) {
      const phone = `+${options.phonePrefix}${String(i).padStart(11 - options.phonePrefix.length, '0')}`;
      const contactId = newId('ct', now);
      // As Parley writes a contact today: a row in an older form would start the boot-time backfill
      // (privacy/seal-legacy-data.ts) inside the measured window.
      contacts.push(await contactRow(ctx.keyring, workspaceId, contactId, { phone, country: null, waId: toWaId(phone), name: null, email: null, language: null, timeZone: null, attributes: {}, tags: [] }, now));
      const payload = { name: template.name, language: { code: template.language }, components: [{ type: 'body', parameters: template.params.map((text) => ({ type: 'text', text })) }] };
      messages.push({
        id: newId('msg', now),
        workspace_id: workspaceId,
        direction: 'outbound' as const,
        sender_id: senderId,
        contact_id: contactId,
        lane,
        lane_priority: LANE_PRIORITY[lane],
        type: 'template',
        content: await ctx.keyring.encrypt(workspaceId, JSON.stringify({ type: 'template', payload, to: phone })),
        template_name: template.name,
        template_language: template.language,
        intent: null,
        status: 'queued' as const,
        status_rank: STATUS_RANK.queued,
        status_at: now,
        provider_id_sealed: null, provider_id_hash: null,
        idempotency_key: null,
        request_hash: null,
        send_at: now,
        valid_until: null,
        next_attempt_at: now,
        claimed_by: null,
        claimed_at: null,
        error_code: null,
        error_message: null,
        metadata: '{}',
        reply_to: null,
        created_at: now,
        updated_at: now,
      });
    }
    await ctx.db.transaction().execute(async (tx) => {
      await tx.insertInto('contacts').values(contacts).execute();
      await tx.insertInto('messages').values(messages).execute();
    });
    // Marketing needs a live opt-in (the consent gate runs again at dispatch).
    if (lane === 'marketing') {
      await appendConsentRecords(ctx.db, ctx.keyring, workspaceId, contacts.map((c) => ({ contactId: c.id, purpose: 'marketing' as const, channel: 'whatsapp' as const, status: 'granted' as const, source: 'import' as const, actor: { type: 'system' as const, id: 'bench' } })));
    }
  }
}
