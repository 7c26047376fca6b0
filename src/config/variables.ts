import { Type, type TSchema } from '@sinclair/typebox';

/**
 * Every configuration variable Parley reads, with its schema, default and an example of a good
 * value. This list is the single source of truth: `config/load.ts` parses it, and the README's
 * configuration table is generated from it (`npm run docs:config`; a test fails if they drift).
 */
export interface VariableSpec<S extends TSchema = TSchema> {
  env: string;
  schema: S;
  /**
   * Raw default as it would be written in the environment; undefined means "unset". It may name another
   * variable as `${PARLEY_...}`, replaced by that variable's value (`sqlite:${PARLEY_DATA_DIR}/parley.db`).
   */
  default?: string;
  description: string;
  example: string;
}

const v = <S extends TSchema, D extends string | undefined = undefined>(spec: VariableSpec<S> & { default?: D }) =>
  spec as VariableSpec<S> & { default: D };

const port = Type.Integer({ minimum: 0, maximum: 65535, description: 'an integer from 0 to 65535' });
const positiveInt = Type.Integer({ minimum: 1, description: 'a positive integer' });

export const VARIABLES = {
  host: v({ env: 'PARLEY_HOST', schema: Type.String({ minLength: 1, description: 'a host name or IP address' }), default: '127.0.0.1', description: 'Address the HTTP API listens on.', example: '0.0.0.0' }),
  port: v({ env: 'PARLEY_PORT', schema: port, default: '8080', description: 'Port of the HTTP API (0 picks a free port).', example: '8080' }),
  publicUrl: v({ env: 'PARLEY_PUBLIC_URL', schema: Type.String({ pattern: '^https?://', description: 'an http(s) URL' }), description: 'URL at which customers and providers reach Parley (links, webhook callbacks). Defaults to the listen address.', example: 'https://parley.example.com' }),
  databaseUrl: v({ env: 'DATABASE_URL', schema: Type.String({ pattern: '^(sqlite:|postgres(ql)?://)', description: 'a sqlite:<path> or postgres:// URL' }), default: 'sqlite:${PARLEY_DATA_DIR}/parley.db', description: 'Database: `sqlite:<file>` (embedded default, WAL mode; by default the file `parley.db` in the data directory) or `postgres://user@host:port/db` for scale-out.', example: 'postgres://parley@127.0.0.1:5432/parley' }),
  databasePoolSize: v({ env: 'PARLEY_DB_POOL_SIZE', schema: Type.Integer({ minimum: 1, maximum: 200, description: 'an integer from 1 to 200' }), default: '10', description: 'PostgreSQL connections per process.', example: '20' }),
  dataDir: v({ env: 'PARLEY_DATA_DIR', schema: Type.String({ minLength: 1, description: 'a directory path' }), default: './data', description: 'Directory for local state: the SQLite file (unless `DATABASE_URL` names another), the master key `parley start` generates, the emulator\'s credentials and the lock that keeps a second `parley start` off it.', example: '/var/lib/parley' }),
  masterKey: v({ env: 'PARLEY_MASTER_KEY', schema: Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$', description: '32 bytes in base64 (44 characters)' }), description: 'Master key that wraps the per-workspace data keys. Unset: `parley start` generates one into the data directory; `serve` and `worker` on PostgreSQL refuse to start. A key that does not open the database\'s data keys stops `start`, `serve` and `worker` with exit status 1.', example: 'q83vEjRWeJq8XzJd3xS1rUe0m0p2yK9Q4n7L5t8u1wA=' }),
  logLevel: v({ env: 'PARLEY_LOG_LEVEL', schema: Type.Union([Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug'), Type.Literal('trace'), Type.Literal('silent')], { description: 'one of fatal, error, warn, info, debug, trace, silent' }), default: 'info', description: 'Log level (JSON logs on standard output; personal data is redacted).', example: 'debug' }),
  bodyLimit: v({ env: 'PARLEY_BODY_LIMIT_BYTES', schema: positiveInt, default: '1048576', description: 'Largest request body accepted by the API, in bytes.', example: '2097152' }),
  shutdownTimeoutMs: v({ env: 'PARLEY_SHUTDOWN_TIMEOUT_MS', schema: positiveInt, default: '10000', description: 'How long a graceful shutdown waits for in-flight work before exiting.', example: '30000' }),
  emulator: v({ env: 'PARLEY_EMULATOR', schema: Type.Union([Type.Literal('auto'), Type.Literal('on'), Type.Literal('off')], { description: 'one of auto, on, off' }), default: 'auto', description: '`parley start` runs the built-in WhatsApp emulator: `auto` when no real provider is configured, `on` always, `off` never.', example: 'off' }),
  emulatorPort: v({ env: 'PARLEY_EMULATOR_PORT', schema: port, default: '8081', description: 'Port of the built-in emulator inside `parley start` (0 picks a free port).', example: '9090' }),
  templateSyncIntervalMs: v({ env: 'PARLEY_TEMPLATE_SYNC_INTERVAL_MS', schema: Type.Integer({ minimum: 10_000, description: 'an integer of at least 10000' }), default: '300000', description: 'How often template statuses are reconciled with the provider (a poll that catches lost or late status webhooks), in milliseconds.', example: '600000' }),
  templateMinWordsPerVariable: v({ env: 'PARLEY_TEMPLATE_MIN_WORDS_PER_VARIABLE', schema: Type.Number({ minimum: 0, maximum: 100, description: 'a number from 0 to 100' }), default: '2', description: 'Template lint (`variable-density`): the words of fixed text a template body should have per placeholder; fewer is a warning, since Meta rejects templates with too many variables for their length but publishes no threshold. 0 turns the warning off.', example: '3' }),
  rolloutCheckIntervalMs: v({ env: 'PARLEY_ROLLOUT_CHECK_INTERVAL_MS', schema: Type.Integer({ minimum: 1000, description: 'an integer of at least 1000' }), default: '60000', description: 'How often running template rollouts are checked against their guardrails and advanced, in milliseconds.', example: '30000' }),
  graphVersion: v({ env: 'PARLEY_GRAPH_VERSION', schema: Type.String({ pattern: '^v\\d+\\.\\d+$', description: 'a Graph API version such as v23.0' }), default: 'v23.0', description: 'Graph API version used for Cloud API senders that do not name one.', example: 'v24.0' }),
  throughputHeadroom: v({ env: 'PARLEY_THROUGHPUT_HEADROOM', schema: Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'a fraction in (0, 1]' }), default: '0.98', description: 'Fraction of each sender\'s mps the dispatcher uses, so clock jitter never trips the provider\'s limit (130429).', example: '0.95' }),
  pairBurst: v({ env: 'PARLEY_PAIR_BURST', schema: Type.Integer({ minimum: 1, maximum: 45, description: 'an integer from 1 to 45' }), default: '30', description: 'Messages Parley sends to one recipient in a burst before pacing to one per 6 s (Meta allows 45, then 131056).', example: '10' }),
  inflightGraceMs: v({ env: 'PARLEY_INFLIGHT_GRACE_MS', schema: Type.Integer({ minimum: 1000, description: 'milliseconds, at least 1000' }), default: '30000', description: 'After a crash, how long a message caught in flight waits for a provider status carrying its id before it is sent again.', example: '60000' }),
  ultramsgQueueCheckMs: v({ env: 'PARLEY_ULTRAMSG_QUEUE_CHECK_MS', schema: Type.Integer({ minimum: 100, description: 'milliseconds, at least 100' }), default: '300000', description: 'How often the worker holding an UltraMsg sender lists the instance\'s messages UltraMsg gave up on (expired after 24 h queued, invalid number, unsent) and ends them in Parley; UltraMsg sends no webhook for these. In milliseconds.', example: '60000' }),
  leaseTtlMs: v({ env: 'PARLEY_LEASE_TTL_MS', schema: Type.Integer({ minimum: 1000, description: 'milliseconds, at least 1000' }), default: '5000', description: 'How long a dispatcher\'s lease on a sender lasts without renewal; another worker takes the sender over after it.', example: '10000' }),
  ultramsgStatusIntervalMs: v({ env: 'PARLEY_ULTRAMSG_STATUS_INTERVAL_MS', schema: Type.Integer({ minimum: 1000, description: 'milliseconds, at least 1000' }), default: '30000', description: 'How often each UltraMsg instance\'s session (`instance/status`) is checked; while it is not authenticated (logged out, waiting for a QR scan, phone offline) its messages are held and it is checked every 5 s at most. Failed checks back off up to 5 minutes.', example: '60000' }),
  ultramsgReceiptCheckAfterMs: v({ env: 'PARLEY_ULTRAMSG_RECEIPT_CHECK_AFTER_MS', schema: Type.Integer({ minimum: 1000, maximum: 86_400_000, description: 'milliseconds, from 1000 to 86400000' }), default: '60000', description: 'How long an UltraMsg send may stay without a delivery receipt before the dispatcher looks it up in the instance\'s message list (`GET messages?referenceId=`); each later look waits twice as long (decision 0007).', example: '30000' }),
  ultramsgReceiptChecks: v({ env: 'PARLEY_ULTRAMSG_RECEIPT_CHECKS', schema: Type.Integer({ minimum: 0, maximum: 12, description: 'an integer from 0 to 12' }), default: '6', description: 'How many times an UltraMsg send without a delivery receipt is looked up in the message list before Parley stops looking (0: never).', example: '8' }),

  // Webhook ingestion (src/webhooks/) and event webhooks to business systems (src/events/).
  whatsappVerifyToken: v({ env: 'PARLEY_WHATSAPP_VERIFY_TOKEN', schema: Type.String({ minLength: 1, description: 'a non-empty string' }), description: 'The verify token typed into Meta\'s App Dashboard; `GET /webhooks/whatsapp/cloud` echoes the challenge only when it matches. Unset: the handshake is refused (403).', example: 'a-long-random-string' }),
  whatsappAppSecrets: v({ env: 'PARLEY_WHATSAPP_APP_SECRETS', schema: Type.String({ pattern: '^[^,\\s]+(,[^,\\s]+)*$', description: 'one or more app secrets separated by commas, without spaces' }), description: 'Meta app secret(s), comma-separated (one per app posting webhooks); a Cloud API delivery is accepted when its `X-Hub-Signature-256` matches any of them. Unset: every Cloud API delivery is refused (401) unless the built-in emulator registers its own.', example: '0123456789abcdef0123456789abcdef,fedcba9876543210fedcba9876543210' }),
  webhookBodyLimit: v({ env: 'PARLEY_WEBHOOK_BODY_LIMIT_BYTES', schema: positiveInt, default: '4194304', description: 'Largest provider webhook delivery accepted, in bytes (Meta sends up to 3 MB); larger ones get 413.', example: '8388608' }),
  webhookLogRetentionDays: v({ env: 'PARLEY_WEBHOOK_LOG_RETENTION_DAYS', schema: positiveInt, default: '7', description: 'Days a processed webhook delivery stays in the log (and can be replayed); failed deliveries are kept until replayed.', example: '30' }),
  webhookSilenceMinutes: v({ env: 'PARLEY_WEBHOOK_SILENCE_MINUTES', schema: positiveInt, default: '10', description: 'Raise the "provider stopped calling us" alarm for a sender when messages were handed to the provider but no status webhook arrived for this many minutes.', example: '5' }),
  webhookSilenceLookbackMinutes: v({ env: 'PARLEY_WEBHOOK_SILENCE_LOOKBACK_MINUTES', schema: positiveInt, default: '60', description: 'How far back the silence alarm looks for messages handed to the provider and still waiting for a status.', example: '120' }),
  mediaMaxBytes: v({ env: 'PARLEY_MEDIA_MAX_BYTES', schema: positiveInt, default: '26214400', description: 'Largest inbound media file downloaded and stored (encrypted); larger files are recorded as not stored.', example: '104857600' }),
  eventsAllowPrivateTargets: v({ env: 'PARLEY_EVENTS_ALLOW_PRIVATE_TARGETS', schema: Type.Boolean({ description: 'true or false' }), default: 'false', description: 'Allow event webhooks to private, loopback and link-local addresses (refused by default, checked on the URL and on every resolved address).', example: 'true' }),
  eventsMaxAgeHours: v({ env: 'PARLEY_EVENTS_MAX_AGE_HOURS', schema: positiveInt, default: '24', description: 'How long an event delivery is retried (exponential backoff with jitter) before it moves to the dead-letter list.', example: '72' }),
  eventsTimeoutMs: v({ env: 'PARLEY_EVENTS_TIMEOUT_MS', schema: positiveInt, default: '10000', description: 'Time allowed for a business system to answer one event delivery.', example: '5000' }),
  eventsConcurrency: v({ env: 'PARLEY_EVENTS_CONCURRENCY', schema: Type.Integer({ minimum: 1, maximum: 256, description: 'an integer from 1 to 256' }), default: '16', description: 'Event deliveries in flight at once per worker process.', example: '64' }),
  contactImportBodyLimit: v({ env: 'PARLEY_CONTACT_IMPORT_BODY_LIMIT_BYTES', schema: positiveInt, default: '20971520', description: 'Largest CSV or JSON body accepted by `POST /v1/contacts/import`, in bytes (bigger files: `parley contacts import`).', example: '52428800' }),
  retentionIntervalMs: v({ env: 'PARLEY_RETENTION_INTERVAL_MS', schema: positiveInt, default: '3600000', description: 'How often the retention workers purge message bodies older than each workspace\'s `retention.messageBodyDays` and audit entries older than its `audit.retentionDays`.', example: '600000' }),

  // The audit trail (src/audit/).
  auditCheckpointIntervalMs: v({ env: 'PARLEY_AUDIT_CHECKPOINT_INTERVAL_MS', schema: Type.Integer({ minimum: 1000, maximum: 86_400_000, description: 'milliseconds, from 1000 to 86400000' }), default: '60000', description: 'How often each workspace\'s audit chain head is signed into a checkpoint (when it moved). Checkpoints make a deleted tail detectable, so this bounds how many of the newest entries could be cut off unseen; export them with `parley audit checkpoints` to keep them elsewhere.', example: '300000' }),
} as const;

export type VariableKey = keyof typeof VARIABLES;
