import type { Db } from '../../src/db/database.js';
import type { Keyring } from '../../src/crypto/keyring.js';
import { newId } from '../../src/shared/ids.js';
import { STATUS_RANK, type MessageStatus } from '../../src/messages/status.js';

/** A sender row for tests that need messages (messages reference senders). */
export async function insertSender(db: Db, keyring: Keyring, workspaceId: string): Promise<string> {
  const id = newId('snd');
  const now = Date.now();
  await db.insertInto('senders').values({
    id, workspace_id: workspaceId, name: 'test', provider: 'cloud', base_url: 'http://127.0.0.1:1', settings: JSON.stringify({ graphVersion: 'v21.0', phoneNumberId: `pn_${id}` }),
    number_key: `cloud:pn_${id}`, waba_id: 'waba', display_phone: '+15550000000', credentials: await keyring.encrypt(workspaceId, '{}'), webhook_secret: null,
    mps: 80, messaging_limit: null, portfolio_id: 'pf', status: 'active', quality: null, created_at: now, updated_at: now,
  }).execute();
  return id;
}

/** A message row with an encrypted text body, as the messaging modules store them. */
export async function insertMessage(db: Db, keyring: Keyring, input: { workspaceId: string; senderId: string; contactId: string; body: string; direction?: 'inbound' | 'outbound'; status?: MessageStatus; createdAt?: number }): Promise<string> {
  const id = newId('msg');
  const at = input.createdAt ?? Date.now();
  const status = input.status ?? (input.direction === 'inbound' ? 'received' : 'delivered');
  await db.insertInto('messages').values({
    id, workspace_id: input.workspaceId, direction: input.direction ?? 'outbound', sender_id: input.senderId, contact_id: input.contactId, lane: 'conversation',
    lane_priority: 2, type: 'text', content: await keyring.encrypt(input.workspaceId, JSON.stringify({ text: { body: input.body } })), template_name: null, template_language: null,
    intent: null, status, status_rank: STATUS_RANK[status], status_at: at, provider_id_sealed: null, provider_id_hash: null, idempotency_key: null, request_hash: null, send_at: at,
    valid_until: null, next_attempt_at: at, claimed_by: null, claimed_at: null, error_code: null, error_message: null, reply_to: null, created_at: at, updated_at: at,
  }).execute();
  await db.insertInto('message_events').values({ message_id: id, kind: 'status', status, at, detail: '{}' }).execute();
  return id;
}
