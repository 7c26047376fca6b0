import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { normalizePhone } from '../contacts/phone.js';
import { planContactByPhone, recipientOfContactId } from '../contacts/contact-queries.js';
import type { NewContactRow } from '../contacts/contact-row.js';

export interface Recipient {
  contactId: string;
  phone: string;
  /** A number not yet known: its new contact's row, written in the message's own transaction. */
  newContact?: NewContactRow;
}

/** The recipient of a send: by phone (found, or planned as a new contact) or by contact id. */
export async function resolveRecipient(ctx: ParleyContext, workspaceId: string, input: { to?: string; contactId?: string }): Promise<Recipient> {
  if (input.to !== undefined && input.contactId !== undefined) {
    throw new ParleyError('REQUEST_INVALID', { message: 'Give either `to` or `contactId`, not both.', field: '/contactId' });
  }
  if (input.to !== undefined) {
    const phone = normalizePhone(input.to);
    if (!phone) throw new ParleyError('RECIPIENT_INVALID', { message: `"${input.to}" is not a valid international phone number.`, field: '/to' });
    const plan = await planContactByPhone(ctx.db, ctx.keyring, workspaceId, phone.e164, ctx.clock.now());
    if (plan.existing) return { contactId: plan.existing.id, phone: phone.e164 };
    return { contactId: plan.newRow.id, phone: phone.e164, newContact: plan.newRow };
  }
  if (input.contactId !== undefined) {
    const row = await recipientOfContactId(ctx.db, workspaceId, input.contactId);
    if (!row) throw new ParleyError('CONTACT_NOT_FOUND', { field: '/contactId' });
    if (row.merged_into) return resolveRecipient(ctx, workspaceId, { contactId: row.merged_into });
    if (row.erased_at !== null || !row.phone) throw new ParleyError('RECIPIENT_INVALID', { message: 'This contact was erased or has no phone number.', field: '/contactId' });
    return { contactId: row.id, phone: await ctx.keyring.decrypt(workspaceId, row.phone) };
  }
  throw new ParleyError('REQUEST_INVALID', { message: 'Give the recipient as `to` (E.164) or `contactId`.', field: '/to' });
}
