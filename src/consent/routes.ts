import type { RequestAuditDetails } from '../http/audit.js';
import { auditDiff } from '../access/audit-port.js';
import { Type, type Static } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { MultilineText, Nullable, StringEnum, Timestamp, iso } from '../http/schemas.js';
import { resolveContact, type ResolvedContact } from '../contacts/contact-queries.js';
import { CONSENT_POLICIES, loadConsentSettings, updateConsentSettings } from './consent-settings.js';
import { deriveConsent } from './derive-consent.js';
import { CONSENT_REFUSALS, evaluateConsent } from './evaluate-consent.js';
import { appendConsentRecords, listConsentRecords, loadConsentProofs, type NewConsentRecord } from './ledger-queries.js';
import { ACTOR_TYPES, CHANNELS, CONSENT_SOURCES, CONSENT_STATUSES, PURPOSES, type Actor, type ConsentProof, type ConsentRecord } from './types.js';
import type { Principal } from '../access/principal.js';
import { PERSONAL_DATA_PERMISSION, readsPersonalData } from '../contacts/personal-data.js';

const MINUTE_SKEW = 5 * 60_000;

const ProofBody = Type.Object({
  formId: Type.Optional(Type.String({ maxLength: 200 })),
  ip: Type.Optional(Type.String({ maxLength: 64 })),
  userAgent: Type.Optional(Type.String({ maxLength: 1000 })),
  receiptNumber: Type.Optional(Type.String({ maxLength: 200 })),
  messageId: Type.Optional(Type.String({ maxLength: 200 })),
  keyword: Type.Optional(Type.String({ maxLength: 200 })),
  signal: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false, description: 'Evidence: stored encrypted, destroyed by erasure.' });

const ActorBody = Type.Object({ type: StringEnum(ACTOR_TYPES), id: Type.String(), via: Type.Optional(Type.String()) });

const ConsentInputFields = {
  purpose: StringEnum(PURPOSES),
  channel: StringEnum(CHANNELS),
  status: StringEnum(CONSENT_STATUSES),
  source: Type.Optional(StringEnum(CONSENT_SOURCES, { default: 'api', description: 'Where the customer gave or withdrew it.' })),
  effectiveAt: Type.Optional(Timestamp({ description: 'When the customer gave or withdrew it (default: now). Never in the future.' })),
  wording: Type.Optional(MultilineText({ maxLength: 5000, description: 'The text the customer saw and agreed to (or the withdrawal wording).' })),
  proof: Type.Optional(ProofBody),
  actor: Type.Optional(Type.Object({ type: StringEnum(['user', 'customer'] as const), id: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false, description: 'Who recorded it, when not the API key itself (a user of the business, or the customer).' })),
  idempotencyKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Recording again with the same key returns the first record.' })),
};
const ConsentInput = Type.Object(ConsentInputFields, { additionalProperties: false });
type ConsentInputT = Static<typeof ConsentInput>;

const RecordBody = Type.Object({
  id: Type.String(),
  contactId: Type.String(),
  purpose: Type.String(),
  channel: Type.String(),
  status: Type.String(),
  source: Type.String(),
  effectiveAt: Timestamp(),
  recordedAt: Timestamp(),
  wording: Nullable(Type.String()),
  actor: ActorBody,
  proof: Type.Optional(Nullable(ProofBody)),
});

/**
 * The audit entry of new consent records: one record by its id and what it says (the wording and any
 * proof stay out), several as a list of ids.
 */
function consentAudit(records: readonly ConsentRecord[]): RequestAuditDetails {
  if (records.length === 1) {
    const r = records[0];
    const resource = { type: 'consent_record', id: r.id };
    return { resource, diff: auditDiff(resource, undefined, { contactId: r.contactId, purpose: r.purpose, channel: r.channel, status: r.status, source: r.source }) };
  }
  return { resource: { type: 'consent_record', id: null }, diff: { recorded: { to: { count: records.length, ids: records.map((r) => r.id) } } } };
}

