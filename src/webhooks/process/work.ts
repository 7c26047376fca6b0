import type { DomainEvent } from '../../domain-events/events.js';
import type { WebhookItem } from '../../channels/webhook-items.js';
import type { RoutedSender } from '../sender-directory.js';
import type { WebhookProvider } from '../tables.js';

/**
 * Results of applying one item.
 * - applied: it changed something (a new message, a status moved, an update stored).
 * - duplicate: seen before (redelivery or replay); nothing changed.
 * - stale: a status older than the message's current one (recorded in its history only).
 * - pending: a status held until its message can be matched.
 * - ignored: kept in the log only (echoes, unhandled fields).
 * - unrouted / invalid: cannot be applied as sent (unknown sender number, malformed part): permanent.
 * - error: applying it threw; the delivery is retried.
 */
export type ResultKind = 'applied' | 'duplicate' | 'stale' | 'pending' | 'ignored' | 'unrouted' | 'invalid' | 'error';

export interface ItemResult {
  result: ResultKind;
  note?: string;
}

/** Results that make a delivery `failed` without retrying. */
export const PERMANENT_FAILURES: ReadonlySet<ResultKind> = new Set(['unrouted', 'invalid']);

/** What preparation computed for an item, outside any transaction. */
export interface InboundPrep {
  messageId: string;
  contactId: string | null;
  contentCipher: string;
  /** The provider's id, sealed with the workspace key. */
  providerIdSealed: string;
  /** The customer's words (text, button payload), sealed: what the queued `message.inbound` event stores. */
  wordsSealed?: string;
  replyToMessageId: string | null;
  relink?: { contactId: string; waIdHash: string; waId: string };
}

export interface MatchedMessage {
  id: string;
  workspaceId: string;
  senderId: string | null;
  contactId: string | null;
  /** Whether the message has its provider id stored. */
  hasProviderId: boolean;
  /** Whether the message has its second provider id stored (UltraMsg's WhatsApp id). */
  hasAltId: boolean;
}

export interface StatusPrep {
  message?: MatchedMessage;
  /** Matched through Parley's id while the message has no provider id yet: store it (hash and sealed). */
  setProviderId?: { hash: string; sealed: string };
  /** Matched while the message has no second provider id and the item names one: store it (hash and sealed). */
  setAltId?: { hash: string; sealed: string };
  /** Unmatched: the status item sealed with the workspace key, as `pending_statuses` holds it. */
  heldItem?: string;
}

export interface WorkItem {
  readonly rowSeq: number;
  readonly item: WebhookItem;
  key: string;
  /** Keyed hash of the item's provider message id (inbound and status items). */
  idHash?: string;
  /** Keyed hashes of a status's other provider ids. */
  altHashes?: string[];
  /** Keyed hash of the item's second provider id (`providerAltId`), one of the hashes above. */
  altIdHash?: string;
  /** Keyed hash of the provider id an inbound message replies or reacts to. */
  contextHash?: string;
  sender?: RoutedSender;
  inbound?: InboundPrep;
  status?: StatusPrep;
  /** Contact of a user-preference item. */
  contactId?: string;
  /** Set once decided: before applying (ignored, unrouted, ...) or by a committed apply. */
  result?: ItemResult;
}

export interface RowWork {
  readonly seq: number;
  readonly provider: WebhookProvider;
  readonly receivedAt: number;
  readonly attempts: number;
  readonly senderId: string | null;
  items: WorkItem[];
  /** Set when the whole delivery cannot be read. */
  fatal?: string;
}

/** What one apply transaction produced, merged into the work only after it commits. */
export class ApplyResults {
  readonly results = new Map<WorkItem, ItemResult>();
  readonly domainEvents: DomainEvent[] = [];
  /** Status results by provider, for metrics. */
  readonly statusCounts: Array<{ provider: WebhookProvider; result: string }> = [];

  set(item: WorkItem, result: ResultKind, note?: string): void {
    this.results.set(item, note ? { result, note } : { result });
  }
}
