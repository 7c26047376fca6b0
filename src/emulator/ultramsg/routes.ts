import type { FastifyInstance } from 'fastify';
import type { EmulatorCore } from '../core.js';
import { drawFault } from '../faults.js';
import { newWebKey } from '../shared/ids.js';
import type { UltraMsgInstance } from '../types.js';
import { queueFor } from './queue.js';
import { registerUltraMsgResendRoutes, type UltraMsgAuthorize } from './resend-routes.js';
import type { UltraMsgMessage } from './types.js';
import { sentMediaLink } from './media-files.js';
import { quotedMsgOf } from './quoted.js';
import { ULTRAMSG_ENDPOINTS, ULTRAMSG_SEND_BODY_LIMIT, validateUltraMsgSend } from './validate.js';
import { authorizeUltraMsg } from './authorize.js';
import { readInstance, registerInstanceRoutes } from './instance-routes.js';
import { registerChatRoutes } from './chat-routes.js';

type Params = { instanceId: string; kind?: string; what?: string };

/** The instance's send queue (`queue.ts`); kept exported here for the control API. */

/**
 * The UltraMsg surface (`/{instance_id}/...`). Authentication is the `token` parameter (query string or
 * body; bodies may be JSON or form-encoded). Answers, as UltraMsg gives them: an unknown instance is HTTP 404
 * `{"error":"Instance not found"}`; a wrong token HTTP 401 `{"error":"Wrong token. ..."}`; parameter
 * problems HTTP 200 with `{"error":[{"to":"is required"}]}` (UltraMsg reports business errors in the body,
 * so clients must read it); a send `{"sent":"true","message":"ok","id":<number>}`. No 24-hour rule.
 * Resends are in `resend-routes.ts`.
 */
