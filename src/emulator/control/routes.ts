import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { setTemplateQuality, setTemplateStatus } from '../cloud/templates/operations.js';
import { BehaviourInput, FaultsInput, NumberLimitsInput, PersonaInput } from '../config/schema.js';
import { mergeBehaviour, mergeFaults } from '../config/resolve.js';
import { DEFAULT_PERSONA } from '../config/defaults.js';
import type { EmulatorCore } from '../core.js';
import { customerSends, InboundInputError, type InboundType } from '../customers/inbound-cloud.js';
import { customerSendsUltraMsg } from '../customers/inbound-ultramsg.js';
import { customerChat, customerReads, customerUltraMsgChat, listCustomers } from '../customers/phone-view.js';
import { isSending, queueFor } from '../ultramsg/queue.js';
import { INSTANCE_STATES, setInstanceState } from '../ultramsg/instance-state.js';
import { emulatorInfo } from '../info.js';
import { toWaId } from '../shared/phone.js';
import type { RingBuffer } from '../shared/ring-buffer.js';
import type { QualityScore, TemplateStatus, UltraMsgInstanceState } from '../types.js';

/**
 * The control API under `/_emulator/` (no bearer token: it is a local test tool, bound like the rest of the
 * emulator). Tests, demos and benchmarks use it to act as customers, read what the emulator received and
 * sent, inject faults and change limits at runtime. Errors are `{ "error": "<what to fix>" }` with HTTP 400/404.
 *
 * GET  /_emulator/info                          connection facts (same object as `--json`)
 * GET  /_emulator/stats                         counters, incl. duplicateSends (correlation key reused by an accepted send)
 * GET  /_emulator/received?surface=&target=&after=&limit=   requests received on send endpoints, with bodies;
 *                                               the oldest `limit` after the cursor `after`, and `nextCursor`
 * GET  /_emulator/webhooks?surface=&state=&after=&limit=    webhook deliveries (payload, attempts, state), paged alike
 * GET  /_emulator/duplicates                    the duplicate sends detected
 * GET  /_emulator/messages/:id                  an outbound Cloud message and its statuses
 * POST /_emulator/webhooks/flush                post what is batched, wait until delivered ({timeoutMs?})
 * PUT  /_emulator/webhook-urls                  {cloud?, ultramsg?}
 * POST /_emulator/customers/:phone/messages     a customer writes (Cloud): {type, <type>: {...}, phoneNumberId?, name?, contextId?, mediaBase64?, mimeType?}
 * POST /_emulator/ultramsg/:instanceId/inbound  a customer writes (UltraMsg): {from, body?, type?, name?, media?, mediaBase64?, mimeType?, quotedMsgId?, mentions?}
 * PUT  /_emulator/ultramsg/:instanceId/state    {state: authenticated | disconnected | standby | qr | loading} (or {connected}):
 *                                               only an authenticated instance sends; the others queue sends until it is
 *                                               authenticated again (setting authenticated is the emulator's QR scan)
 * GET  /_emulator/customers                     the configured customers and those the control API created
 * GET  /_emulator/customers/:phone              the customer's flags
 * GET  /_emulator/customers/:phone/chat?phoneNumberId=   the customer's chat with a number, oldest first (the emulator's phone)
 * GET  /_emulator/customers/:phone/chat?instanceId=      the customer's chat with an UltraMsg instance, in the same shape
 * POST /_emulator/customers/:phone/read         {phoneNumberId}: the customer reads the chat (read statuses for delivered messages)
 * PUT  /_emulator/customers/:phone              {name?, undeliverable?, blocked?, optedOutOfMarketing?, persona?}
 * POST /_emulator/customers/:phone/actions      {action: block | unblock | stop_marketing | resume_marketing}
 * PUT  /_emulator/personas/:name                define or change a persona
 * GET|PUT /_emulator/faults                     fault injection (PUT merges)
 * GET|PUT /_emulator/behaviour                  latencies, probabilities, batching, retries, windowErrors (PUT merges)
 * GET|PUT /_emulator/numbers/:phoneNumberId/limits   per-number limits (PUT merges)
 * POST /_emulator/templates/status              {name, language?, status?, reason?, quality?}: review verdicts, pause, disable
 * POST /_emulator/clock/advance                 {ms}: move emulator time forward (windows, tiers, caps)
 * POST /_emulator/reset                         back to the state at start
 */
