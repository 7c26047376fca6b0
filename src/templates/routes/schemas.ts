import { Type } from '@sinclair/typebox';
import { INT32_MAX, Nullable, StringEnum, Timestamp } from '../../http/schemas.js';
import { CATEGORIES, PARAMETER_FORMATS } from '../../template-text/template-shape.js';
import { VERSION_STATES } from '../store/template-records.js';

export const security = [{ apiKey: [] }];

const Json = Type.Unknown();
const JsonObject = Type.Record(Type.String(), Type.Unknown());

export const Component = Type.Object(
  { type: StringEnum(['HEADER', 'BODY', 'FOOTER', 'BUTTONS'], { description: 'Meta component type; the rest of the object is Meta’s component JSON.' }) },
  { additionalProperties: true },
);

export const VersionContent = {
  category: StringEnum(CATEGORIES),
  parameterFormat: Type.Optional(StringEnum(PARAMETER_FORMATS, { description: 'NAMED for {{name}} placeholders; POSITIONAL (default) for {{1}}.' })),
  allowCategoryChange: Type.Optional(Type.Boolean({ description: 'Let Meta recategorise instead of rejecting.' })),
  messageSendTtlSeconds: Type.Optional(Nullable(Type.Integer({ minimum: 30, maximum: 2_592_000, description: 'Drop undelivered messages after this long (authentication templates).' }))),
  components: Type.Array(Component, { minItems: 1, maxItems: 4 }),
};

export const TemplateCreateBody = Type.Object(
  {
    wabaId: Type.String({ minLength: 1, maxLength: 64, description: 'The WhatsApp Business Account the template belongs to.' }),
    name: Type.String({ minLength: 1, maxLength: 512 }),
    language: Type.String({ minLength: 2, maxLength: 16, description: 'Meta locale code, e.g. en_US, pt_BR.' }),
    ...VersionContent,
  },
  { additionalProperties: false },
);

export const VersionCreateBody = Type.Object(VersionContent, { additionalProperties: false });

export const FindingSchema = Type.Object({
  ruleId: Type.String(),
  severity: StringEnum(['error', 'warning']),
  path: Type.String({ description: 'JSON pointer into Meta’s create body.' }),
  message: Type.String(),
  fix: Type.String(),
});

export const BackupSchema = Type.Union([
  Type.Object({ kind: Type.Literal('template'), name: Type.String({ minLength: 1 }), language: Type.Optional(Type.String()) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('channel'), channel: StringEnum(['sms', 'email']) }, { additionalProperties: false }),
]);

export const TemplateSchema = Type.Object({
  id: Type.String(),
  wabaId: Type.String(),
  name: Type.String(),
  language: Type.String(),
  category: Type.String(),
  status: Type.String({ description: 'The provider status (APPROVED, PAUSED, ...), or DRAFT / SUBMITTED before the provider has one.' }),
  sendable: Type.Boolean({ description: 'A version is live and the provider lets it send now.' }),
  providerTemplateId: Nullable(Type.String()),
  quality: Nullable(Type.String()),
  latestVersion: Type.Integer(),
  liveVersion: Nullable(Type.Integer()),
  submittedVersion: Nullable(Type.Integer()),
  rejection: Nullable(Type.Object({ reason: Nullable(Type.String()), info: Nullable(JsonObject) })),
  statusDetail: Nullable(JsonObject),
  backup: Nullable(JsonObject),
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
});

export const VersionSchema = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  state: StringEnum(VERSION_STATES),
  category: Type.String(),
  parameterFormat: Type.String(),
  allowCategoryChange: Type.Boolean(),
  messageSendTtlSeconds: Nullable(Type.Integer()),
  components: Type.Array(JsonObject),
  diff: Nullable(Type.Object({ text: Type.String(), changes: Type.Array(JsonObject) })),
  lint: Type.Array(FindingSchema),
  authorKeyId: Nullable(Type.String()),
  reviewerKeyId: Nullable(Type.String()),
  reviewNote: Nullable(Type.String()),
  reviewedAt: Nullable(Timestamp()),
  submittedByKeyId: Nullable(Type.String()),
  submittedAt: Nullable(Timestamp()),
  acknowledgedWarnings: Nullable(Type.Array(Type.String())),
  providerReason: Nullable(Type.String()),
  createdAt: Timestamp(),
});

export const TemplateParamsSchema = Type.Object(
  {
    header: Type.Optional(Json),
    body: Type.Optional(Type.Union([Type.Array(Json), JsonObject])),
    buttons: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number({ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER })]))),
  },
  { additionalProperties: false, description: 'Send-time values: header, body (list or by key), buttons by position.' },
);

export const IdParams = Type.Object({ id: Type.String() });
export const VersionParams = Type.Object({ id: Type.String(), number: Type.Integer({ minimum: 1, maximum: INT32_MAX }) });

export const BindingSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 512, description: 'Template name; the translation is chosen per contact.' }),
    header: Type.Optional(Type.String({ description: 'The intent parameter holding the header value.' })),
    body: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Record(Type.String(), Type.String())], { description: 'Parameter names in placeholder order, or placeholder → parameter.' })),
    buttons: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Button position → parameter.' })),
  },
  { additionalProperties: false },
);

export { Json, JsonObject };

/** For POST routes whose body is all optional: no body at all reads as `{}`. */
export const emptyBodyAsObject = async (request: { body: unknown }) => {
  if (request.body === undefined || request.body === null) request.body = {};
};