export function registerUltraMsgRoutes(app: FastifyInstance, core: EmulatorCore): void {
  let nextId = 1000;

  const authorize: UltraMsgAuthorize = (request, reply) => authorizeUltraMsg(core, request, reply);

  registerUltraMsgResendRoutes(app, core, authorize);

  // The documented largest media (10,000,000 base64 characters) does not fit the server-wide body cap.
  app.post<{ Params: Params }>('/:instanceId/messages/:kind', { bodyLimit: ULTRAMSG_SEND_BODY_LIMIT }, async (request, reply) => {
    const kind = request.params.kind!;
    if (kind === 'clear') {
      const auth = authorize(request, reply);
      if (!auth) return reply;
      const status = String(auth.params.status ?? '');
      let cleared = 0;
      if (status === 'queue') cleared = queueFor(core, auth.instance).clear();
      for (const [id, m] of core.state.ultramsgMessages) {
        if (m.instanceId === auth.instance.instanceId && m.status === status) {
          core.state.ultramsgMessages.delete(id);
          cleared++;
        }
      }
      return { success: `${cleared} messages cleared` };
    }
    if (!ULTRAMSG_ENDPOINTS[kind]) return reply.status(404).send({ error: `Unknown endpoint messages/${kind}` });
    const auth = authorize(request, reply);
    if (!auth) return reply;
    const { instance, params } = auth;
    const now = core.clock.now();
    const log = { at: now, surface: 'ultramsg' as const, method: 'POST', path: `/${instance.instanceId}/messages/${kind}`, target: instance.instanceId, body: request.body };
    const faults = core.config.faults;
    const fault = drawFault({ ...faults, error131000Rate: 0, error131016Rate: 0 }, core.random);
    if (fault.kind === 'error') {
      core.state.stats.faultsInjected++;
      core.state.received.push({ ...log, status: 500, fault: fault.name });
      return reply.status(500).send({ error: 'Internal Server Error' });
    }
    const process = () => {
      const result = validateUltraMsgSend(kind, params, (msgId) => {
        for (const m of core.state.ultramsgMessages.values()) if (m.waId === msgId || String(m.id) === msgId) return m.to;
        return msgId.match(/^(?:true|false)_([^_]+)_/)?.[1];
      });
      if (!result.ok) {
        core.state.stats.ultramsgSendsRefused++;
        core.state.received.push({ ...log, status: 200 });
        return { error: result.errors };
      }
      const send = result.send;
      const id = ++nextId;
      const message: UltraMsgMessage = {
        id,
        instanceId: instance.instanceId,
        referenceId: send.referenceId,
        waId: `true_${send.chatId}_${newWebKey()}`,
        from: `${instance.phone}@c.us`,
        to: send.chatId,
        body: send.body,
        type: send.type,
        priority: send.priority,
        status: 'queue',
        ack: '',
        createdAt: now,
        queuedAt: now,
        sentAt: null,
        metadata: send.media ? { media: sentMediaLink(core, instance, send.media, send.type) } : {},
        quotedMsg: quotedMsgOf(core, instance.instanceId, send.replyTo),
        mentionedIds: send.mentions,
      };
      core.state.ultramsgMessages.set(id, message);
      core.state.stats.ultramsgSendsAccepted++;
      core.state.noteCorrelation('ultramsg', send.referenceId || undefined, String(id), now);
      core.state.received.push({ ...log, status: 200, messageId: String(id) });
      queueFor(core, instance).push(message);
      return { sent: 'true', message: 'ok', id };
    };
    if (fault.kind === 'timeout') {
      core.state.stats.faultsInjected++;
      if (fault.processed) process();
      else core.state.received.push({ ...log, status: 0, fault: 'timeout' });
      reply.hijack();
      core.timers.after(fault.afterMs, () => request.raw.socket?.destroy());
      return;
    }
    const answer = process();
    if (fault.slowMs) {
      core.state.stats.faultsInjected++;
      await new Promise((resolve) => setTimeout(resolve, fault.slowMs));
    }
    return answer;
  });

  app.get<{ Params: Params; Querystring: Record<string, string | undefined> }>('/:instanceId/messages', async (request, reply) => {
    const auth = authorize(request, reply);
    if (!auth) return reply;
    const q = request.query;
    const limit = Math.min(Math.max(Number(q.limit ?? 100) || 100, 1), 100);
    const page = Math.max(Number(q.page ?? 1) || 1, 1);
    const status = q.status ?? 'all';
    const matches: UltraMsgMessage[] = [];
    for (const m of core.state.ultramsgMessages.values()) {
      if (m.instanceId !== auth.instance.instanceId) continue;
      if (status !== 'all' && m.status !== status) continue;
      if (q.id && String(m.id) !== q.id) continue;
      if (q.referenceId && m.referenceId !== q.referenceId) continue;
      if (q.to && m.to !== q.to && m.to.split('@')[0] !== q.to.replace(/[^0-9]/g, '')) continue;
      if (q.from && m.from !== q.from && m.from.split('@')[0] !== q.from.replace(/[^0-9]/g, '')) continue;
      if (q.ack && m.ack !== q.ack) continue;
      matches.push(m);
    }
    if (q.sort !== 'asc') matches.reverse();
    const slice = matches.slice((page - 1) * limit, page * limit);
    return {
      total: matches.length,
      pages: Math.ceil(matches.length / limit),
      limit,
      page,
      messages: slice.map((m) => ({
        id: m.id,
        // The WhatsApp id beside the numeric id, named as UltraMsg's own parameters name it (`msgId` of
        // replies and reactions). UltraMsg's documented list shape shows no such field: see decision 0007.
        msgId: m.waId,
        referenceId: m.referenceId,
        from: m.from,
        to: m.to,
        body: m.body,
        priority: m.priority,
        status: m.status,
        ack: m.ack,
        type: m.type,
        created_at: Math.floor(m.createdAt / 1000),
        sent_at: m.sentAt === null ? '' : Math.floor(m.sentAt / 1000),
        metadata: m.metadata,
      })),
    };
  });

  app.get<{ Params: Params }>('/:instanceId/messages/statistics', async (request, reply) => {
    const auth = authorize(request, reply);
    if (!auth) return reply;
    const counts = { sent: 0, queue: 0, unsent: 0, invalid: 0, expired: 0 };
    for (const m of core.state.ultramsgMessages.values()) if (m.instanceId === auth.instance.instanceId) counts[m.status]++;
    return { messages_statistics: counts };
  });

  app.get<{ Params: Params }>('/:instanceId/instance/:what', async (request, reply) => {
    const auth = authorize(request, reply);
    if (!auth) return reply;
    const { instance } = auth;
    switch (request.params.what) {
      case 'me':
        return { id: `${instance.phone}@c.us`, name: instance.name, profile_picture: '', is_business: false };
      case 'settings':
        return settingsOf(core, instance);
      default:
        // status, qr, qrCode, screenshot: the session (instance-routes.ts).
        return readInstance(core, instance, request.params.what ?? '', auth.params, reply);
    }
  });

  app.post<{ Params: Params }>('/:instanceId/instance/settings', async (request, reply) => {
    const auth = authorize(request, reply);
    if (!auth) return reply;
    const { instance, params } = auth;
    const on = (v: unknown) => v === true || v === 'true' || v === 'on';
    const seconds = (v: unknown) => Math.round(Math.min(3600, Math.max(0, Number(v) || 0)) * 1000);
    if (params.sendDelay !== undefined) instance.sendDelayMs = seconds(params.sendDelay);
    if (params.sendDelayMax !== undefined) instance.sendDelayMaxMs = seconds(params.sendDelayMax);
    if (params.sendDelay !== undefined || params.sendDelayMax !== undefined) queueFor(core, instance).resume();
    if (params.webhook_url !== undefined) core.setWebhookUrls({ ultramsg: String(params.webhook_url) });
    if (params.webhook_message_received !== undefined) instance.webhookMessageReceived = on(params.webhook_message_received);
    if (params.webhook_message_create !== undefined) instance.webhookMessageCreate = on(params.webhook_message_create);
    if (params.webhook_message_ack !== undefined) instance.webhookMessageAck = on(params.webhook_message_ack);
    if (params.webhook_message_download_media !== undefined) instance.webhookMessageDownloadMedia = on(params.webhook_message_download_media);
    return settingsOf(core, instance);
  });

  registerInstanceRoutes(app, core);
  registerChatRoutes(app, core);
}

function settingsOf(core: EmulatorCore, instance: UltraMsgInstance) {
  const onOff = (v: boolean) => (v ? 'on' : 'off');
  return {
    sendDelay: instance.sendDelayMs / 1000,
    sendDelayMax: Math.max(instance.sendDelayMs, instance.sendDelayMaxMs) / 1000,
    webhook_url: core.urls.ultramsg ?? '',
    webhook_message_received: onOff(instance.webhookMessageReceived),
    webhook_message_create: onOff(instance.webhookMessageCreate),
    webhook_message_ack: onOff(instance.webhookMessageAck),
    webhook_message_download_media: onOff(instance.webhookMessageDownloadMedia),
  };
}