export function registerControlRoutes(app: FastifyInstance, core: EmulatorCore): void {
  const P = '/_emulator';
  const bad = (reply: FastifyReply, message: string, status = 400) => reply.status(status).send({ error: message });
  const check = (schema: TSchema, value: unknown): string | undefined => {
    if (Value.Check(schema, value)) return undefined;
    const first = [...Value.Errors(schema, value)][0];
    return `${first.path || '(body)'}: ${first.message}`;
  };
  /**
   * Pages forward through a ring buffer: the oldest `limit` matching entries after the cursor `after`,
   * and `nextCursor` to pass as `after` for the next page (the last entry returned, or, once every entry
   * was looked at, the newest seq, so entries the filter skipped are not looked at again). `hasMore`
   * says another page may follow; `dropped` counts entries after the cursor that the buffer no longer
   * holds (it keeps the newest `maxLogEntries`).
   */
  const page = <T>(buffer: RingBuffer<T>, q: Record<string, string | undefined>, keep: (e: T) => boolean) => {
    const entries = buffer.toArray();
    const firstSeq = buffer.lastSeq - entries.length + 1;
    const after = Math.max(0, Math.floor(Number(q.after ?? 0) || 0));
    const limit = Math.min(Math.max(Number(q.limit ?? 100) || 100, 1), 5000);
    const items: Array<T & { seq: number }> = [];
    let nextCursor = Math.max(after, buffer.lastSeq);
    for (let i = Math.max(0, after - firstSeq + 1); i < entries.length; i++) {
      if (!keep(entries[i])) continue;
      if (items.length === limit) {
        nextCursor = items[items.length - 1].seq;
        break;
      }
      items.push({ seq: firstSeq + i, ...entries[i] });
    }
    const hasMore = nextCursor < buffer.lastSeq;
    return { lastSeq: buffer.lastSeq, items, nextCursor, hasMore, dropped: Math.max(0, firstSeq - after - 1) };
  };
  type Q = { Querystring: Record<string, string | undefined> };

  app.get(`${P}/info`, async () => emulatorInfo(core));
  app.get(`${P}/stats`, async () => ({
    ...core.state.stats,
    pendingWebhookDeliveries: core.cloudDeliverer.pending + core.ultramsgDeliverer.pending,
    batchedEvents: core.cloudBatcher.pending,
    scheduledTimers: core.timers.size,
    storedMessages: core.state.messages.size,
    storedUltraMsgMessages: core.state.ultramsgMessages.size,
    storedMediaBytes: core.state.media.totalBytes,
    clockOffsetMs: core.clock.offsetMs,
  }));
  app.get<Q>(`${P}/received`, async (request) =>
    page(core.state.received, request.query, (e) => (!request.query.surface || e.surface === request.query.surface) && (!request.query.target || e.target === request.query.target)),
  );
  app.get<Q>(`${P}/webhooks`, async (request) =>
    page(core.state.webhooks, request.query, (e) => (!request.query.surface || e.surface === request.query.surface) && (!request.query.state || e.state === request.query.state)),
  );
  app.get(`${P}/duplicates`, async () => ({ items: core.state.duplicates.toArray() }));
  app.get<{ Params: { id: string } }>(`${P}/messages/:id`, async (request, reply) => core.state.messages.get(request.params.id) ?? bad(reply, `No outbound message ${request.params.id} (unknown or forgotten).`, 404));
  app.post<{ Body: { timeoutMs?: number } | undefined }>(`${P}/webhooks/flush`, async (request) => {
    const idle = await core.flushWebhooks(Number(request.body?.timeoutMs ?? 10_000));
    return { idle, pending: core.cloudDeliverer.pending + core.ultramsgDeliverer.pending };
  });
  app.put<{ Body: { cloud?: string; ultramsg?: string } }>(`${P}/webhook-urls`, async (request, reply) => {
    const error = check(Type.Object({ cloud: Type.Optional(Type.String()), ultramsg: Type.Optional(Type.String()) }, { additionalProperties: false }), request.body ?? {});
    if (error) return bad(reply, error);
    core.setWebhookUrls(request.body ?? {});
    return { ...core.urls };
  });

  app.post<{ Params: { phone: string }; Body: Record<string, any> }>(`${P}/customers/:phone/messages`, async (request, reply) => {
    const body = request.body ?? {};
    const type = body.type as InboundType;
    try {
      return customerSends(core, {
        from: request.params.phone,
        type,
        payload: body.payload ?? (type === 'contacts' ? { contacts: body.contacts } : body[type]),
        phoneNumberId: body.phoneNumberId,
        name: body.name,
        contextId: body.contextId ?? body.context?.id,
        mediaBase64: body.mediaBase64,
        mimeType: body.mimeType,
      });
    } catch (error) {
      if (error instanceof InboundInputError) return bad(reply, error.message);
      throw error;
    }
  });
  app.post<{ Params: { instanceId: string }; Body: Record<string, any> }>(`${P}/ultramsg/:instanceId/inbound`, async (request, reply) => {
    try {
      return customerSendsUltraMsg(core, { ...(request.body ?? {}), instanceId: request.params.instanceId } as any);
    } catch (error) {
      if (error instanceof InboundInputError) return bad(reply, error.message);
      throw error;
    }
  });

  app.put<{ Params: { instanceId: string }; Body: { connected?: boolean; state?: string } }>(`${P}/ultramsg/:instanceId/state`, async (request, reply) => {
    const instance = core.instance(request.params.instanceId);
    if (!instance) return bad(reply, `Unknown UltraMsg instance ${request.params.instanceId}.`, 404);
    const { connected, state } = request.body ?? {};
    if (state !== undefined && !INSTANCE_STATES.includes(state as UltraMsgInstanceState)) return bad(reply, `state must be one of ${INSTANCE_STATES.join(', ')}.`);
    if (state === undefined && typeof connected !== 'boolean') return bad(reply, `Give a state (${INSTANCE_STATES.join(', ')}), or connected true or false.`);
    // {connected} is the older form: false is the phone offline (standby), true authenticated.
    setInstanceState(core, instance, (state as UltraMsgInstanceState | undefined) ?? (connected ? 'authenticated' : 'standby'));
    return { instanceId: instance.instanceId, state: instance.state, connected: isSending(instance), queued: queueFor(core, instance).size };
  });

  const customerOf = (phone: string) => {
    const waId = toWaId(phone);
    if (!waId) return undefined;
    const existing = core.state.customer(waId);
    if (existing) return existing;
    const created = { phone: waId, name: 'WhatsApp User', undeliverable: false, blocked: false, optedOutOfMarketing: false, persona: null as string | null };
    core.state.customers.set(waId, created);
    return created;
  };
  app.get(`${P}/customers`, async () => ({ items: listCustomers(core) }));
  const chatTarget = (reply: FastifyReply, phone: string, phoneNumberId: unknown) => {
    const waId = toWaId(phone);
    if (!waId) return void bad(reply, `"${phone}" is not a phone number.`);
    const number = typeof phoneNumberId === 'string' ? core.number(phoneNumberId) : core.config.numbers[0];
    if (!number) return void bad(reply, `Unknown phoneNumberId ${String(phoneNumberId)}; known: ${core.config.numbers.map((n) => n.phoneNumberId).join(', ')}.`, 404);
    return { waId, phoneNumberId: number.phoneNumberId };
  };
  app.get<{ Params: { phone: string }; Querystring: { phoneNumberId?: string; instanceId?: string } }>(`${P}/customers/:phone/chat`, async (request, reply) => {
    if (request.query.instanceId !== undefined) {
      const waId = toWaId(request.params.phone);
      if (!waId) return bad(reply, `"${request.params.phone}" is not a phone number.`);
      const instance = core.instance(request.query.instanceId);
      if (!instance) return bad(reply, `Unknown UltraMsg instance ${request.query.instanceId}; known: ${core.config.ultramsgInstances.map((i) => i.instanceId).join(', ')}.`, 404);
      return customerUltraMsgChat(core, waId, instance.instanceId);
    }
    const target = chatTarget(reply, request.params.phone, request.query.phoneNumberId);
    return target ? customerChat(core, target.waId, target.phoneNumberId) : reply;
  });
  app.post<{ Params: { phone: string }; Body: { phoneNumberId?: string } | undefined }>(`${P}/customers/:phone/read`, async (request, reply) => {
    const target = chatTarget(reply, request.params.phone, request.body?.phoneNumberId);
    return target ? { read: customerReads(core, target.waId, target.phoneNumberId) } : reply;
  });
  app.get<{ Params: { phone: string } }>(`${P}/customers/:phone`, async (request, reply) => {
    const waId = toWaId(request.params.phone);
    if (!waId) return bad(reply, `"${request.params.phone}" is not a phone number.`);
    const customer = core.state.customer(waId) ?? { phone: waId, name: 'WhatsApp User', undeliverable: false, blocked: false, optedOutOfMarketing: false, persona: null };
    const windows = core.config.numbers.map((n) => ({ phoneNumberId: n.phoneNumberId, lastInboundAt: core.state.windows.get(`${n.phoneNumberId}:${waId}`) ?? null }));
    return { ...customer, windows };
  });
  const CustomerPatch = Type.Object(
    { name: Type.Optional(Type.String()), undeliverable: Type.Optional(Type.Boolean()), blocked: Type.Optional(Type.Boolean()), optedOutOfMarketing: Type.Optional(Type.Boolean()), persona: Type.Optional(Type.Union([Type.String(), Type.Null()])) },
    { additionalProperties: false },
  );
  app.put<{ Params: { phone: string }; Body: Record<string, any> }>(`${P}/customers/:phone`, async (request, reply) => {
    const error = check(CustomerPatch, request.body ?? {});
    if (error) return bad(reply, error);
    if (request.body?.persona && !core.config.personas[request.body.persona]) return bad(reply, `Unknown persona "${request.body.persona}"; defined: ${Object.keys(core.config.personas).join(', ')}.`);
    const customer = customerOf(request.params.phone);
    if (!customer) return bad(reply, `"${request.params.phone}" is not a phone number.`);
    Object.assign(customer, request.body ?? {});
    return customer;
  });
  app.post<{ Params: { phone: string }; Body: { action?: string } }>(`${P}/customers/:phone/actions`, async (request, reply) => {
    const customer = customerOf(request.params.phone);
    if (!customer) return bad(reply, `"${request.params.phone}" is not a phone number.`);
    const action = request.body?.action;
    if (action === 'block' || action === 'unblock') customer.blocked = action === 'block';
    else if (action === 'stop_marketing' || action === 'resume_marketing') customer.optedOutOfMarketing = action === 'stop_marketing';
    else return bad(reply, 'action must be one of block, unblock, stop_marketing, resume_marketing.');
    return customer;
  });
  app.put<{ Params: { name: string }; Body: Record<string, any> }>(`${P}/personas/:name`, async (request, reply) => {
    const error = check(PersonaInput, request.body ?? {});
    if (error) return bad(reply, error);
    core.config.personas[request.params.name] = { ...DEFAULT_PERSONA, ...core.config.personas[request.params.name], ...request.body };
    return core.config.personas[request.params.name];
  });

  app.get(`${P}/faults`, async () => core.config.faults);
  app.put<{ Body: Record<string, any> }>(`${P}/faults`, async (request, reply) => {
    const error = check(FaultsInput, request.body ?? {});
    if (error) return bad(reply, error);
    Object.assign(core.config.faults, mergeFaults(core.config.faults, request.body));
    if (request.body?.webhookOutage === false) {
      core.cloudDeliverer.wake();
      core.ultramsgDeliverer.wake();
    }
    return core.config.faults;
  });
  app.get(`${P}/behaviour`, async () => core.config.behaviour);
  app.put<{ Body: Record<string, any> }>(`${P}/behaviour`, async (request, reply) => {
    const error = check(BehaviourInput, request.body ?? {});
    if (error) return bad(reply, error);
    const merged = mergeBehaviour(core.config.behaviour, request.body);
    if (merged.defaultPersona && !core.config.personas[merged.defaultPersona]) return bad(reply, `Unknown persona "${merged.defaultPersona}".`);
    Object.assign(core.config.behaviour, merged);
    return core.config.behaviour;
  });
  app.get<{ Params: { id: string } }>(`${P}/numbers/:id/limits`, async (request, reply) => core.number(request.params.id)?.limits ?? bad(reply, `Unknown phoneNumberId ${request.params.id}.`, 404));
  app.put<{ Params: { id: string }; Body: Record<string, any> }>(`${P}/numbers/:id/limits`, async (request, reply) => {
    const number = core.number(request.params.id);
    if (!number) return bad(reply, `Unknown phoneNumberId ${request.params.id}.`, 404);
    const error = check(NumberLimitsInput, request.body ?? {});
    if (error) return bad(reply, error);
    const before = number.limits.throughputMps;
    Object.assign(number.limits, request.body);
    // Meta announces the upgrade to 1,000 mps with a phone_number_quality_update webhook.
    if (before < 1000 && number.limits.throughputMps >= 1000) {
      core.emitCloud({ kind: 'field', field: 'phone_number_quality_update', value: { display_phone_number: number.displayPhoneNumber, event: 'THROUGHPUT_UPGRADE', current_limit: 'TIER_UNLIMITED' }, at: core.clock.now() });
    }
    return number.limits;
  });

  const STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'PAUSED', 'DISABLED', 'FLAGGED', 'IN_APPEAL', 'REINSTATED', 'ARCHIVED'];
  app.post<{ Body: Record<string, any> }>(`${P}/templates/status`, async (request, reply) => {
    const { name, language, status, reason, quality } = request.body ?? {};
    const matches = core.state.templates.filter((t) => t.name === name && (!language || t.language === language) && t.status !== 'DELETED');
    if (!matches.length) return bad(reply, `No template ${name}${language ? ` in ${language}` : ''}.`, 404);
    if (status !== undefined && !STATUSES.includes(status)) return bad(reply, `status must be one of ${STATUSES.join(', ')}.`);
    if (quality !== undefined && !['GREEN', 'YELLOW', 'RED', 'UNKNOWN'].includes(quality)) return bad(reply, 'quality must be one of GREEN, YELLOW, RED, UNKNOWN.');
    if (status === undefined && quality === undefined) return bad(reply, 'Give a status, a quality, or both.');
    for (const template of matches) {
      if (quality !== undefined) setTemplateQuality(core, template, quality as QualityScore);
      if (status !== undefined) setTemplateStatus(core, template, status as TemplateStatus, { reason });
    }
    return { templates: matches.map((t) => ({ id: t.id, name: t.name, language: t.language, status: t.status, quality: t.quality })) };
  });
  app.post<{ Body: { ms?: number } }>(`${P}/clock/advance`, async (request, reply) => {
    const ms = Number(request.body?.ms);
    if (!Number.isFinite(ms) || ms <= 0) return bad(reply, 'ms must be a positive number of milliseconds.');
    core.clock.advance(ms);
    return { offsetMs: core.clock.offsetMs, now: core.clock.now() };
  });
  app.post(`${P}/reset`, async () => {
    core.reset();
    return { reset: true };
  });
}