const presentRecord = (r: ConsentRecord, proof?: ConsentProof | null) => ({
  id: r.id, contactId: r.contactId, purpose: r.purpose, channel: r.channel, status: r.status, source: r.source,
  effectiveAt: iso(r.effectiveAt)!, recordedAt: iso(r.recordedAt)!, wording: r.wording, actor: r.actor,
  ...(proof !== undefined ? { proof } : {}),
});

const PolicyBody = Type.Object({
  utility: StringEnum(CONSENT_POLICIES, { description: '`implicit`: allowed unless withdrawn; `opt_in`: needs a grant.' }),
  authentication: StringEnum(CONSENT_POLICIES),
  optOutChannels: Type.Array(StringEnum(CHANNELS), { uniqueItems: true, description: 'Channels a keyword/button opt-out or a WhatsApp signal applies to.' }),
  optOutPurposes: Type.Array(StringEnum(PURPOSES), { uniqueItems: true, description: 'Purposes a keyword/button opt-out withdraws and an opt-in grants.' }),
  optOutPayloads: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 50, description: 'Button payloads that mean opt-out.' }),
  optInPayloads: Type.Array(Type.String({ minLength: 1, maxLength: 256 }), { maxItems: 50, description: 'Button payloads that mean opt-in.' }),
  confirmations: Type.Boolean({ description: 'Confirm keyword/button opt-outs and opt-ins to the customer.' }),
});

/** Who records consent: the one the request names (a user or the customer), through the caller, or the caller itself. */
function actorOf(principal: Principal, given?: { type: 'user' | 'customer'; id: string }): Actor {
  return given ? { type: given.type, id: given.id, via: principal.actor.id } : principal.actor;
}

function toNewRecord(contactId: string, input: ConsentInputT, actor: Actor, now: number, field = ''): NewConsentRecord {
  let effectiveAt: number | undefined;
  if (input.effectiveAt !== undefined) {
    effectiveAt = Date.parse(input.effectiveAt);
    if (!Number.isFinite(effectiveAt)) throw new ParleyError('REQUEST_INVALID', { message: `Invalid ${field}/effectiveAt: not a date-time.`, field: `${field}/effectiveAt` });
    if (effectiveAt > now + MINUTE_SKEW) throw new ParleyError('CONSENT_EFFECTIVE_AT_INVALID', { field: `${field}/effectiveAt` });
  }
  return {
    contactId, purpose: input.purpose, channel: input.channel, status: input.status, source: input.source ?? 'api', effectiveAt,
    wording: input.wording ?? null, proof: input.proof ?? null, actor, dedupKey: input.idempotencyKey ? `api:${input.idempotencyKey}` : null,
  };
}

async function liveContact(ctx: ParleyContext, workspaceId: string, id: string): Promise<ResolvedContact> {
  const contact = await resolveContact(ctx.db, workspaceId, id);
  if (!contact) throw new ParleyError('CONTACT_NOT_FOUND');
  if (contact.erasedAt !== null) throw new ParleyError('CONTACT_ERASED');
  return contact;
}

