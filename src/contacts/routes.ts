import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { MultilineText, PageQuery } from '../http/schemas.js';
import { requirePermission } from '../access/authorize.js';
import { createContact } from './create-contact.js';
import { getContact } from './contact.js';
import { checkEmail, checkPhone, prepareContact } from './contact-input.js';
import { ContactBody, ContactCreateBody, ContactPatchBody, ImportReportBody, presentContact } from './contact-schemas.js';
import { parseCsv } from './csv.js';
import { importContacts, recordsFromObjects, type ImportConsentLedger } from './import-contacts.js';
import { mergeContacts } from './merge-contacts.js';
import { searchContacts } from './search-contacts.js';
import { SEARCH_QUERY_MAX } from '../search/terms.js';
import { updateContact } from './update-contact.js';
import { PERSONAL_DATA_PERMISSION, readsPersonalData } from './personal-data.js';
import { auditDiff } from '../access/audit-port.js';
import type { Contact } from './contact.js';

/** A contact's fields as its audit diffs compare them; the personal ones appear only as references. */
const PERSONAL_FIELDS = ['phone', 'waId', 'name', 'email', 'attributes', 'tags'];
const audited = (c: Contact): Record<string, unknown> => {
  const { createdAt: _created, updatedAt: _updated, id: _id, ...fields } = presentContact(c, true);
  return fields;
};
/** A page of contacts read: one entry naming them, not one per contact. */
export const shownContacts = (ids: readonly string[]) => ({ resource: { type: 'contact', id: null }, diff: { shown: { to: { count: ids.length, ids } } } });

const invalid = (problem: { field: string; message: string }) =>
  new ParleyError('CONTACT_FIELD_INVALID', { message: `Invalid ${problem.field}: ${problem.message}`, field: `/${problem.field}` });

