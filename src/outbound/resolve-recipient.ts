import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { normalizePhone } from '../contacts/phone.js';
import { findOrCreateContactByPhone } from '../contacts/contact-queries.js';

/** The recipient of a send: by phone (found or created as a contact) or by contact id. */
export async function resolveRecipient(ctx: ParleyContext, workspaceId: string, input: { to?: string; contactId?: string }): Promise<{ contactId: string; phone: string }> {
  if (input.to !== undefined && input.contactId !== undefined) {
    throw new ParleyError('REQUEST_INVALID', { message: 'Give either `to` or `contactId`, not both.', field: '/contactId' });
  }
  if (input.to !== undefined) {
    const phone = normalizePhone(input.to);
    if (!phone) throw new ParleyError('RECIPIENT_INVALID', { message: `"${input.to}" is not a valid international phone number.`, field: '/to' });
    const contact = await findOrCreateContactByPhone(ctx.db, ctx.keyring, workspaceId, phone.e164);
    return { contactId: contact.id, phone: phone.e164 };
  }
  if (input.contactId !== undefined) {
    const row = await ctx.db.selectFrom('contacts').select(['id', 'phone', 'merged_into', 'erased_at']).where('workspace_id', '=', workspaceId).where('id', '=', input.contactId).executeTakeFirst();
    if (!row) throw new ParleyError('CONTACT_NOT_FOUND', { field: '/contactId' });
    if (row.merged_into) return resolveRecipient(ctx, workspaceId, { contactId: row.merged_into });
    if (row.erased_at !== null || !row.phone) throw new ParleyError('RECIPIENT_INVALID', { message: 'This contact was erased or has no phone number.', field: '/contactId' });
    return { contactId: row.id, phone: await ctx.keyring.decrypt(workspaceId, row.phone) };
  }
  throw new ParleyError('REQUEST_INVALID', { message: 'Give the recipient as `to` (E.164) or `contactId`.', field: '/to' });
}
