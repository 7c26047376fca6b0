import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { Timestamp, iso } from '../http/schemas.js';
import { resolveContact } from '../contacts/contact-queries.js';
import { getContact, type Contact } from '../contacts/contact.js';
import { loadConsentSettings } from '../consent/consent-settings.js';
import { deriveConsent } from '../consent/derive-consent.js';
import { appendConsentRecords, listConsentRecords } from '../consent/ledger-queries.js';
import { getWorkspace } from '../workspaces/workspace-queries.js';
import { SECOND } from '../shared/time.js';
import { DEFAULT_LINK_TTL, MAX_LINK_TTL, preferenceLink } from './preference-link.js';
import { PREFERENCE_KEY_PURPOSE, verifyPreferenceToken, type PreferenceClaims } from './preference-token.js';
import { changedChoices, displayedChoices } from './preference-choices.js';
import { choiceWording, renderErrorPage, renderPreferencePage, type ErrorKind } from './preference-page.js';
import { pageLanguage } from './page-texts.js';

export const PREFERENCE_FORM_ID = 'parley-preference-centre-v1';

// The token in the URL is a bearer capability: no caching, no Referer, no framing, no scripts.
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

const ERROR_STATUS: Record<'malformed' | 'tampered' | 'expired', { status: number; kind: ErrorKind }> = {
  malformed: { status: 400, kind: 'invalid' },
  tampered: { status: 403, kind: 'invalid' },
  expired: { status: 410, kind: 'expired' },
};

/** `•••• 4321` for a phone, `a•••@example.com` for an e-mail: enough to recognise, not to learn. */
function maskedIdentity(contact: Contact): string | null {
  if (contact.phone) return `•••• ${contact.phone.slice(-4)}`;
  if (contact.email) return contact.email.replace(/^(.).*@/, '$1•••@');
  return null;
}

/** The base URL links are built on: the configured public URL, else the host the request came to. */
export function baseUrlOf(ctx: ParleyContext, request: { protocol: string; host: string }): string {
  return ctx.config.publicUrl ?? `${request.protocol}://${request.host}`;
}

