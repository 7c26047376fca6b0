import type { ApiKeysTable, WorkspacesTable } from '../workspaces/tables.js';
import type { DataKeysTable } from '../crypto/tables.js';
import type { SendersTable, SenderHealthTable } from '../senders/tables.js';
import type { ContactAttributesTable, ContactMergesTable, ContactTagsTable, ContactsTable } from '../contacts/tables.js';
import type { ConversationsTables } from '../conversations/tables.js';
import type { ConsentProofsTable, ConsentRecordsTable } from '../consent/tables.js';
import type { ContactErasuresTable, DataBackfillsTable, RetentionWatermarksTable } from '../privacy/tables.js';
import type { MessageEventsTable, MessagesTable, ReceiptChecksTable } from '../messages/tables.js';
import type {
  IntentRolloutsTable,
  IntentVariantsTable,
  IntentsTable,
  TemplateAlertsTable,
  TemplateStatusEventsTable,
  TemplateVersionsTable,
  TemplatesTable,
  VariantOptoutsTable,
} from '../templates/tables.js';
import type {
  MediaTable,
  PendingStatusesTable,
  PhoneNumberUpdatesTable,
  ProviderErrorsTable,
  StatusReceiptsTable,
  TemplateUpdatesTable,
  WebhookDomainEventsTable,
  WebhookLogTable,
  WebhookSenderHealthTable,
} from '../webhooks/tables.js';
import type { EventDeliveriesTable, EventOutboxTable, EventSequencesTable, EventSubscriptionsTable } from '../events/tables.js';
import type { DeadLettersTable, DispatchWorkersTable, SenderLeasesTable, TierUsageTable } from '../outbound/tables.js';
import type { SuppressionsTable } from '../suppressions/tables.js';

/** Every table, as Kysely sees it. Each module declares its tables in its own `tables.ts` (a module that lists them in one interface is taken whole). */
export interface Database extends ConversationsTables {
  workspaces: WorkspacesTable;
  api_keys: ApiKeysTable;
  data_keys: DataKeysTable;
  senders: SendersTable;
  sender_health: SenderHealthTable;
  contacts: ContactsTable;
  messages: MessagesTable;
  message_events: MessageEventsTable;
  receipt_checks: ReceiptChecksTable;
  templates: TemplatesTable;
  template_versions: TemplateVersionsTable;
  template_status_events: TemplateStatusEventsTable;
  template_alerts: TemplateAlertsTable;
  intents: IntentsTable;
  intent_variants: IntentVariantsTable;
  intent_rollouts: IntentRolloutsTable;
  variant_optouts: VariantOptoutsTable;
  webhook_log: WebhookLogTable;
  webhook_domain_events: WebhookDomainEventsTable;
  status_receipts: StatusReceiptsTable;
  pending_statuses: PendingStatusesTable;
  media: MediaTable;
  template_updates: TemplateUpdatesTable;
  phone_number_updates: PhoneNumberUpdatesTable;
  provider_errors: ProviderErrorsTable;
  webhook_sender_health: WebhookSenderHealthTable;
  event_subscriptions: EventSubscriptionsTable;
  event_outbox: EventOutboxTable;
  event_sequences: EventSequencesTable;
  event_deliveries: EventDeliveriesTable;
  contact_tags: ContactTagsTable;
  contact_attributes: ContactAttributesTable;
  contact_merges: ContactMergesTable;
  consent_records: ConsentRecordsTable;
  consent_proofs: ConsentProofsTable;
  contact_erasures: ContactErasuresTable;
  data_backfills: DataBackfillsTable;
  retention_watermarks: RetentionWatermarksTable;
  dispatch_workers: DispatchWorkersTable;
  sender_leases: SenderLeasesTable;
  tier_usage: TierUsageTable;
  suppressions: SuppressionsTable;
  dead_letters: DeadLettersTable;
}
