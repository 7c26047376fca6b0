import { Type, type Static } from '@sinclair/typebox';

/**
 * The emulator's config file (`parley emulator --config file.json`) and the `config` option of
 * `startEmulator`. Every field is optional; what is left out takes the defaults of `defaults.ts`.
 * A list given here (numbers, instances, templates, customers) replaces the default list.
 *
 * ```json
 * {
 *   "wabaId": "102290129340398",
 *   "accessToken": "EAAG-emulator-token",
 *   "numbers": [{ "phoneNumberId": "106540352242922", "displayPhoneNumber": "15550783881",
 *                 "limits": { "throughputMps": 80, "dailyUniqueRecipients": 250, "marketingCapPerUser": 2 } }],
 *   "ultramsg": { "token": "secret", "instances": [{ "instanceId": "instance1150", "phone": "10172127170", "sendDelayMs": 1000, "sendDelayMaxMs": 15000 }] },
 *   "templates": [{ "name": "hello_world", "language": "en_US", "category": "UTILITY",
 *                   "components": [{ "type": "BODY", "text": "Hello {{1}}!" }] }],
 *   "customers": [{ "phone": "16505551234", "name": "Sheena Nelson", "persona": "shopper" }],
 *   "personas": { "shopper": { "stopMarketingShare": 0.1, "pressButtonShare": 0.5, "replyDelayMs": [500, 2000] } },
 *   "behaviour": { "statusLatencyMs": { "delivered": [100, 500] }, "duplicateRate": 0.01, "windowErrors": "webhook" },
 *   "faults": { "http5xxRate": 0.01 }
 * }
 * ```
 */
const Rate = Type.Number({ minimum: 0, maximum: 1, description: 'a share from 0 to 1' });
const Ms = Type.Integer({ minimum: 0, description: 'milliseconds (an integer >= 0)' });
const Range = Type.Tuple([Ms, Ms], { description: '[min, max] in milliseconds' });
const Digits = Type.String({ pattern: '^[0-9]{5,20}$', description: 'digits only' });
const Category = Type.Union([Type.Literal('MARKETING'), Type.Literal('UTILITY'), Type.Literal('AUTHENTICATION')]);
const Quality = Type.Union([Type.Literal('GREEN'), Type.Literal('YELLOW'), Type.Literal('RED'), Type.Literal('UNKNOWN')]);
const NullablePositive = Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]);

export const NumberLimitsInput = Type.Partial(
  Type.Object(
    {
      throughputMps: Type.Integer({ minimum: 1, maximum: 1000, description: 'messages per second, 1 to 1000 (Meta: 80 default, 1000 after upgrade)' }),
      pairBurst: Type.Integer({ minimum: 1 }),
      pairBurstWindowMs: Type.Integer({ minimum: 1 }),
      pairIntervalMs: Type.Integer({ minimum: 0 }),
      serviceWindowMs: Type.Integer({ minimum: 1 }),
      dailyUniqueRecipients: NullablePositive,
      tierErrorCode: Type.Integer({ minimum: 1 }),
      marketingCapPerUser: NullablePositive,
      marketingCapWindowMs: Type.Integer({ minimum: 1 }),
    },
    { additionalProperties: false },
  ),
);

const NumberInput = Type.Object(
  {
    phoneNumberId: Digits,
    displayPhoneNumber: Type.Optional(Digits),
    verifiedName: Type.Optional(Type.String({ minLength: 1 })),
    qualityRating: Type.Optional(Quality),
    limits: Type.Optional(NumberLimitsInput),
  },
  { additionalProperties: false },
);

const InstanceInput = Type.Object(
  {
    instanceId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', description: 'letters, digits, _ and -' }),
    phone: Type.Optional(Digits),
    name: Type.Optional(Type.String()),
    sendDelayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000, description: 'milliseconds between sends while fewer than 10 are queued (UltraMsg sendDelay; default 1000, 0 = no delay)' })),
    sendDelayMaxMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 3_600_000, description: 'milliseconds between sends once 10 or more are queued (UltraMsg sendDelayMax; default 15000)' })),
  },
  { additionalProperties: false },
);

const TemplateInput = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9_]{1,512}$', description: 'lowercase letters, digits and underscores' }),
    language: Type.String({ minLength: 2 }),
    category: Category,
    status: Type.Optional(Type.Union(['PENDING', 'APPROVED', 'REJECTED', 'PAUSED', 'DISABLED'].map((s) => Type.Literal(s)))),
    quality: Type.Optional(Quality),
    parameterFormat: Type.Optional(Type.Union([Type.Literal('POSITIONAL'), Type.Literal('NAMED')])),
    components: Type.Array(Type.Object({ type: Type.String() }, { additionalProperties: true })),
  },
  { additionalProperties: false },
);

