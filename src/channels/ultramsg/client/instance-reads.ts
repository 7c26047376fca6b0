import type { Sender, SenderCredentials } from '../../sender.js';
import type { HttpPools } from '../../http-pools.js';
import { readInstanceJson } from './instance-get.js';

/** One message of `GET /{instance}/messages`, the fields Parley reads. */
export interface UltraMsgListedMessage {
  id: string;
  referenceId: string;
  status: string;
  ack: string;
}

/** One page of `GET /{instance}/messages`. */
export interface UltraMsgMessagePage {
  messages: UltraMsgListedMessage[];
  pages: number;
}

/** UltraMsg's page size cap for the messages list. */
export const ULTRAMSG_LIST_LIMIT = 100;

/** A page (newest first) of the instance's messages in one queue state (`sent`, `queue`, `unsent`, `invalid`, `expired`). */
export async function listUltraMsgMessages(pools: HttpPools, sender: Sender, credentials: SenderCredentials, status: string, page: number): Promise<UltraMsgMessagePage> {
  const json = await readInstanceJson(pools, sender, credentials, 'messages', { status, page: String(page), limit: String(ULTRAMSG_LIST_LIMIT), sort: 'desc' });
  const list: any[] = Array.isArray(json?.messages) ? json.messages : [];
  return {
    pages: Number(json?.pages) || 0,
    messages: list
      .filter((m) => m && m.id !== undefined && m.id !== null)
      .map((m) => ({ id: String(m.id), referenceId: typeof m.referenceId === 'string' ? m.referenceId : '', status: String(m.status ?? ''), ack: typeof m.ack === 'string' ? m.ack : '' })),
  };
}

/** The instance's queue settings in seconds (`GET /{instance}/instance/settings`); undefined where not given. */
export async function readUltraMsgSendDelays(pools: HttpPools, sender: Sender, credentials: SenderCredentials): Promise<{ sendDelay?: number; sendDelayMax?: number }> {
  const json = await readInstanceJson(pools, sender, credentials, 'instance/settings');
  const seconds = (v: unknown) => (v === undefined || v === null || v === '' || !Number.isFinite(Number(v)) ? undefined : Math.max(0, Number(v)));
  return { sendDelay: seconds(json?.sendDelay), sendDelayMax: seconds(json?.sendDelayMax) };
}
