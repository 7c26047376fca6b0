import { randomBytes } from 'node:crypto';
import type { ParleyApp } from '../../src/http/types.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import { fixture, postCloud, processAll, withMessageId } from '../webhooks/helpers.js';

/**
 * A customer writes to the sender of `phoneNumberId` (the fixture's by default) through a signed Cloud
 * API webhook, and the processor runs: the message is stored and its conversation opened or moved.
 * Returns the provider's message id.
 */
export async function customerWrites(app: ParleyApp, ctx: ParleyContext, input: { from: string; text?: string; at?: number; phoneNumberId?: string }): Promise<string> {
  const wamid = `wamid.conv.${randomBytes(6).toString('hex')}`;
  const payload = JSON.parse(withMessageId(fixture('cloud-text-message.json'), wamid));
  const value = payload.entry[0].changes[0].value;
  if (input.phoneNumberId) value.metadata.phone_number_id = input.phoneNumberId;
  value.contacts[0].wa_id = input.from;
  value.messages[0].from = input.from;
  value.messages[0].timestamp = String(Math.floor((input.at ?? ctx.clock.now()) / 1000));
  value.messages[0].text.body = input.text ?? 'Hello, I need help';
  const res = await postCloud(app, JSON.stringify(payload));
  if (res.statusCode !== 200) throw new Error(`webhook refused: ${res.statusCode} ${res.body}`);
  await processAll(ctx);
  return wamid;
}

/** Headers of a signed-in person (cookie and CSRF token) or of an API key. */
export type Auth = Record<string, string>;

/** The contact's current conversation, through the API. */
export async function currentConversation(app: ParleyApp, auth: Auth, contactId: string) {
  const res = await app.inject({ url: `/v1/conversations?contactId=${contactId}`, headers: auth });
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  return res.json().data.find((c: { current: boolean }) => c.current) as { id: string; senderId: string; contactId: string; state: string; cycle: number; owner: { type: string; userId: string | null }; teamId: string | null } | undefined;
}
