import type { ParleyContext } from '../runtime/context.js';
import type { ChannelAdapter } from '../channels/port.js';
import { HttpPools } from '../channels/http-pools.js';
import { createChannelRegistry, type ChannelRegistry } from '../channels/registry.js';
import { loadRenderableTemplate } from '../templates/index.js';
import type { TemplateSendComponent } from '../template-text/send-components.js';

const registries = new WeakMap<ParleyContext, ChannelRegistry>();

/** The channel adapters accept asks to render templates (rendering is pure: they open no keep-alive pool). */
export function renderingChannelsOf(ctx: ParleyContext): ChannelRegistry {
  let channels = registries.get(ctx);
  if (!channels) {
    channels = createChannelRegistry(new HttpPools(1), ctx.config);
    registries.set(ctx, channels);
  }
  return channels;
}

/**
 * What the outbound pipeline needs from the templates module beyond the gate: the text a channel
 * without provider templates sends for a template send (name, language, components with parameters),
 * rendered by its adapter (`ChannelAdapter.renderTemplate`) from the live version Parley holds.
 * Undefined when the adapter sends templates itself; throws the adapter's `ParleyError` when the
 * template cannot be sent as text.
 */
export async function renderedTextFor(
  ctx: ParleyContext,
  adapter: ChannelAdapter,
  ref: { workspaceId: string; senderId: string; name: string; language: string; components?: TemplateSendComponent[] },
): Promise<string | undefined> {
  if (!adapter.renderTemplate) return undefined;
  const template = await loadRenderableTemplate(ctx, { workspaceId: ref.workspaceId, senderId: ref.senderId, name: ref.name, language: ref.language });
  return adapter.renderTemplate({ name: ref.name, language: ref.language, components: ref.components }, template);
}

/** The template of a Cloud API template payload, as the gates see it (with its body parameter count). */
export function templateRefOf(payload: Record<string, unknown>): { name: string; language: string; parameterCount: number } {
  const components = (payload.components as TemplateSendComponent[] | undefined) ?? [];
  const body = components.find((c) => c.type === 'body');
  return { name: String(payload.name), language: String((payload.language as { code?: string } | undefined)?.code ?? ''), parameterCount: body?.parameters?.length ?? 0 };
}
