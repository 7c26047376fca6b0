import type { EmulatorCore } from '../core.js';
import { emitStatus } from '../webhooks/status-lifecycle.js';
import type { CloudStatus, CustomerConfig } from '../types.js';
import type { UltraMsgMessage } from '../ultramsg/types.js';

/**
 * A customer's side of their chat with one business number, as a phone shows it: what the business sent
 * (its request as received, the template's definition for template messages, its latest status) and
 * what the customer sent (the message as its webhook carried it), oldest first. Only what the emulator
 * still remembers (its memory caps bound both).
 */
export interface ChatEntry {
  id: string;
  from: 'business' | 'customer';
  at: number;
  type: string;
  /** The type's object: `text: {body}`, `template: {name, language, components}`, `interactive: {...}`... */
  content: Record<string, unknown>;
  /** The business message this one answers or reacts to. */
  contextId: string | null;
  /** Business messages: the latest status (sent, delivered, read, failed) and the failure's code. */
  status: CloudStatus | null;
  errorCode: number | null;
  /** Template messages: the approved template's components, to show header, body, footer and buttons. */
  template: { components: unknown[]; parameterFormat: string } | null;
}

export function customerChat(core: EmulatorCore, waId: string, phoneNumberId: string): { customer: CustomerConfig; entries: ChatEntry[] } {
  const customer = core.state.customer(waId) ?? { phone: waId, name: 'WhatsApp User', undeliverable: false, blocked: false, optedOutOfMarketing: false, persona: null };
  const entries: ChatEntry[] = [];
  for (const m of core.state.messages.values()) {
    if (m.to !== waId || m.phoneNumberId !== phoneNumberId) continue;
    const last = m.statuses[m.statuses.length - 1];
    const template = m.templateName ? core.state.templates.find((t) => t.name === m.templateName && t.language === m.request.template?.language?.code) : undefined;
    const content = m.request[m.type];
    entries.push({
      id: m.id,
      from: 'business',
      at: m.createdAt,
      type: m.type,
      content: content && typeof content === 'object' ? content : {},
      contextId: m.request.context?.message_id ?? null,
      status: last?.status ?? null,
      errorCode: last?.errorCode ?? null,
      template: template ? { components: template.components, parameterFormat: template.parameterFormat } : null,
    });
  }
  for (const m of core.state.inbound.values()) {
    if (m.from !== waId || m.phoneNumberId !== phoneNumberId) continue;
    const message = m.message ?? {};
    const content = message[m.type];
    entries.push({
      id: m.id,
      from: 'customer',
      at: m.at,
      type: m.type,
      content: content && typeof content === 'object' && !Array.isArray(content) ? (content as Record<string, unknown>) : { items: content ?? null },
      contextId: (message.context as { id?: string } | undefined)?.id ?? null,
      status: null,
      errorCode: null,
      template: null,
    });
  }
  entries.sort((a, b) => a.at - b.at);
  return { customer, entries };
}

/**
 * The customer opened the chat: every delivered message of the business not read yet becomes `read`
 * (a `read` status webhook each), as WhatsApp reports it when read receipts are on. Messages not
 * delivered yet are left: the phone reads them again once they are. Returns the ids marked read.
 */
export function customerReads(core: EmulatorCore, waId: string, phoneNumberId: string): string[] {
  const read: string[] = [];
  for (const m of core.state.messages.values()) {
    if (m.to !== waId || m.phoneNumberId !== phoneNumberId || m.type === 'reaction') continue;
    const seen = new Set(m.statuses.map((s) => s.status));
    if (!seen.has('delivered') || seen.has('read') || seen.has('failed')) continue;
    emitStatus(core, m, 'read');
    read.push(m.id);
  }
  return read;
}

/** The emulator's customers, for a phone to pick one to act as. */
export function listCustomers(core: EmulatorCore): CustomerConfig[] {
  return [...core.state.customers.values()];
}

/** UltraMsg's queue state and ack → the phone's status: `device` is delivered, `read`/`played` read, a message that never left failed. */
function ultraMsgStatus(m: UltraMsgMessage): CloudStatus | null {
  if (m.status === 'invalid' || m.status === 'unsent' || m.status === 'expired') return 'failed';
  if (m.ack === 'read' || m.ack === 'played') return 'read';
  if (m.ack === 'device') return 'delivered';
  if (m.ack === 'server' || m.status === 'sent') return 'sent';
  return null;
}

/**
 * A customer's chat with an UltraMsg instance, as their phone shows it, in the same shape as the Cloud
 * chat: what the instance sent (its type — `chat`, `image`, `location`... — with `body` and the media's
 * link) and what the customer sent it, oldest first. UltraMsg has no templates or interactive messages:
 * whatever Parley sends through it is already text (or media) here.
 */
export function customerUltraMsgChat(core: EmulatorCore, waId: string, instanceId: string): { customer: CustomerConfig; entries: ChatEntry[] } {
  const customer = core.state.customer(waId) ?? { phone: waId, name: 'WhatsApp User', undeliverable: false, blocked: false, optedOutOfMarketing: false, persona: null };
  const chatId = `${waId}@c.us`;
  const entries: ChatEntry[] = [];
  for (const m of core.state.ultramsgMessages.values()) {
    if (m.to !== chatId || m.instanceId !== instanceId) continue;
    const quoted = m.quotedMsg && 'id' in m.quotedMsg ? m.quotedMsg.id : null;
    entries.push({
      id: m.waId,
      from: 'business',
      at: m.createdAt,
      type: m.type,
      content: { body: m.body, ...(m.metadata.media ? { link: m.metadata.media } : {}) },
      contextId: quoted,
      status: ultraMsgStatus(m),
      errorCode: null,
      template: null,
    });
  }
  for (const m of core.state.ultramsgReceived.values()) {
    if (m.from !== chatId || m.instanceId !== instanceId) continue;
    entries.push({ id: m.waId, from: 'customer', at: m.at, type: m.type, content: { body: m.body }, contextId: null, status: null, errorCode: null, template: null });
  }
  entries.sort((a, b) => a.at - b.at);
  return { customer, entries };
}
