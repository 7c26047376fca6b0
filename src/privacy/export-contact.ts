import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { readWindows, type ServiceWindow } from '../conversations/window-queries.js';
import { resolveContact } from '../contacts/contact-queries.js';
import { getContacts, type Contact } from '../contacts/contact.js';
import { listContactMessages, listEventsOfMessages } from '../messages/contact-export.js';
import { listMediaOfMessages } from '../webhooks/media/media-of-messages.js';
import { listMerges, type MergeRecord } from '../contacts/merge-contacts.js';
import { deriveConsent, type CurrentConsent } from '../consent/derive-consent.js';
import { listConsentRecords, loadConsentProofs } from '../consent/ledger-queries.js';
import type { ConsentProof, ConsentRecord } from '../consent/types.js';
import { listErasures, type ErasureRecord } from './erase-contact.js';

export interface ExportedMessage {
  id: string;
  contactId: string | null;
  direction: string;
  channel: string;
  type: string;
  lane: string | null;
  /** Deprecated: the same as `lane` (decision 0013). */
  category: string | null;
  intent: string | null;
  templateName: string | null;
  templateLanguage: string | null;
  status: string;
  statusAt: number;
  createdAt: number;
  errorCode: string | null;
  /** The decrypted payload (JSON where it is JSON); null when purged or erased. */
  content: unknown;
  events: Array<{ kind: string; status: string | null; at: number; detail: Record<string, unknown> }>;
  /** Media files of the message (metadata; the files themselves are stored encrypted beside it). */
  media: Array<{ id: string; mimeType: string | null; filename: string | null; size: number | null; state: string }>;
}

export interface ContactExport {
  exportedAt: number;
  contact: Contact;
  /** Contacts merged into this one: the same person found twice, with their own fields. */
  mergedContacts: Contact[];
  consent: { current: CurrentConsent; history: Array<ConsentRecord & { proof: ConsentProof | null }> };
  messages: ExportedMessage[];
  serviceWindows: ServiceWindow[];
  merges: MergeRecord[];
  erasures: ErasureRecord[];
}

const CHUNK = 500;

/**
 * Everything Parley holds about a person (the contact and the contacts merged into it), decrypted:
 * fields, consent (current and the full ledger with proofs), messages with their bodies and
 * histories, service windows, merges and erasures.
 */
export async function exportContact(ctx: ParleyContext, workspaceId: string, contactId: string): Promise<ContactExport> {
  const resolved = await resolveContact(ctx.db, workspaceId, contactId);
  if (!resolved) throw new ParleyError('CONTACT_NOT_FOUND');
  const { keyring, db } = ctx;
  const members = resolved.memberIds;
  const contacts = await getContacts(db, keyring, workspaceId, members);
  const records = await listConsentRecords(db, workspaceId, members);
  const proofs = await loadConsentProofs(db, keyring, workspaceId, records.map((r) => r.id));

  const messages: ExportedMessage[] = [];
  const messageRows = await listContactMessages(db, workspaceId, members);
  const events = new Map<string, ExportedMessage['events']>();
  const media = new Map<string, ExportedMessage['media']>();
  for (let i = 0; i < messageRows.length; i += CHUNK) {
    const ids = messageRows.slice(i, i + CHUNK).map((m) => m.id);
    const mediaRows = await listMediaOfMessages(db, workspaceId, ids);
    for (const m of mediaRows) media.set(m.message_id, [...(media.get(m.message_id) ?? []), { id: m.id, mimeType: m.mime_type, filename: m.filename, size: m.size, state: m.state }]);
    const eventRows = await listEventsOfMessages(db, ids);
    for (const e of eventRows) {
      const list = events.get(e.message_id) ?? [];
      list.push({ kind: e.kind, status: e.status, at: e.at, detail: JSON.parse(e.detail) as Record<string, unknown> });
      events.set(e.message_id, list);
    }
  }
  for (const m of messageRows) {
    let content: unknown = null;
    if (m.content !== null) {
      const text = await keyring.decrypt(workspaceId, m.content);
      try {
        content = JSON.parse(text);
      } catch {
        content = text;
      }
    }
    messages.push({
      id: m.id, contactId: m.contact_id, direction: m.direction, channel: m.channel, type: m.type, lane: m.lane, category: m.lane, intent: m.intent,
      templateName: m.template_name, templateLanguage: m.template_language, status: m.status, statusAt: m.status_at, createdAt: m.created_at,
      errorCode: m.error_code, content, events: events.get(m.id) ?? [], media: media.get(m.id) ?? [],
    });
  }
  const windows = await readWindows(db, members);
  return {
    exportedAt: ctx.clock.now(),
    contact: contacts.find((c) => c.id === resolved.id)!,
    mergedContacts: contacts.filter((c) => c.id !== resolved.id),
    consent: { current: deriveConsent(records, ctx.clock.now()), history: records.map((r) => ({ ...r, proof: proofs.get(r.id) ?? null })) },
    messages,
    serviceWindows: windows,
    merges: await listMerges(db, workspaceId, members),
    erasures: await listErasures(ctx, workspaceId, members),
  };
}
