/**
 * Terminology
 * - flow: a named bot flow of a workspace; its draft is edited freely, its published versions never change.
 * - flow version: an immutable, published copy of a flow's definition, numbered from 1. A bot session
 *   runs the version it started with to its end, whatever is published meanwhile.
 * - flow assignment: which flow answers a sender's new conversations; `entry` narrows it to an entry
 *   point (`referral:<source id>`, a click-to-WhatsApp ad), '' for every other conversation.
 * - bot session: one run of a flow in one conversation's resolution cycle: where it is, what it
 *   collected (sealed: customers' answers are personal data), the effects of its last step not yet
 *   carried out, and its outcome for the measures.
 */

export interface FlowsTable {
  id: string;
  workspace_id: string;
  name: string;
  /** The draft definition (JSON text), as last saved; may be invalid. */
  draft: string;
  /** The highest published version, null before the first publication. */
  latest_version: number | null;
  /** The secret that signs this flow's business webhook calls, sealed with the workspace's data key. */
  webhook_secret: string;
  created_at: number;
  updated_at: number;
}

export interface FlowVersionsTable {
  flow_id: string;
  version: number;
  workspace_id: string;
  /** The validated definition (JSON text), immutable. */
  definition: string;
  /** Who published it: `user:<id>` or `key:<id>`. */
  published_by: string;
  published_at: number;
}

export interface FlowAssignmentsTable {
  workspace_id: string;
  sender_id: string;
  /** '' for every conversation of the sender, or an entry point (`referral:<source id>`). */
  entry: string;
  flow_id: string;
  updated_at: number;
}

export interface BotSessionsTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  cycle: number;
  flow_id: string;
  flow_version: number;
  /** `active`, `waiting_webhook`, `handed_off`, `resolved`, `stopped` (a person took over or the conversation ended). */
  status: string;
  /** The engine's session (JSON), sealed with the workspace's data key. */
  state: string;
  /** Effects of past steps not yet carried out (JSON array), sealed; null when none. */
  pending: string | null;
  /** The number of steps taken: a step's effects are keyed by it, so carrying them out twice does nothing twice. */
  steps: number;
  handoff_reason: string | null;
  /** Messages not understood, in total and by node (JSON object of counts; node names only). */
  misunderstandings: number;
  missed_by_node: string;
  /** Customer turns answered, by node (JSON object of counts): the denominator of the misunderstanding rate. */
  turns_by_node: string;
  webhook_failures: number;
  started_at: number;
  updated_at: number;
  ended_at: number | null;
}

declare module '../db/schema.js' {
  interface Database {
    flows: FlowsTable;
    flow_versions: FlowVersionsTable;
    flow_assignments: FlowAssignmentsTable;
    bot_sessions: BotSessionsTable;
  }
}
