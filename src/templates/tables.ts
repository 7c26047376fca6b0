/**
 * Terminology
 * - template: one WhatsApp message template in one language for one WhatsApp Business Account
 *   (`waba_id`), as Meta knows it: the (name, language) pair is Meta's identity, so it is unique here
 *   per workspace and WABA. Translations of one name are separate rows, grouped in the localisation matrix.
 * - version: the content of a template (category and Meta's component JSON) at one edit. Every edit is a
 *   new version with a diff from the one before; versions are never changed after creation except for
 *   their review state.
 * - review state of a version: `draft` (written) → `approved` (a second API key agreed) or
 *   `changes_requested` → `submitted` (sent to the provider) → `live` (the provider approved it; the one
 *   version sends use) or `rejected` (the provider refused it). A live version becomes `superseded` when
 *   a later one goes live. Only one version per template is live: `templates.live_version_id`.
 * - provider status: Meta's status of the template (`PENDING`, `APPROVED`, `REJECTED`, `PAUSED`,
 *   `DISABLED`, `FLAGGED`, ...), kept in step by status webhooks and a reconciliation poll.
 * - backup: what sends of this template use while it cannot be sent (paused, disabled, rejected): another
 *   template (name and language) or another channel.
 * - alert: a notice for people (template paused, variant halted), stored in `template_alerts` and
 *   announced through the event emitter.
 * - intent: a named business reason to message (`order_shipped`) mapping to free-form text for an open
 *   24-hour window and to a template otherwise.
 * - variant: one alternative of an intent (its own text and/or template), with a weight. The control is
 *   the variant others are compared with.
 * - rollout: a staged exposure of one variant (1% → 10% → 50% → 100%) with guardrails that halt it.
 * - bucket: a contact's fixed position in [0, 10000) for an intent, from a hash of intent and contact id.
 */

export interface TemplatesTable {
  id: string;
  workspace_id: string;
  waba_id: string;
  name: string;
  /** Meta's locale code with an underscore (`en_US`, `pt_BR`, `es`). */
  language: string;
  /** The category of the live version, or of the latest one before anything went live; Meta may recategorise. */
  category: string;
  latest_version: number;
  live_version_id: string | null;
  /** The version at the provider waiting for review, if any. */
  submitted_version_id: string | null;
  provider_template_id: string | null;
  provider_status: string | null;
  /** Time of the provider fact the status reflects; an older fact never overwrites a newer one. */
  provider_status_at: number | null;
  /** JSON of the last status details (`other_info`, `disable_info`, poll snapshot). */
  provider_status_detail: string | null;
  quality: string | null;
  rejection_reason: string | null;
  /** JSON `{ reason, recommendation }` from Meta's `rejection_info`. */
  rejection_info: string | null;
  /** JSON `{ kind: 'template', name, language } | { kind: 'channel', channel }`. */
  backup: string | null;
  created_at: number;
  updated_at: number;
}

export interface TemplateVersionsTable {
  id: string;
  template_id: string;
  workspace_id: string;
  number: number;
  category: string;
  parameter_format: string;
  allow_category_change: number;
  message_send_ttl_seconds: number | null;
  /** JSON array of Meta's create-body components. */
  components: string;
  /** JSON of the diff from the previous version (null for the first). */
  diff: string | null;
  /** JSON array of lint findings at creation. */
  lint: string;
  state: string;
  author_key_id: string | null;
  reviewer_key_id: string | null;
  review_note: string | null;
  reviewed_at: number | null;
  submitted_by_key_id: string | null;
  submitted_at: number | null;
  /** JSON array of the warning rule ids acknowledged at submission. */
  acknowledged_warnings: string | null;
  provider_reason: string | null;
  created_at: number;
}

/** History of provider status facts per template; the unique key makes a replayed webhook a no-op. */
export interface TemplateStatusEventsTable {
  id: string;
  template_id: string;
  workspace_id: string;
  status: string;
  reason: string | null;
  detail: string;
  /** `webhook`, `poll` or `submit`. */
  source: string;
  at: number;
  dedupe_key: string;
  created_at: number;
}

export interface TemplateAlertsTable {
  id: string;
  workspace_id: string;
  /** `template.paused`, `template.disabled`, `template.rejected`, `template.quality_low`, `variant.halted`, ... */
  type: string;
  template_id: string | null;
  intent_id: string | null;
  data: string;
  dedupe_key: string;
  created_at: number;
}

export interface IntentsTable {
  id: string;
  workspace_id: string;
  name: string;
  description: string | null;
  /** Free-form text with `{{param}}` placeholders for an open window; null when the intent has none. */
  text: string | null;
  /** JSON binding of a template: `{ name, header?, body?, buttons? }` (see `intents/binding.ts`). */
  template: string | null;
  created_at: number;
  updated_at: number;
}

export interface IntentVariantsTable {
  id: string;
  intent_id: string;
  workspace_id: string;
  name: string;
  weight: number;
  is_control: number;
  /** Overrides of the intent's text and template for this variant; null keeps the intent's. */
  text: string | null;
  template: string | null;
  /** `active` or `halted`. */
  state: string;
  halted_reason: string | null;
  halted_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface IntentRolloutsTable {
  id: string;
  intent_id: string;
  workspace_id: string;
  variant_id: string;
  /** JSON array of `{ percent, holdMs?, minMessages? }`. */
  stages: string;
  /** JSON of the guardrail thresholds. */
  guardrails: string;
  current_stage: number;
  stage_started_at: number;
  /** `running`, `completed` or `halted`. */
  state: string;
  halted_reason: string | null;
  started_at: number;
  updated_at: number;
}

/** A contact who stopped marketing, attributed to the last variant they were sent. */
export interface VariantOptoutsTable {
  variant_id: string;
  contact_id: string;
  intent_id: string;
  workspace_id: string;
  message_id: string | null;
  at: number;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    templates: TemplatesTable;
    template_versions: TemplateVersionsTable;
    template_status_events: TemplateStatusEventsTable;
    template_alerts: TemplateAlertsTable;
    intents: IntentsTable;
    intent_variants: IntentVariantsTable;
    intent_rollouts: IntentRolloutsTable;
    variant_optouts: VariantOptoutsTable;
  }
}
