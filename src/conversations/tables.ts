/**
 * Terminology
 * - service window (Meta: customer-service window): the 24 hours after a customer's last message to
 *   one sender, in which that sender may send free-form messages; outside it only templates. The rule
 *   is `service-window.ts`; this module owns the table it is computed from.
 * - last_inbound_at: the time of the customer's latest message to the sender, in ms since the epoch.
 *   It only moves forward on an inbound message; it moves back only when the provider reports the
 *   window closed (to the latest time consistent with that report).
 * - conversation: the exchange between one contact and one sender, from the customer's first message
 *   until it is resolved and the reopen period has passed (`current_key` set meanwhile). States and
 *   owners are `state-machine.ts`'s.
 * - resolution cycle: from the (re)opening of a conversation to its resolution; the metrics are per cycle.
 * - seq: a conversation event's place in its workspace's sequence, the live stream's event id.
 * - survey: a CSAT (1–5) or NPS (0–10) question asked when a cycle is resolved (`survey-policy.ts`);
 *   one per conversation × cycle. A customer's answer or comment to it does not reopen the conversation.
 * - business hours: the workspace's open intervals per weekday and its holidays, in its time zone
 *   (`settings.conversations.businessHours`, `business-hours.ts`).
 * - SLA policy: targets for first response, next response and resolution, in wall-clock or business
 *   hours, for the workspace, a team or a sender; an SLA alert records a target's near breach or breach
 *   in one cycle (`sla-evaluation.ts`).
 */

/** The last inbound message per sender × contact: the 24-hour customer-service window opens from it. */
export interface ServiceWindowsTable {
  sender_id: string;
  contact_id: string;
  last_inbound_at: number;
}

export interface ConversationsTable {
  id: string;
  workspace_id: string;
  sender_id: string;
  contact_id: string;
  /** `sender:contact` while this is the contact's current conversation with the sender, else null. */
  current_key: string | null;
  state: string;
  /** The state a snoozed conversation returns to when it wakes. */
  resume_state: string | null;
  /** When a snoozed conversation wakes; null: on the customer's next message. */
  snoozed_until: number | null;
  owner_type: string;
  owner_user_id: string | null;
  /** The last person who owned it: a returning customer may go back to them. */
  last_user_id: string | null;
  team_id: string | null;
  escalation_reason: string | null;
  cycle: number;
  cycle_started_at: number;
  /** When a person became responsible in this cycle (hand-off from the bot, or opened without a bot). */
  human_since: number | null;
  /** The cycle's first public reply by a person. */
  first_response_at: number | null;
  /** The oldest customer message not answered yet (null: nothing waiting). */
  waiting_since: number | null;
  last_inbound_at: number | null;
  last_activity_at: number;
  resolved_at: number | null;
  /** When it stopped being current (reopen period over, or merged away). */
  ended_at: number | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface ConversationHeadsTable {
  workspace_id: string;
  seq: number;
}

/** A non-conversation fact on the live stream (`stream-notices.ts`), in the workspace's event sequence. */
export interface StreamNoticesTable {
  workspace_id: string;
  seq: number;
  /** `template.changed`. */
  type: string;
  /** What a stream's principal must hold to receive it (`templates.read`). */
  permission: string;
  /** JSON object: ids and states. */
  data: string;
  at: number;
}

export interface ConversationEventsTable {
  workspace_id: string;
  seq: number;
  conversation_id: string;
  /** The conversation's team when the event happened: what the stream filters an agent's view by. */
  team_id: string | null;
  type: string;
  /** `user:<id>`, `key:<id>`, `bot`, `contact`, `system`. */
  actor: string;
  reason: string | null;
  cycle: number;
  /** What caused it, once (a message id): replays of the cause add nothing. */
  cause: string | null;
  /** JSON object: the event's details (ids and states, never the customer's words). */
  data: string;
  at: number;
}

export interface AgentsTable {
  user_id: string;
  workspace_id: string;
  presence: string;
  presence_at: number;
  /** Open conversations this agent may hold at once; null: the policy's or the default. */
  capacity: number | null;
  last_assigned_at: number | null;
}

export interface AssignmentPoliciesTable {
  id: string;
  workspace_id: string;
  /** `sender` or `team`. */
  scope: string;
  scope_id: string;
  /** For a sender: the team its new conversations go to. */
  team_id: string | null;
  /** `manual`, `round_robin`, `balanced`. */
  mode: string;
  /** `earliest_created`, `longest_waiting`. */
  queue_order: string;
  capacity: number | null;
  updated_at: number;
}

export interface ConversationSurveysTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  cycle: number;
  /** The conversation's team when it was resolved: what lists and aggregates are filtered by. */
  team_id: string | null;
  /** `csat` (1–5) or `nps` (0–10). */
  kind: string;
  /** `pending` (being asked), `asked`, `answered`, `skipped`, `failed`. */
  state: string;
  /** `interactive` (a list), `text` (a question inviting a number), `template` (outside the window). */
  via: string | null;
  message_id: string | null;
  asked_at: number | null;
  score: number | null;
  answered_at: number | null;
  /** The customer's comment after the score, sealed with the workspace's data key. */
  comment: string | null;
  commented_at: number | null;
  /** Why it was skipped or failed (`window_closed_no_template`, a gate's refusal code). */
  reason: string | null;
  created_at: number;
}

