import type { ParleyContext } from '../runtime/context.js';
import { providerIdHash } from '../messages/provider-ids.js';
import { BodySeal } from './body-seal.js';
import { logBacklog, senderHealth } from './health.js';
import { createWebhookMetrics, type WebhookMetrics } from './metrics.js';
import { SenderDirectory } from './sender-directory.js';
import { WebhookSecrets } from './webhook-secrets.js';
import { HttpPools } from '../channels/http-pools.js';
import { createChannelRegistry, type ChannelRegistry } from '../channels/registry.js';

/**
 * The webhook module's long-lived parts for one Parley instance (one context): secrets, the body
 * seal, the sender directory, metrics, and the in-process wake-up from the log writer to processors.
 * Built on first use, so routes, workers and the composition root share the same objects.
 */
export interface WebhookServices {
  readonly secrets: WebhookSecrets;
  readonly seal: BodySeal;
  /** The keyed hash provider message ids are matched and named by (`messages/provider-ids.ts`). */
  readonly hashProviderId: (providerMessageId: string) => string;
  readonly directory: SenderDirectory;
  readonly metrics: WebhookMetrics;
  /** The channel adapters that read deliveries and download media (neither opens the keep-alive pools). */
  readonly channels: ChannelRegistry;
  /** Tells this process's processors that `count` deliveries were committed. */
  notifyCommitted(count: number): void;
  /** Subscribes to commits; returns the unsubscribe function. */
  onCommitted(listener: (count: number) => void): () => void;
}

const servicesByContext = new WeakMap<ParleyContext, WebhookServices>();

export function webhookServicesFor(ctx: ParleyContext): WebhookServices {
  let services = servicesByContext.get(ctx);
  if (services) return services;
  const listeners = new Set<(count: number) => void>();
  const policy = { silenceMinutes: ctx.config.webhookSilenceMinutes, lookbackMinutes: ctx.config.webhookSilenceLookbackMinutes };
  services = {
    secrets: WebhookSecrets.fromConfig(ctx.config),
    seal: new BodySeal(ctx.keyring.systemKey('webhook-log')),
    hashProviderId: (id) => providerIdHash(ctx.keyring, id),
    directory: new SenderDirectory(ctx.db, ctx.keyring, ctx.clock),
    metrics: createWebhookMetrics(ctx.metrics.registry, {
      senders: () => senderHealth(ctx.db, policy, ctx.clock.now()),
      backlog: () => logBacklog(ctx.db),
    }),
    channels: createChannelRegistry(new HttpPools(), ctx.config),
    notifyCommitted: (count) => {
      for (const listener of listeners) listener(count);
    },
    onCommitted: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  servicesByContext.set(ctx, services);
  return services;
}

/**
 * The app secrets and verify tokens Cloud API webhooks are checked against. The composition root
 * adds the built-in emulator's generated secret with `webhookSecretsFor(ctx).addAppSecret(secret)`.
 */
export const webhookSecretsFor = (ctx: ParleyContext): WebhookSecrets => webhookServicesFor(ctx).secrets;
