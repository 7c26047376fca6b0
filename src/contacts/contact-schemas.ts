import { Type } from '@sinclair/typebox';
import { Nullable, StringEnum, Timestamp, iso } from '../http/schemas.js';
import type { Contact } from './contact.js';
import { PERSONAL_DATA_PERMISSION, PERSONAL_FIELDS } from './personal-data.js';

// TypeBox schemas of the contacts API (they feed /openapi.json) and the presenter that fills them.

export const AttributeValue = Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]);
// Request bodies take attribute values untyped and check them in code: with the app's type
// coercion, a union schema would turn the number 3 into the string "3".
const AttributeInput = Type.Unknown({ description: 'A string, number, boolean or null.' });

const withheld = `null when the caller lacks the permission ${PERSONAL_DATA_PERMISSION} (see \`redacted\`).`;

export const ContactBody = Type.Object({
  id: Type.String(),
  phone: Nullable(Type.String({ description: `E.164, canonical form (e.g. a Brazilian mobile with its 9th digit); ${withheld}` })),
  waId: Nullable(Type.String({ description: `WhatsApp's id for the person (digits); ${withheld}` })),
  name: Nullable(Type.String({ description: withheld })),
  email: Nullable(Type.String({ description: withheld })),
  language: Nullable(Type.String({ description: 'BCP 47.' })),
  timeZone: Nullable(Type.String({ description: 'IANA time zone; guessed from the number unless set.' })),
  country: Nullable(Type.String({ description: 'ISO 3166-1 alpha-2 of the phone number.' })),
  attributes: Nullable(Type.Record(Type.String(), AttributeValue, { description: `Custom attributes; ${withheld}` })),
  tags: Type.Array(Type.String()),
  mergedInto: Nullable(Type.String({ description: 'Set when this contact was merged into another.' })),
  erasedAt: Nullable(Timestamp()),
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
  redacted: Type.Optional(Type.Array(StringEnum(PERSONAL_FIELDS), {
    description: `Present only when the caller lacks the permission ${PERSONAL_DATA_PERMISSION} (an analyst; a key without the contacts:read scope): the personal fields withheld, each null.`,
  })),
}, { description: `A contact. Its personal fields (${PERSONAL_FIELDS.join(', ')}) are shown only to a caller holding ${PERSONAL_DATA_PERMISSION}; to others they are null and \`redacted\` lists them.` });

/** A contact as the API shows it: with its personal fields, or (`personalData: false`) with them withheld. */
export function presentContact(c: Contact, personalData: boolean) {
  const shown = {
    id: c.id,
    phone: c.phone,
    waId: c.waId,
    name: c.name,
    email: c.email,
    language: c.language,
    timeZone: c.timeZone,
    country: c.country,
    attributes: c.attributes as Contact['attributes'] | null,
    tags: c.tags,
    mergedInto: c.mergedInto,
    erasedAt: iso(c.erasedAt),
    createdAt: iso(c.createdAt)!,
    updatedAt: iso(c.updatedAt)!,
  };
  if (personalData) return shown;
  return { ...shown, phone: null, waId: null, name: null, email: null, attributes: null, redacted: [...PERSONAL_FIELDS] };
}

const fields = {
  phone: Type.String({ description: 'E.164 (+5511987654321), or a national number with `country`.', maxLength: 40 }),
  country: Type.String({ description: 'ISO 3166-1 alpha-2, for a national `phone`.', minLength: 2, maxLength: 2 }),
  name: Type.String({ maxLength: 200 }),
  email: Type.String({ maxLength: 254 }),
  language: Type.String({ description: 'BCP 47 (pt-BR, es, en-US).', maxLength: 35 }),
  timeZone: Type.String({ description: 'IANA time zone (America/Sao_Paulo); guessed from the number when absent.', maxLength: 64 }),
  attributes: Type.Record(Type.String(), AttributeInput, { description: 'Custom attributes: string, number, boolean or null values.' }),
  tags: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50 }),
};

export const ContactCreateBody = Type.Object(
  {
    phone: Type.Optional(fields.phone),
    country: Type.Optional(fields.country),
    waId: Type.Optional(Type.String({ description: "WhatsApp's id (digits). Alone, it also gives the phone number.", maxLength: 20 })),
    name: Type.Optional(fields.name),
    email: Type.Optional(fields.email),
    language: Type.Optional(fields.language),
    timeZone: Type.Optional(fields.timeZone),
    attributes: Type.Optional(fields.attributes),
    tags: Type.Optional(fields.tags),
  },
  { additionalProperties: false, description: 'A contact needs `phone`, `waId` or `email`.' },
);

export const ContactPatchBody = Type.Object(
  {
    phone: Type.Optional(fields.phone),
    country: Type.Optional(fields.country),
    waId: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
    name: Type.Optional(Nullable(fields.name)),
    email: Type.Optional(Nullable(fields.email)),
    language: Type.Optional(Nullable(fields.language)),
    timeZone: Type.Optional(Nullable(fields.timeZone)),
    attributes: Type.Optional(Type.Record(Type.String(), AttributeInput, { description: 'Merged key by key; a null value removes the key.' })),
    tags: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50, description: 'Replaces the list.' })),
  },
  { additionalProperties: false, description: 'Absent fields stay; null clears.' },
);

export const ImportReportBody = Type.Object({
  total: Type.Integer({ description: 'Rows read (blank rows excluded).' }),
  done: Type.Integer(),
  created: Type.Integer(),
  updated: Type.Integer({ description: 'Rows that updated a known contact (or an earlier row of the same person).' }),
  failed: Type.Integer(),
  consentRecords: Type.Integer({ description: 'Consent ledger records appended from consent.<purpose>.<channel> columns.' }),
  errors: Type.Array(Type.Object({ row: Type.Integer({ description: 'CSV: the header is row 1. JSON: 1-based index in `rows`.' }), column: Nullable(Type.String()), message: Type.String() })),
  errorsTruncated: Type.Boolean(),
  attributeColumns: Type.Array(Type.String(), { description: 'Columns imported as custom attributes because they are not a known field.' }),
});
