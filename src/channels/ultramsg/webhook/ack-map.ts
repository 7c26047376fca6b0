import type { MessageStatus } from '../../../messages/status.js';

/**
 * UltraMsg acks (WhatsApp Web levels) as Parley statuses. `device` is the reliable delivery signal;
 * `played` (a voice note was played) counts as read.
 */
export const ULTRAMSG_ACK_STATUS: Readonly<Record<string, MessageStatus>> = {
  pending: 'queued',
  server: 'sent',
  device: 'delivered',
  read: 'read',
  played: 'read',
};
