import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';
import { onInbound } from './on-inbound.js';
import type { ConversationPorts } from './ports.js';

/**
 * Conversations (M4): the service window, the conversation model, its API. A customer message joins
 * (or opens, reopens, wakes) the contact's current conversation with the sender, after its commit.
 * The ports (`ports.ts`) are the outbound and templates modules', handed over by the composition root.
 */
export function conversationsManifest(ports: ConversationPorts): ModuleManifest {
  void ports;
  return {
    name: 'conversations',
    routes: [lazyRoutes(() => import('./routes.js').then((m) => m.conversationRoutes)), lazyRoutes(() => import('./stream-routes.js').then((m) => m.streamRoutes))],
    afterCommit: { 'message.inbound': [onInbound([])] },
  };
}
