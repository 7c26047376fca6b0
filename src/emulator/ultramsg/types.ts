/** UltraMsg's queue states and ack levels (WhatsApp Web conventions). */
export type UltraMsgStatus = 'queue' | 'sent' | 'unsent' | 'invalid' | 'expired';
export type UltraMsgAck = 'pending' | 'server' | 'device' | 'read' | 'played';

/** A message sent through an UltraMsg instance, as `GET /{instance}/messages` lists it. */
export interface UltraMsgMessage {
  id: number;
  instanceId: string;
  referenceId: string;
  /** WhatsApp Web id `true_<chat>_<key>`. */
  waId: string;
  from: string;
  to: string;
  body: string;
  type: string;
  priority: number;
  status: UltraMsgStatus;
  ack: UltraMsgAck | '';
  createdAt: number;
  /** When it (last) joined the queue: at creation, or at a resend. UltraMsg expires it 24 h later if still queued. */
  queuedAt: number;
  sentAt: number | null;
  metadata: Record<string, string>;
  /** The message this one replies to (`msgId`), as webhooks show it in `data.quotedMsg`; `{}` when none. */
  quotedMsg?: QuotedMsg | Record<string, never>;
  /** Chat ids of the people mentioned (`mentions`), as webhooks show them in `data.mentionedIds`. */
  mentionedIds?: string[];
}

/** The quoted message in a webhook's `data.quotedMsg`: the same fields as `data`, for the message replied to. */
export interface QuotedMsg {
  id: string;
  from: string;
  to: string;
  body: string;
  type: string;
  fromMe: boolean;
  time: number;
}

/** A message a customer sent to an instance, kept so that a reply (`msgId`) can quote it. */
export interface UltraMsgReceived {
  waId: string;
  instanceId: string;
  from: string;
  to: string;
  body: string;
  type: string;
  at: number;
}