// The consent ledger (M2): record (one or a batch), current consent, full history, workspace policy.
export async function consentRoutes(app: ParleyApp, ctx: ParleyContext) {
  const security = [{ apiKey: [] }];
  const tags = ['consent'];
  const IdParams = Type.Object({ id: Type.String() });

  app.post('/v1/contacts/:id/consent', {
    config: { permission: 'consent.write', audit: 'consent.recorded' },
    schema: {
      tags, security, params: IdParams, body: ConsentInput,
      summary: 'Record that a contact granted or withdrew one purpose on one channel. The ledger is append-only: a change of mind is a new record.',
      response: { 201: Type.Object({ created: Type.Boolean(), record: RecordBody }), 200: Type.Object({ created: Type.Boolean(), record: RecordBody }) },
    },
  }, async (request, reply) => {
    const principal = request.principal!;
    const contact = await liveContact(ctx, principal.workspaceId, request.params.id);
    const now = ctx.clock.now();
    const [result] = await appendConsentRecords(ctx.db, ctx.keyring, principal.workspaceId, [toNewRecord(contact.id, request.body, actorOf(principal, request.body.actor), now)], now);
    // Recording again with the same idempotency key changes nothing: nothing to record.
    request.audit(result.created ? consentAudit([result.record]) : false);
    return reply.status(result.created ? 201 : 200).send({ created: result.created, record: presentRecord(result.record) });
  });

  app.post('/v1/consent/records', {
    config: { permission: 'consent.write', audit: 'consent.recorded' },
    schema: {
      tags, security,
      summary: 'Record many consent changes at once. Each item succeeds or fails on its own; the successful ones are written together.',
      body: Type.Object({ records: Type.Array(Type.Object({ contactId: Type.String(), ...ConsentInputFields }, { additionalProperties: false }), { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          recorded: Type.Integer(),
          failed: Type.Integer(),
          results: Type.Array(Type.Object({
            index: Type.Integer(), ok: Type.Boolean(), created: Type.Optional(Type.Boolean()), record: Type.Optional(RecordBody),
            error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String(), field: Type.Optional(Type.String()) })),
          })),
        }),
      },
    },
  }, async (request) => {
    const principal = request.principal!;
    const now = ctx.clock.now();
    type ItemResult = { index: number; ok: boolean; created?: boolean; record?: ReturnType<typeof presentRecord>; error?: { code: string; message: string; field?: string } };
    const results: ItemResult[] = [];
    const valid: Array<{ index: number; record: NewConsentRecord }> = [];
    const contacts = new Map<string, ResolvedContact | ParleyError>();
    for (const [index, item] of request.body.records.entries()) {
      try {
        if (!contacts.has(item.contactId)) contacts.set(item.contactId, await liveContact(ctx, principal.workspaceId, item.contactId).catch((e: unknown) => (e instanceof ParleyError ? e : Promise.reject(e))));
        const contact = contacts.get(item.contactId)!;
        if (contact instanceof ParleyError) throw new ParleyError(contact.code, { message: `${contact.message} (${item.contactId})`, field: `/records/${index}/contactId` });
        valid.push({ index, record: toNewRecord(contact.id, item, actorOf(principal, item.actor), now, `/records/${index}`) });
      } catch (error) {
        if (!(error instanceof ParleyError)) throw error;
        results[index] = { index, ok: false, error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } };
      }
    }
    const appended = await appendConsentRecords(ctx.db, ctx.keyring, principal.workspaceId, valid.map((v) => v.record), now);
    for (const [i, { index }] of valid.entries()) results[index] = { index, ok: true, created: appended[i].created, record: presentRecord(appended[i].record) };
    const created = appended.filter((a) => a.created).map((a) => a.record);
    request.audit(created.length ? consentAudit(created) : false);
    return { recorded: appended.filter((a) => a.created).length, failed: results.filter((r) => !r.ok).length, results };
  });

  app.get('/v1/contacts/:id/consent', {
    config: { permission: 'consent.read' },
    schema: {
      tags, security, params: IdParams,
      summary: 'Current consent of a contact, derived from the ledger, per purpose and channel, with whether a message would pass the consent gate now.',
      response: {
        200: Type.Object({
          contactId: Type.String({ description: 'The surviving contact, if the id given was merged.' }),
          consent: Type.Array(Type.Object({
            purpose: Type.String(), channel: Type.String(),
            status: StringEnum(['granted', 'withdrawn', 'none'] as const),
            since: Nullable(Timestamp()), source: Nullable(Type.String()), recordId: Nullable(Type.String()),
            allowed: Type.Boolean({ description: 'Whether the consent gate would let a message of this purpose through on this channel now.' }),
            explanation: Type.String(),
            refusalCode: Type.Optional(StringEnum(Object.values(CONSENT_REFUSALS), { description: 'The consent gate’s refusal code when not allowed: the `decisions[].code` a message would be refused with.' })),
          })),
        }),
      },
    },
  }, async (request) => {
    const workspaceId = request.principal!.workspaceId;
    const contact = await resolveContact(ctx.db, workspaceId, request.params.id);
    if (!contact) throw new ParleyError('CONTACT_NOT_FOUND');
    const now = ctx.clock.now();
    const [records, settings] = await Promise.all([listConsentRecords(ctx.db, workspaceId, contact.memberIds), loadConsentSettings(ctx.db, workspaceId)]);
    const current = deriveConsent(records, now);
    const consent = PURPOSES.flatMap((purpose) =>
      CHANNELS.map((channel) => {
        const state = current[purpose][channel];
        const verdict = contact.erasedAt !== null
          ? ({ allowed: false, code: CONSENT_REFUSALS.contactErased, reason: 'The contact was erased on request.' } as const)
          : evaluateConsent(purpose, channel, current, settings);
        return {
          purpose, channel, status: state?.status ?? ('none' as const), since: iso(state?.since), source: state?.source ?? null, recordId: state?.recordId ?? null,
          allowed: verdict.allowed, explanation: verdict.allowed ? verdict.basis : verdict.reason, ...(verdict.allowed ? {} : { refusalCode: verdict.code }),
        };
      }),
    );
    return { contactId: contact.id, consent };
  });

  app.get('/v1/contacts/:id/consent/history', {
    config: { permission: 'consent.read', audit: 'contact.read_consent_proof' },
    schema: {
      tags, security, params: IdParams,
      summary: 'The full consent ledger of a contact (and of contacts merged into it), oldest effective first, with proof.',
      description: `The proof (addresses, user agents, receipts: personal data) is shown only to a caller holding ${PERSONAL_DATA_PERMISSION}; to others it is null.`,
      response: { 200: Type.Object({ contactId: Type.String(), records: Type.Array(RecordBody) }) },
    },
  }, async (request) => {
    const workspaceId = request.principal!.workspaceId;
    const contact = await resolveContact(ctx.db, workspaceId, request.params.id);
    if (!contact) throw new ParleyError('CONTACT_NOT_FOUND');
    const records = await listConsentRecords(ctx.db, workspaceId, contact.memberIds);
    // Evidence is personal data: opened only for whoever may see it, and then the read is recorded,
    // naming the records shown.
    const withProof = readsPersonalData(request.principal!);
    const proofs = withProof ? await loadConsentProofs(ctx.db, ctx.keyring, workspaceId, records.map((r) => r.id)) : new Map<string, ConsentProof>();
    request.audit(withProof ? { id: contact.id, diff: { shown: { to: { count: records.length, ids: records.map((r) => r.id) } } } } : false);
    return { contactId: contact.id, records: records.map((r) => presentRecord(r, proofs.get(r.id) ?? null)) };
  });

  app.get('/v1/consent/policy', {
    config: { permission: 'consent.read' },
    schema: { tags, security, summary: "The workspace's consent policy (utility and authentication without a record, opt-out channels, purposes and payloads).", response: { 200: PolicyBody } },
  }, async (request) => loadConsentSettings(ctx.db, request.principal!.workspaceId));

  app.patch('/v1/consent/policy', {
    config: { permission: 'consent.policy', audit: 'consent_policy.updated' },
    schema: { tags, security, summary: "Change the workspace's consent policy; absent fields stay.", body: Type.Partial(PolicyBody, { additionalProperties: false }), response: { 200: PolicyBody } },
  }, async (request) => {
    const before = await loadConsentSettings(ctx.db, request.principal!.workspaceId);
    const updated = await updateConsentSettings(ctx.db, request.principal!.workspaceId, request.body);
    if (!updated) throw new ParleyError('WORKSPACE_NOT_FOUND');
    const resource = { type: 'consent_policy', id: null };
    request.audit({ resource, diff: auditDiff(resource, { ...before }, { ...updated }) });
    return updated;
  });
}
