import { Type, type Static } from '@sinclair/typebox';
import { Nullable, StringEnum, Timestamp, iso } from '../http/schemas.js';
import type { Principal } from '../access/principal.js';
import type { ConversationEvent, StoredConversation } from './conversation-store.js';
import { CONVERSATION_STATES, OWNER_TYPES, type ConversationActor } from './state-machine.js';

/** A conversation as the API shows it. */
export const ConversationView = Type.Object({
  id: Type.String(),
  senderId: Type.String(),
  contactId: Type.String(),
  state: StringEnum(CONVERSATION_STATES),
  owner: Type.Object({ type: StringEnum(OWNER_TYPES), userId: Nullable(Type.String()) }),
  teamId: Nullable(Type.String()),
  escalationReason: Nullable(Type.String()),
  snoozedUntil: Nullable(Timestamp()),
  current: Type.Boolean({ description: 'Whether this is the contact\'s current conversation with the sender (a new message joins it).' }),
  cycle: Type.Integer({ description: 'The resolution cycle: 1, then one more each time it reopens.' }),
  cycleStartedAt: Timestamp(),
  waitingSince: Nullable(Timestamp({ description: 'The oldest customer message not answered yet.' })),
  firstResponseAt: Nullable(Timestamp({ description: 'The first public reply by a person in this cycle.' })),
  lastInboundAt: Nullable(Timestamp()),
  lastActivityAt: Timestamp(),
  resolvedAt: Nullable(Timestamp()),
  createdAt: Timestamp(),
  version: Type.Integer(),
});
export type ConversationViewT = Static<typeof ConversationView>;

export function presentConversation(c: StoredConversation): ConversationViewT {
  return {
    id: c.id,
    senderId: c.senderId,
    contactId: c.contactId,
    state: c.state,
    owner: { type: c.owner.type, userId: c.owner.type === 'user' ? c.owner.userId : null },
    teamId: c.teamId,
    escalationReason: c.escalationReason,
    snoozedUntil: iso(c.snoozedUntil),
    current: c.current,
    cycle: c.cycle,
    cycleStartedAt: iso(c.cycleStartedAt)!,
    waitingSince: iso(c.waitingSince),
    firstResponseAt: iso(c.firstResponseAt),
    lastInboundAt: iso(c.lastInboundAt),
    lastActivityAt: iso(c.lastActivityAt)!,
    resolvedAt: iso(c.resolvedAt),
    createdAt: iso(c.createdAt)!,
    version: c.version,
  };
}

/** An entry of a conversation's history, as the API and the live stream show it. */
export const ConversationEventView = Type.Object({
  seq: Type.Integer({ description: 'Its place in the workspace\'s sequence: the live stream\'s event id.' }),
  conversationId: Type.String(),
  type: Type.String(),
  actor: Type.String({ description: '`user:<id>`, `key:<id>`, `bot`, `contact` or `system`.' }),
  reason: Nullable(Type.String()),
  teamId: Nullable(Type.String()),
  cycle: Type.Integer(),
  data: Type.Record(Type.String(), Type.Unknown()),
  at: Timestamp(),
});

export const presentEvent = (e: ConversationEvent) => ({ seq: e.seq, conversationId: e.conversationId, type: e.type, actor: e.actor, reason: e.reason, teamId: e.teamId, cycle: e.cycle, data: e.data, at: iso(e.at)! });

/** Who acts, in a conversation's history, when this principal makes a request. */
export function principalActor(principal: Principal): ConversationActor {
  return principal.actor.type === 'user' ? `user:${principal.actor.id}` : principal.actor.type === 'api_key' ? `key:${principal.actor.id}` : 'system';
}