// Contacts (M2): create, read, update, search with cursor pagination, merge, bulk import.
/** The contacts routes; the import records consent columns in `deps.consentLedger` (the consent module's, wired at the root). */
export const contactRoutes = (deps: { consentLedger: ImportConsentLedger }) => async (app: ParleyApp, ctx: ParleyContext) => {
  const security = [{ apiKey: [] }];
  const tags = ['contacts'];
  const IdParams = Type.Object({ id: Type.String() });

  app.post('/v1/contacts', {
    config: { permission: 'contacts.write', audit: 'contact.created' },
    schema: {
      tags, summary: 'Create a contact. The phone number is normalized to E.164; every equivalent form of it is the same contact.', security, body: ContactCreateBody, response: { 201: ContactBody },
      description: `The answer shows the personal fields only to a caller holding ${PERSONAL_DATA_PERMISSION} (a key with contacts:write alone gets them null, \`redacted\` listing them).`,
    },
  }, async (request, reply) => {
    const prepared = prepareContact(request.body);
    if (!prepared.ok) throw invalid(prepared.problem);
    const contact = await createContact(ctx.db, ctx.keyring, request.principal!.workspaceId, prepared.value, ctx.clock.now());
    const resource = { type: 'contact', id: contact.id };
    request.audit({ resource, diff: auditDiff(resource, undefined, audited(contact), PERSONAL_FIELDS) });
    return reply.status(201).send(presentContact(contact, readsPersonalData(request.principal!)));
  });

  app.get('/v1/contacts', {
    config: { permission: 'contacts.read', audit: 'contact.read_pii' },
    schema: {
      tags, summary: 'List or search contacts, oldest first, a page at a time.', security,
      description: `Without the permission ${PERSONAL_DATA_PERMISSION} (an analyst), each contact's personal fields are null (\`redacted\` lists them) and searching by \`phone\`, \`email\`, \`name\` or \`attribute\` is refused (403 PERMISSION_MISSING): a search by a personal value would tell whether it is a contact's.`,
      querystring: Type.Composite([PageQuery, Type.Object({
        phone: Type.Optional(Type.String({ description: 'Any form of the number (equivalent forms match); national with `country`.' })),
        country: Type.Optional(Type.String({ minLength: 2, maxLength: 2 })),
        email: Type.Optional(Type.String()),
        tag: Type.Optional(Type.String()),
        name: Type.Optional(Type.String({ maxLength: SEARCH_QUERY_MAX, description: 'Contacts whose name has every word as a word or the start of one ("ana mar" finds "Anabel Martínez"); case and accents do not matter, words shorter than two characters are ignored. A changed name is found a few seconds later (the search indexer).' })),
        attribute: Type.Optional(Type.String({ description: '`key=value`: contacts whose attribute `key` is `value` (compared as text).', pattern: '^[A-Za-z0-9_.-]{1,64}=' })),
        includeMerged: Type.Optional(Type.Boolean({ default: false })),
        includeErased: Type.Optional(Type.Boolean({ default: false })),
      })], { additionalProperties: false }),
      response: { 200: Type.Object({ data: Type.Array(ContactBody), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (request) => {
    const q = request.query;
    const principal = request.principal!;
    if (q.phone !== undefined || q.email !== undefined || q.name !== undefined || q.attribute !== undefined) requirePermission(principal, PERSONAL_DATA_PERMISSION);
    let phone: string | undefined;
    if (q.phone) {
      const checked = checkPhone(q.phone, q.country);
      if (!checked.ok) throw invalid(checked.problem);
      phone = checked.value.e164;
    }
    if (q.email && !checkEmail(q.email).ok) throw invalid({ field: 'email', message: `"${q.email}" is not an e-mail address.` });
    const attribute = q.attribute ? { key: q.attribute.slice(0, q.attribute.indexOf('=')), value: q.attribute.slice(q.attribute.indexOf('=') + 1) } : undefined;
    const page = await searchContacts(ctx.db, ctx.keyring, principal.workspaceId, {
      phone, email: q.email, tag: q.tag, attribute, name: q.name?.trim() || undefined, includeMerged: q.includeMerged, includeErased: q.includeErased, limit: q.limit ?? 50, cursor: q.cursor,
    });
    const personalData = readsPersonalData(principal);
    // Personal data shown is a read to record; a page without it (an analyst's) is not.
    request.audit(personalData ? shownContacts(page.data.map((c) => c.id)) : false);
    return { data: page.data.map((c) => presentContact(c, personalData)), nextCursor: page.nextCursor };
  });

  app.get('/v1/contacts/:id', {
    config: { permission: 'contacts.read', audit: 'contact.read_pii' },
    schema: {
      tags, summary: 'Read a contact (personal fields decrypted). A merged contact shows `mergedInto`.', security, params: IdParams, response: { 200: ContactBody },
      description: `Without the permission ${PERSONAL_DATA_PERMISSION} (an analyst), the personal fields are null and \`redacted\` lists them.`,
    },
  }, async (request) => {
    const contact = await getContact(ctx.db, ctx.keyring, request.principal!.workspaceId, request.params.id);
    if (!contact) throw new ParleyError('CONTACT_NOT_FOUND');
    const personalData = readsPersonalData(request.principal!);
    // Without personal data shown (an analyst's read) there is nothing to record.
    if (!personalData) request.audit(false);
    return presentContact(contact, personalData);
  });

  app.patch('/v1/contacts/:id', {
    config: { permission: 'contacts.write', audit: 'contact.updated' },
    schema: {
      tags, summary: 'Change a contact: absent fields stay, null clears, attributes merge, tags replace.', security, params: IdParams, body: ContactPatchBody, response: { 200: ContactBody },
      description: `The answer shows the personal fields only to a caller holding ${PERSONAL_DATA_PERMISSION}.`,
    },
  }, async (request) => {
    const workspaceId = request.principal!.workspaceId;
    const before = await getContact(ctx.db, ctx.keyring, workspaceId, request.params.id);
    const after = await updateContact(ctx.db, ctx.keyring, workspaceId, request.params.id, request.body, ctx.clock.now());
    const resource = { type: 'contact', id: after.id };
    request.audit({ resource, diff: auditDiff(resource, before && audited(before), audited(after), PERSONAL_FIELDS) });
    return presentContact(after, readsPersonalData(request.principal!));
  });

  app.post('/v1/contacts/:id/merge', {
    config: { permission: 'contacts.write', audit: 'contact.merged' },
    schema: {
      tags, summary: 'Merge another contact (the same person) into this one. Both histories are kept; the merge is recorded.', security, params: IdParams,
      body: Type.Object({ contactId: Type.String({ description: 'The contact to fold into this one.' }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ mergeId: Type.String(), survivor: ContactBody, mergedId: Type.String(), moved: Type.Object({ messages: Type.Integer(), serviceWindows: Type.Integer(), members: Type.Integer() }) }) },
    },
  }, async (request) => {
    const outcome = await mergeContacts(ctx.db, ctx.keyring, request.principal!.workspaceId, { survivorId: request.params.id, mergedId: request.body.contactId, actor: request.principal!.actor }, ctx.clock.now());
    request.audit({ diff: { mergedId: { to: outcome.mergedId }, mergeId: { to: outcome.mergeId }, moved: { to: outcome.moved } } });
    return { ...outcome, survivor: presentContact(outcome.survivor, readsPersonalData(request.principal!)) };
  });

  // CSV bodies arrive as text; the parser is scoped to this route module.
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string', bodyLimit: ctx.config.contactImportBodyLimit }, (_request, body, done) => done(null, body));

  app.post('/v1/contacts/import', {
    config: { permission: 'contacts.import', audit: 'contact.imported' },
    bodyLimit: ctx.config.contactImportBodyLimit,
    schema: {
      tags, security,
      summary: 'Import contacts from CSV (text/csv; header row first) or JSON ({"rows": [{...}]}). Bad rows are reported and skipped; good rows are imported.',
      description: 'Columns: phone, country, wa_id, name, email, language, time_zone, tags (| separated), consent.<purpose>.<channel> (granted/withdrawn; needs the consent:write scope), consent_at, consent_wording, attr.<key>; other columns become attributes. Known phone numbers (in any equivalent form) are updated. For files larger than the body limit use `parley contacts import`.',
      querystring: Type.Object({ defaultCountry: Type.Optional(Type.String({ minLength: 2, maxLength: 2, description: 'Country of national numbers (e.g. BR).' })) }),
      body: {
        content: {
          'text/csv': { schema: MultilineText({ description: 'CSV text: a header row, then one contact per row.' }) },
          'application/json': {
            schema: Type.Object({
              rows: Type.Array(Type.Record(Type.String(), Type.Unknown()), { minItems: 1, maxItems: 100_000, description: 'Objects keyed by column name.' }),
              defaultCountry: Type.Optional(Type.String({ minLength: 2, maxLength: 2 })),
            }, { additionalProperties: false }),
          },
        },
      } as never,
      response: { 200: ImportReportBody },
    },
  }, async (request) => {
    const principal = request.principal!;
    const body = request.body as unknown;
    const json = typeof body === 'object' && body !== null ? (body as { rows: Array<Record<string, unknown>>; defaultCountry?: string }) : undefined;
    const records = json ? recordsFromObjects(json.rows) : parseCsv(String(body ?? ''));
    const defaultCountry = json?.defaultCountry ?? (request.query as { defaultCountry?: string }).defaultCountry;
    const report = await importContacts(ctx.db, ctx.keyring, principal.workspaceId, records, {
      defaultCountry,
      consentLedger: deps.consentLedger,
      actor: principal.actor,
      now: () => ctx.clock.now(),
      onPlan: (plan) => {
        // Consent columns record consent: that takes the permission to record it as well.
        if (plan.columns.some((c) => c.target.kind === 'consent')) requirePermission(principal, 'consent.write');
      },
    });
    // One entry for the import: how many rows it created, updated and refused (their values stay out).
    request.audit({ resource: { type: 'contact', id: null }, diff: { imported: { to: { total: report.total, created: report.created, updated: report.updated, failed: report.failed, consentRecords: report.consentRecords } } } });
    return report;
  });
};
