import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import { Nullable, Timestamp, iso } from '../http/schemas.js';
import type { ParleyContext } from '../runtime/context.js';
import { senderHealth } from './health.js';

const SenderHealthBody = Type.Object({
  senderId: Type.String(),
  name: Type.String(),
  provider: Type.String(),
  lastWebhookAt: Nullable(Timestamp({ description: 'When the last webhook for this number was received.' })),
  lastStatusWebhookAt: Nullable(Timestamp()),
  lastInboundWebhookAt: Nullable(Timestamp()),
  lastLagMs: Nullable(Type.Integer({ description: 'Provider event time to receipt of the latest event, in milliseconds.' })),
  alarm: Type.Boolean({ description: 'True when messages went to the provider but status webhooks stopped (PARLEY_WEBHOOK_SILENCE_MINUTES).' }),
  alarmReason: Nullable(Type.String()),
});

// Webhook health through the API (M1.5, M10).
export async function webhookApiRoutes(app: ParleyApp, ctx: ParleyContext) {
  app.get('/v1/webhooks/health', {
    config: { permission: 'webhooks.read' },
    schema: {
      tags: ['webhooks'],
      summary: 'Per sender number: when webhooks last arrived, their lag, and the "provider stopped calling us" alarm.',
      security: [{ apiKey: [] }],
      response: { 200: Type.Object({ data: Type.Array(SenderHealthBody), silenceMinutes: Type.Integer() }) },
    },
  }, async (request) => {
    const policy = { silenceMinutes: ctx.config.webhookSilenceMinutes, lookbackMinutes: ctx.config.webhookSilenceLookbackMinutes };
    const rows = await senderHealth(ctx.db, policy, ctx.clock.now(), request.principal!.workspaceId);
    return {
      silenceMinutes: policy.silenceMinutes,
      data: rows.map((r) => ({
        senderId: r.senderId,
        name: r.name,
        provider: r.provider,
        lastWebhookAt: iso(r.lastWebhookAt),
        lastStatusWebhookAt: iso(r.lastStatusWebhookAt),
        lastInboundWebhookAt: iso(r.lastInboundWebhookAt),
        lastLagMs: r.lastLagMs,
        alarm: r.alarm,
        alarmReason: r.alarmReason,
      })),
    };
  });
}
