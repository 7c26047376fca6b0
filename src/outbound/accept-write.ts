import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { NewMessageRow } from '../messages/message-row.js';
import type { NewContactRow } from '../contacts/contact-row.js';
import { contactIdOfPhoneHash, insertContacts } from '../contacts/contact-queries.js';
import { insertAcceptedMessages } from '../messages/accepted-messages.js';
import type { AcceptedView } from '../messages/message-view.js';

/** One accepted message as the outbox stores it. */
export interface AcceptWrite {
  message: NewMessageRow;
  /** The answer, stored as the `accept` event (written last: a new contact may change its contactId). */
  view: AcceptedView;
  /** The recipient's new contact, written before the message in the same transaction. */
  contact?: NewContactRow;
}

/**
 * Writes accepted messages in one transaction: new contacts first, then the messages and their
 * `accept` events. If a new number got a contact meanwhile (another accept in the batch, an inbound
 * message), the message goes to that contact (and its answer names that contact).
 */
export async function writeAccepts(tx: Transaction<Database>, items: AcceptWrite[]): Promise<void> {
  const withContact = items.filter((i) => i.contact);
  if (withContact.length) {
    const inserted = await insertContacts(tx, withContact.map((i) => i.contact!));
    for (const [n, item] of withContact.entries()) {
      if (inserted[n]) continue;
      const winner = await contactIdOfPhoneHash(tx, item.contact!.workspace_id, item.contact!.phone_hash!);
      if (!winner) throw new Error('contact insert conflicted but no row was found');
      item.message.contact_id = winner;
      item.view.contactId = winner;
    }
  }
  await insertAcceptedMessages(tx, items);
}