/** A private note on a conversation (never sent to the customer). */
export interface ConversationNotesTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  /** `user:<id>` or `key:<id>`. */
  author: string;
  /** The note's text, sealed with the workspace's data key (`v1.…`): personal data. */
  text: string;
  /** JSON array of the mentioned user ids. */
  mentions: string;
  created_at: number;
}

/** A saved reply, sent by its shortcut with its variables filled (`canned-reply.ts`). */
export interface CannedRepliesTable {
  id: string;
  workspace_id: string;
  /** Unique in the workspace. */
  shortcut: string;
  text: string;
  created_at: number;
  updated_at: number;
}

/** A resolved cycle's figures (`cycle-metrics.ts`), written once after its resolution commits. */
export interface ConversationCyclesTable {
  conversation_id: string;
  cycle: number;
  workspace_id: string;
  /** The conversation's team when the cycle closed. */
  team_id: string | null;
  sender_id: string;
  started_at: number;
  closed_at: number;
  /** The workspace-local date of `closed_at` (`YYYY-MM-DD`, UTC without business hours): the day it counts on. */
  closed_day: string;
  first_response_at: number | null;
  first_response_ms: number | null;
  first_response_business_ms: number | null;
  resolution_ms: number;
  resolution_business_ms: number | null;
  bot_ms: number;
  bot_business_ms: number | null;
  snoozed_ms: number;
  snoozed_business_ms: number | null;
  recorded_at: number;
}

export interface SlaPoliciesTable {
  id: string;
  workspace_id: string;
  name: string;
  /** `default`, `team`, `sender`. */
  scope: string;
  scope_id: string | null;
  /** `default`, `team:<id>`, `sender:<id>`: unique per workspace. */
  scope_key: string;
  first_response_ms: number | null;
  next_response_ms: number | null;
  resolution_ms: number | null;
  /** 1: targets count business hours; 0: wall-clock. */
  business_hours: number;
  near_breach_percent: number;
  created_at: number;
  updated_at: number;
}

export interface ConversationLabelsTable {
  conversation_id: string;
  workspace_id: string;
  label: string;
}

export interface SlaAlertsTable {
  conversation_id: string;
  cycle: number;
  /** `first_response`, `next_response`, `resolution`. */
  kind: string;
  /** `near_breach`, `breach`. */
  level: string;
  workspace_id: string;
  team_id: string | null;
  policy_id: string;
  target_ms: number;
  due_at: number | null;
  at: number;
}

/** The tables this module owns, as Kysely sees them. */
export interface ConversationsTables {
  service_windows: ServiceWindowsTable;
  conversations: ConversationsTable;
  conversation_heads: ConversationHeadsTable;
  conversation_events: ConversationEventsTable;
  stream_notices: StreamNoticesTable;
  agents: AgentsTable;
  assignment_policies: AssignmentPoliciesTable;
  conversation_surveys: ConversationSurveysTable;
  conversation_notes: ConversationNotesTable;
  canned_replies: CannedRepliesTable;
  conversation_labels: ConversationLabelsTable;
  conversation_cycles: ConversationCyclesTable;
  sla_policies: SlaPoliciesTable;
  sla_alerts: SlaAlertsTable;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    service_windows: ServiceWindowsTable;
    conversations: ConversationsTable;
    conversation_heads: ConversationHeadsTable;
    conversation_events: ConversationEventsTable;
    stream_notices: StreamNoticesTable;
    agents: AgentsTable;
    assignment_policies: AssignmentPoliciesTable;
    conversation_surveys: ConversationSurveysTable;
    conversation_notes: ConversationNotesTable;
    canned_replies: CannedRepliesTable;
    conversation_labels: ConversationLabelsTable;
    conversation_cycles: ConversationCyclesTable;
    sla_policies: SlaPoliciesTable;
    sla_alerts: SlaAlertsTable;
  }
}
