import type { CountryCode } from 'libphonenumber-js';
import type { ParleyContext } from '../runtime/context.js';
import type { InboundEvent } from '../conversations/on-inbound.js';
import { loadBusinessHours, type WorkspaceBusinessHours } from '../conversations/business-hours-settings.js';
import { factCache } from '../runtime/fact-caches.js';
import { addBusinessMs, isOpenAt, localDate } from '../conversations/business-hours.js';
import { getContact } from '../contacts/contact.js';
import { messageContent } from '../messages/read-message.js';
import type { CustomerAnswer } from './collect-validators.js';
import type { BotFacts, BotInput } from './engine.js';

/**
 * What the engine is told about the world (the I/O edge of the pure engine): the contact, the
 * workspace's business hours now, today's date there, and the customer's message as an answer.
 */

const MEDIA = new Set(['image', 'video', 'audio', 'document', 'sticker']);

/** The wall-clock time `t` in the time zone, as the customer should read it (`2026-12-07 09:00 (Europe/Lisbon)`). */
function wallClock(timeZone: string, t: number): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(t)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} (${timeZone})`;
}

export async function botFacts(ctx: ParleyContext, workspaceId: string, contactId: string, now: number): Promise<BotFacts | undefined> {
  // The workspace's hours change rarely: read at most once a second per process (`fact-caches.ts`).
  const [contact, cached] = await Promise.all([
    getContact(ctx.db, ctx.keyring, workspaceId, contactId),
    factCache<{ hours: WorkspaceBusinessHours | null }>(ctx, 'bot-business-hours').get(workspaceId, async () => ({ hours: await loadBusinessHours(ctx.db, workspaceId) })),
  ]);
  const hours = cached?.hours ?? null;
  if (!contact || contact.erasedAt !== null) return undefined;
  const open = hours ? isOpenAt(hours.calendar, now) : true;
  const opensAtInstant = hours && !open ? addBusinessMs(hours.calendar, now, 1) : null;
  return {
    contact: { name: contact.name, language: contact.language, tags: contact.tags, attributes: contact.attributes, country: (contact.country as CountryCode | null) ?? null },
    businessHours: { open, opensAt: opensAtInstant === null || !hours ? null : wallClock(hours.setting.timeZone, opensAtInstant - 1) },
    today: localDate(hours?.setting.timeZone ?? 'UTC', now),
  };
}

/** The stored content of the customer's message (a location's coordinates, an ad's referral). */
export async function inboundContent(ctx: ParleyContext, workspaceId: string, messageId: string): Promise<Record<string, unknown> | null> {
  return messageContent(ctx.db, ctx.keyring, workspaceId, messageId).catch(() => null);
}

/** The customer's message as the engine's input: a tapped option's id, written text, a location, media. */
export async function customerInput(ctx: ParleyContext, event: InboundEvent): Promise<Extract<BotInput, { kind: 'message' }>> {
  const choice = event.buttonPayload ? { choice: event.buttonPayload } : {};
  if (event.messageType === 'location') {
    const location = (await inboundContent(ctx, event.workspaceId, event.messageId))?.location as Record<string, unknown> | undefined;
    if (location && typeof location.latitude === 'number' && typeof location.longitude === 'number') {
      const answer: CustomerAnswer = { kind: 'location', latitude: location.latitude, longitude: location.longitude, ...(typeof location.name === 'string' ? { name: location.name } : {}), ...(typeof location.address === 'string' ? { address: location.address } : {}) };
      return { kind: 'message', answer };
    }
  }
  if (MEDIA.has(event.messageType)) return { kind: 'message', answer: { kind: 'media', mediaType: event.messageType, messageId: event.messageId } };
  const text = event.text ?? event.buttonPayload;
  if (text !== undefined) return { kind: 'message', answer: { kind: 'text', text }, ...choice };
  return { kind: 'message', answer: { kind: 'other', type: event.messageType } };
}

/** The entry point of a conversation's first message: a click-to-WhatsApp ad's referral (`referral:<source id>`). */
export async function entryOf(ctx: ParleyContext, event: InboundEvent): Promise<string | null> {
  const referral = (await inboundContent(ctx, event.workspaceId, event.messageId))?.referral as Record<string, unknown> | undefined;
  const source = referral?.source_id ?? referral?.sourceId;
  return typeof source === 'string' && source ? `referral:${source}` : null;
}
