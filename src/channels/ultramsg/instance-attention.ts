import type { SessionStatus } from '../port.js';

/**
 * Whether an UltraMsg instance can send, from its `instance/status`, and if not, what the operator should
 * do, in a sentence (the sender's health reason). Only `authenticated` sends: UltraMsg drives a linked
 * phone, and every other status (`qr`/`got qr code`: logged out, waiting for a scan; `disconnected`,
 * `standby`: the phone is offline or the session dropped; `loading`: starting) needs the phone or a
 * scan, or time. Returns null when the instance is authenticated.
 */
export function instanceAttention(status: SessionStatus, senderId: string): string | null {
  const s = status.status.trim().toLowerCase();
  if (s === 'authenticated') return null;
  const what = `The UltraMsg instance is not authenticated (status "${status.status}"${status.substatus ? `, substatus "${status.substatus}"` : ''})`;
  const held = 'its messages wait in the queue and are sent once it is authenticated again.';
  if (s === 'qr' || s.includes('qr')) return `${what}: it was logged out; scan the QR code from GET /v1/senders/${senderId}/qr with the business phone (WhatsApp > Linked devices); ${held}`;
  if (s === 'loading' || s === 'initialize' || s === 'init') return `${what}: it is starting; ${held}`;
  return `${what}: bring the linked phone online (or restart the instance in UltraMsg's console); ${held}`;
}
