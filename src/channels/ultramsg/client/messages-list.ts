import type { Sender, SenderCredentials } from '../../sender.js';
import type { HttpPools } from '../../http-pools.js';
import { arr, obj, str, type JsonObject } from '../../read-json.js';
import { readInstanceJson } from './instance-get.js';

/** A send as `GET /{instance}/messages` lists it: what reconciliation reads. */
export interface ListedSend {
  /** UltraMsg's numeric id (what its send answer returned). */
  id?: string;
  /** The WhatsApp id (`true_<chat>_<key>`), when the entry carries one. */
  waId?: string;
  /** Ack level (`pending`, `server`, `device`, `read`, `played`), empty while queued. */
  ack?: string;
  /** Queue state (`sent`, `queue`, `unsent`, `invalid`, `expired`). */
  status?: string;
}

/** A WhatsApp Web serialized id: `<fromMe>_<chat id>_<message key>` (`true_10172127174@c.us_3EB0…`). */
const WHATSAPP_ID = /^(?:true|false)_[^\s_]+@(?:c\.us|g\.us|lid|s\.whatsapp\.net|broadcast|newsletter)_\S+$/;
export const isWhatsAppId = (value: unknown): value is string => typeof value === 'string' && WHATSAPP_ID.test(value);

/**
 * The WhatsApp id of a list entry. UltraMsg's documented list shape (`id, referenceId, from, to, body,
 * priority, status, ack, type, created_at, sent_at, metadata`) names no field for it, so the entry is
 * read by the id's form, not by a field name: `msgId` first (the name UltraMsg's own parameters use for
 * it, and the emulator's), then any top-level or `metadata` value shaped like one. Pure.
 */
export function whatsAppIdOf(entry: JsonObject): string | undefined {
  if (isWhatsAppId(entry.msgId)) return entry.msgId;
  for (const value of Object.values(entry)) if (isWhatsAppId(value)) return value;
  for (const value of Object.values(obj(entry.metadata) ?? {})) if (isWhatsAppId(value)) return value;
  return undefined;
}

/** Reads the list answer for one `referenceId`: the newest entry carrying it (a resend lists twice). Pure. */
export function listedSendOf(body: unknown, referenceId: string): ListedSend | undefined {
  const entries = arr(obj(body)?.messages).map(obj).filter((e): e is JsonObject => e !== undefined && str(e.referenceId) === referenceId);
  const entry = entries.sort((a, b) => Number(b.id ?? 0) - Number(a.id ?? 0))[0];
  if (!entry) return undefined;
  return { id: str(entry.id), waId: whatsAppIdOf(entry), ack: str(entry.ack), status: str(entry.status) };
}

/**
 * Looks a send up in the instance's message list by the `referenceId` Parley gave it
 * (`GET /{instance}/messages?referenceId=…&status=all`). Undefined when the list has no such send;
 * throws `UltraMsgReadError` on an error answer.
 */
export async function findUltraMsgSend(pools: HttpPools, sender: Sender, credentials: SenderCredentials, referenceId: string): Promise<ListedSend | undefined> {
  const json = await readInstanceJson(pools, sender, credentials, 'messages', { referenceId, status: 'all', sort: 'desc', limit: '10', page: '1' });
  return listedSendOf(json, referenceId);
}
