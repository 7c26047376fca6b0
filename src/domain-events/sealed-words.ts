import type { DomainEvent } from './events.js';

/** The part of the keyring that seals and opens a workspace's data. */
interface WorkspaceSeal {
  encrypt(workspaceId: string, plain: string): Promise<string>;
  decrypt(workspaceId: string, sealed: string): Promise<string>;
}

/** The customer's words of an inbound message, sealed for the domain event queue. */
export function sealInboundWords(keyring: Pick<WorkspaceSeal, 'encrypt'>, workspaceId: string, words: { text?: string; buttonPayload?: string }): Promise<string> {
  return keyring.encrypt(workspaceId, JSON.stringify(words));
}

/**
 * An event as the queue table stores it: without the customer's words in clear (they travel in
 * `sealed`) and without an inbound message's content (read by in-transaction subscribers only).
 */
export function storedDomainEvent(event: DomainEvent): DomainEvent {
  if (event.type !== 'message.inbound' || (event.text === undefined && event.buttonPayload === undefined && event.content === undefined)) return event;
  const { text: _text, buttonPayload: _payload, content: _content, ...rest } = event;
  return rest;
}

/** An event read back from the queue table, its sealed words opened again. */
export async function restoredDomainEvent(keyring: Pick<WorkspaceSeal, 'decrypt'>, event: DomainEvent): Promise<DomainEvent> {
  if (event.type !== 'message.inbound' || !event.sealed) return event;
  const words = JSON.parse(await keyring.decrypt(event.workspaceId, event.sealed)) as { text?: string; buttonPayload?: string };
  return { ...event, ...(words.text !== undefined ? { text: words.text } : {}), ...(words.buttonPayload !== undefined ? { buttonPayload: words.buttonPayload } : {}) };
}
