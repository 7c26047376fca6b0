import { Type, type Static } from '@sinclair/typebox';
import { REFUSAL_CODES, REFUSAL_CODE_LIST } from '../errors/refusal-codes.js';
import { Nullable, StringEnum, Timestamp, iso } from '../http/schemas.js';
import type { MessageEvent } from './message-events.js';
import type { MessageRecord } from './read-message.js';

/** The refusal codes as an enum, each described in the field's description (OpenAPI 3.0 has no per-value descriptions). */
export const RefusalCodeSchema = StringEnum(REFUSAL_CODE_LIST, {
  description: ['Why the gate refused the message (`outcome: refuse`); one of:', ...REFUSAL_CODE_LIST.map((code) => `- \`${code}\`: ${REFUSAL_CODES[code].description} ${REFUSAL_CODES[code].hint}`)].join('\n'),
});

export const DecisionView = Type.Object({
  gate: Type.String(),
  outcome: Type.String(),
  reason: Type.Optional(Type.String()),
  code: Type.Optional(RefusalCodeSchema),
  note: Type.Optional(Type.String()),
  until: Type.Optional(Type.String()),
});

export const AcceptedView = Type.Object({
  id: Type.String(),
  status: Type.String(),
  lane: Type.String({ description: 'The lane: otp > transactional > conversation > marketing.' }),
  category: Type.String({ deprecated: true, description: 'Deprecated: the same as `lane` (decision 0013).' }),
  type: Type.String(),
  senderId: Type.String(),
  contactId: Type.String(),
  createdAt: Timestamp(),
  sendAt: Timestamp(),
  validUntil: Nullable(Timestamp()),
  decisions: Type.Array(DecisionView, { description: 'The policy gates run at accept, in order, with their verdicts.' }),
  intent: Type.Optional(Type.Object({ name: Type.String(), decision: Type.Record(Type.String(), Type.Unknown(), { description: 'What intent sending chose and why: window, variant, language, template.' }) })),
});
export type AcceptedView = Static<typeof AcceptedView>;

export const HistoryEntry = Type.Object({
  kind: Type.String({ description: 'status | decision | attempt | error | pricing | accept' }),
  status: Nullable(Type.String()),
  at: Timestamp(),
  detail: Type.Record(Type.String(), Type.Unknown()),
});

export const MessageView = Type.Object({
  id: Type.String(),
  direction: Type.String(),
  channel: Type.String(),
  status: Type.String(),
  statusAt: Timestamp(),
  lane: Nullable(Type.String({ description: 'The lane of an outbound message; null for inbound ones.' })),
  category: Nullable(Type.String({ deprecated: true, description: 'Deprecated: the same as `lane` (decision 0013).' })),
  type: Type.String(),
  senderId: Nullable(Type.String()),
  contactId: Nullable(Type.String()),
  providerMessageId: Nullable(Type.String()),
  content: Nullable(Type.Record(Type.String(), Type.Unknown())),
  templateName: Nullable(Type.String()),
  templateLanguage: Nullable(Type.String()),
  attempts: Type.Integer(),
  error: Nullable(
    Type.Object({
      code: Nullable(Type.String({ description: 'A refused or expired message: its refusal code (the values of `decisions[].code`). A failed one: the provider’s error code, or Parley’s (`network`, ...).' })),
      message: Nullable(Type.String()),
    }),
  ),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Timestamp(),
  sendAt: Timestamp(),
  validUntil: Nullable(Timestamp()),
  history: Type.Array(HistoryEntry),
});
export type MessageView = Static<typeof MessageView>;

type Row = Pick<MessageRecord, 'id' | 'direction' | 'status' | 'status_at' | 'lane' | 'type' | 'sender_id' | 'contact_id' | 'template_name' | 'template_language' | 'error_code' | 'error_message' | 'created_at' | 'send_at' | 'valid_until'> & {
  channel: string;
  attempts: number;
  metadata: string;
};

/** `providerMessageId` is the provider's id in clear (stored sealed: the caller opened it). */
export function presentMessage(row: Row, providerMessageId: string | null, content: Record<string, unknown> | null, history: MessageEvent[]): MessageView {
  return {
    id: row.id,
    direction: row.direction,
    channel: row.channel,
    status: row.status,
    statusAt: iso(row.status_at)!,
    lane: row.lane,
    category: row.lane,
    type: row.type,
    senderId: row.sender_id,
    contactId: row.contact_id,
    providerMessageId,
    content,
    templateName: row.template_name,
    templateLanguage: row.template_language,
    attempts: row.attempts,
    error: row.error_code || row.error_message ? { code: row.error_code, message: row.error_message } : null,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    createdAt: iso(row.created_at)!,
    sendAt: iso(row.send_at)!,
    validUntil: iso(row.valid_until),
    history: history.map((e) => ({ kind: e.kind, status: e.status, at: iso(e.at)!, detail: e.detail })),
  };
}