// The hosted preference centre (M2): a signed, expiring link per contact; every change is a ledger record.
export async function preferenceRoutes(app: ParleyApp, ctx: ParleyContext) {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  const page = (reply: FastifyReply, status: number, html: string) => reply.status(status).headers(PAGE_HEADERS).send(html);

  /** Verifies the link and loads what the page needs, or answers with the error page. */
  async function open(token: string, acceptLanguage: string | undefined, reply: FastifyReply) {
    const checked = verifyPreferenceToken(ctx.keyring.systemKey(PREFERENCE_KEY_PURPOSE), token, ctx.clock.now());
    const fallbackLang = pageLanguage(null, acceptLanguage);
    if (!checked.ok) {
      const { status, kind } = ERROR_STATUS[checked.reason];
      await page(reply, status, renderErrorPage(fallbackLang, kind));
      return undefined;
    }
    const claims: PreferenceClaims = checked.claims;
    const resolved = await resolveContact(ctx.db, claims.workspaceId, claims.contactId);
    if (!resolved || resolved.erasedAt !== null) {
      await page(reply, resolved ? 410 : 404, renderErrorPage(fallbackLang, 'gone'));
      return undefined;
    }
    const [contact, workspace, settings, records] = await Promise.all([
      getContact(ctx.db, ctx.keyring, claims.workspaceId, resolved.id),
      getWorkspace(ctx.db, claims.workspaceId),
      loadConsentSettings(ctx.db, claims.workspaceId),
      listConsentRecords(ctx.db, claims.workspaceId, resolved.memberIds),
    ]);
    const displayed = displayedChoices(deriveConsent(records, ctx.clock.now()), settings);
    return { claims, contact: contact!, businessName: workspace?.name ?? '', displayed, lang: pageLanguage(contact!.language, acceptLanguage) };
  }

  const TokenParams = Type.Object({ token: Type.String({ maxLength: 200 }) });

  app.get('/preferences/:token', {
    config: { public: true },
    schema: { tags: ['preferences'], summary: 'The preference centre page for the contact the signed link names (HTML).', params: TokenParams, querystring: Type.Object({ saved: Type.Optional(Type.String()) }) },
  }, async (request, reply) => {
    const opened = await open(request.params.token, request.headers['accept-language'], reply);
    if (!opened) return reply;
    const notice = request.query.saved === undefined ? undefined : request.query.saved === '0' ? 'unchanged' : 'saved';
    return page(reply, 200, renderPreferencePage({ lang: opened.lang, businessName: opened.businessName, who: maskedIdentity(opened.contact), choices: opened.displayed, notice, action: request.params.token }));
  });

  app.post('/preferences/:token', {
    config: { public: true },
    schema: { tags: ['preferences'], summary: 'Saves the choices of the preference centre form; each change is a consent record with source `web`.', params: TokenParams },
  }, async (request, reply) => {
    const opened = await open(request.params.token, request.headers['accept-language'], reply);
    if (!opened) return reply;
    const form = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
    const changes = changedChoices(opened.displayed, form);
    const now = ctx.clock.now();
    const userAgent = request.headers['user-agent'];
    await appendConsentRecords(ctx.db, ctx.keyring, opened.claims.workspaceId, changes.map((change) => ({
      contactId: opened.contact.id,
      purpose: change.purpose,
      channel: change.channel,
      status: change.granted ? 'granted' : 'withdrawn',
      source: 'web',
      effectiveAt: now,
      wording: choiceWording(opened.lang, change.purpose, change.channel, change.granted),
      proof: { formId: PREFERENCE_FORM_ID, ip: request.ip, ...(userAgent ? { userAgent } : {}) },
      actor: { type: 'customer', id: opened.contact.id },
    })), now);
    // Post/redirect/get: a reload does not resubmit, and the page shows what is now in force. The
    // location is relative (like the form's action), so the page also works behind a path prefix.
    return reply.status(303).header('location', `${request.params.token}?saved=${changes.length > 0 ? 1 : 0}`).header('cache-control', 'no-store').send();
  });

  app.post('/v1/contacts/:id/preference-link', {
    config: { permission: 'consent.write', audit: 'contact.preference_link_created' },
    schema: {
      tags: ['preferences'], security: [{ apiKey: [] }],
      summary: 'Create a signed, expiring link to the preference centre for a contact (send it in a message).',
      params: Type.Object({ id: Type.String() }),
      // The body is optional: a POST without one gets the default lifetime.
      body: Type.Union([Type.Object({ ttlSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: MAX_LINK_TTL / SECOND, description: `How long the link works (default ${DEFAULT_LINK_TTL / SECOND}).` })) }, { additionalProperties: false }), Type.Null()]),
      response: { 201: Type.Object({ url: Type.String(), expiresAt: Timestamp() }) },
    },
  }, async (request, reply) => {
    const workspaceId = request.principal!.workspaceId;
    const contact = await resolveContact(ctx.db, workspaceId, request.params.id);
    if (!contact) throw new ParleyError('CONTACT_NOT_FOUND');
    if (contact.erasedAt !== null) throw new ParleyError('CONTACT_ERASED');
    const ttl = (request.body?.ttlSeconds ?? DEFAULT_LINK_TTL / SECOND) * SECOND;
    const link = preferenceLink(ctx.keyring, baseUrlOf(ctx, request), { workspaceId, contactId: contact.id }, ctx.clock.now(), ttl);
    // The link itself is a bearer secret: only its expiry is recorded.
    request.audit({ id: contact.id, diff: { expiresAt: { to: iso(link.expiresAt) } } });
    return reply.status(201).send({ url: link.url, expiresAt: iso(link.expiresAt)! });
  });
}