const CustomerInput = Type.Object(
  {
    phone: Digits,
    name: Type.Optional(Type.String()),
    undeliverable: Type.Optional(Type.Boolean()),
    blocked: Type.Optional(Type.Boolean()),
    optedOutOfMarketing: Type.Optional(Type.Boolean()),
    persona: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  { additionalProperties: false },
);

export const PersonaInput = Type.Partial(
  Type.Object(
    { stopMarketingShare: Rate, pressButtonShare: Rate, replyShare: Rate, replyText: Type.String(), replyDelayMs: Range },
    { additionalProperties: false },
  ),
);

const ReviewRule = Type.Object(
  {
    namePattern: Type.Optional(Type.String()),
    bodyPattern: Type.Optional(Type.String()),
    category: Type.Optional(Category),
    decision: Type.Union([Type.Literal('APPROVED'), Type.Literal('REJECTED')]),
    reason: Type.String(),
    rejectionInfo: Type.Optional(Type.Object({ reason: Type.String(), recommendation: Type.String() })),
  },
  { additionalProperties: false },
);

export const BehaviourInput = Type.Partial(
  Type.Object(
    {
      statusLatencyMs: Type.Partial(Type.Object({ sent: Range, delivered: Range, read: Range }, { additionalProperties: false })),
      deliveredRate: Rate,
      readRate: Rate,
      failedRate: Rate,
      failedCode: Type.Integer({ minimum: 1 }),
      duplicateRate: Rate,
      reorderRate: Rate,
      reorderDelayMs: Ms,
      batchWindowMs: Ms,
      maxBatchSize: Type.Integer({ minimum: 1, maximum: 1000 }),
      webhookTimeoutMs: Type.Integer({ minimum: 1 }),
      webhookConcurrency: Type.Integer({ minimum: 1, maximum: 256 }),
      retry: Type.Partial(Type.Object({ initialDelayMs: Ms, maxDelayMs: Ms, maxAttempts: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })),
      templateReview: Type.Partial(Type.Object({ delayMs: Ms, rules: Type.Array(ReviewRule) }, { additionalProperties: false })),
      undeliverablePrefixes: Type.Array(Type.String({ pattern: '^[0-9]+$' })),
      defaultPersona: Type.Union([Type.String(), Type.Null()]),
      windowErrors: Type.Union([Type.Literal('webhook'), Type.Literal('sync')], { description: '"webhook" (131047 in a failed status, like Meta) or "sync" (HTTP 400 with 131047)' }),
      ultramsgAckIds: Type.Union([Type.Literal('filled'), Type.Literal('empty')], { description: '"filled" (UltraMsg message_create/message_ack envelopes carry id and referenceId) or "empty" (only data.id, as UltraMsg\'s webhook example)' }),
    },
    { additionalProperties: false },
  ),
);

export const FaultsInput = Type.Partial(
  Type.Object(
    {
      http5xxRate: Rate,
      timeoutRate: Rate,
      timeoutMs: Ms,
      timeoutProcessed: Type.Boolean(),
      slowRate: Rate,
      slowMs: Ms,
      error131000Rate: Rate,
      error131016Rate: Rate,
      tokenExpired: Type.Boolean(),
      webhookOutage: Type.Boolean(),
      ultramsgAckDropRate: Rate,
    },
    { additionalProperties: false },
  ),
);

const MemoryInput = Type.Partial(
  Type.Object(
    {
      maxMessages: Type.Integer({ minimum: 100 }),
      maxInboundMessages: Type.Integer({ minimum: 100 }),
      maxLogEntries: Type.Integer({ minimum: 10 }),
      maxPendingEvents: Type.Integer({ minimum: 100 }),
      maxMediaBytes: Type.Integer({ minimum: 1024 }),
      maxCorrelationKeys: Type.Integer({ minimum: 100 }),
    },
    { additionalProperties: false },
  ),
);

export const EmulatorConfigInput = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    wabaId: Type.Optional(Digits),
    accessToken: Type.Optional(Type.String({ minLength: 8 })),
    appSecret: Type.Optional(Type.String({ minLength: 1 })),
    numbers: Type.Optional(Type.Array(NumberInput, { minItems: 1 })),
    ultramsg: Type.Optional(
      Type.Object({ token: Type.Optional(Type.String({ minLength: 1 })), instances: Type.Optional(Type.Array(InstanceInput)) }, { additionalProperties: false }),
    ),
    templates: Type.Optional(Type.Array(TemplateInput)),
    customers: Type.Optional(Type.Array(CustomerInput)),
    personas: Type.Optional(Type.Record(Type.String(), PersonaInput)),
    behaviour: Type.Optional(BehaviourInput),
    faults: Type.Optional(FaultsInput),
    memory: Type.Optional(MemoryInput),
  },
  { additionalProperties: false },
);

export type EmulatorConfigInput = Static<typeof EmulatorConfigInput>;
export type BehaviourInput = Static<typeof BehaviourInput>;
export type FaultsInput = Static<typeof FaultsInput>;
export type NumberLimitsInput = Static<typeof NumberLimitsInput>;
export type PersonaInput = Static<typeof PersonaInput>;
