import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { NewMessageRow } from '../messages/message-row.js';
import type { NewContactRow } from '../contacts/contact-row.js';
import { contactIdOfPhoneHash, insertContacts } from '../contacts/contact-queries.js';
import { insertAcceptedMessages } from '../messages/accepted-messages.js';
import { recordUploadUses } from '../uploads/upload-store.js';
import type { AcceptedView } from '../messages/message-view.js';
import { auditDiff, type AuditEntryInput, type AuditOrigin, type AuditTrail } from '../access/audit-port.js';
import type { Actor } from '../access/actor.js';

/** Who asked for a send and from where: the accept records it as `message.accepted`. */
export interface AcceptAudit {
  readonly actor: Actor;
  readonly origin: AuditOrigin;
}

/** One accepted message as the outbox stores it. */
export interface AcceptWrite {
  message: NewMessageRow;
  /** The answer, stored as the `accept` event (written last: a new contact may change its contactId). */
  view: AcceptedView;
  /** The recipient's new contact, written before the message in the same transaction. */
  contact?: NewContactRow;
  /** The upload the message sends (`mediaId`): recorded as used by it, in the same transaction. */
  uploadId?: string;
  /** Set when the send is audited: its `message.accepted` entry is appended in the same transaction. */
  audit?: AcceptAudit;
}

/**
 * Writes accepted messages in one transaction: new contacts first, then the messages and their
 * `accept` events, then the audited ones' `message.accepted` entries (last: appending locks the
 * workspace's chain head until the commit). If a new number got a contact meanwhile (another accept in
 * the batch, an inbound message), the message goes to that contact (and its answer names that contact).
 */
export async function writeAccepts(tx: Transaction<Database>, items: AcceptWrite[], trail: AuditTrail): Promise<void> {
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
  await recordUploadUses(tx, items.filter((i) => i.uploadId).map((i) => ({ uploadId: i.uploadId!, messageId: i.message.id, workspaceId: i.message.workspace_id, at: i.message.created_at })));
  const entries = items.filter((i) => i.audit).map(acceptedEntry);
  if (entries.length) await trail.appendWithin(tx, entries);
}

/** The audit entry of one accepted message: what it is and where it goes, its recipient and content only as references. */
function acceptedEntry(item: AcceptWrite): AuditEntryInput {
  const { message, view } = item;
  const resource = { type: 'message', id: message.id };
  const diff = auditDiff(resource, undefined, { status: message.status, lane: view.lane, type: view.type, senderId: view.senderId, contactId: view.contactId, to: true, content: true }, ['to', 'content']);
  return { workspaceId: message.workspace_id, actor: item.audit!.actor, action: 'message.accepted', resource, diff, origin: item.audit!.origin, at: message.created_at };
}
