import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';
import { onInbound } from './on-inbound.js';

/**
 * Conversations (M4): the service window, the conversation model, its API. A customer message joins
 * (or opens, reopens, wakes) the contact's current conversation with the sender, after its commit.
 */
export const conversationsManifest: ModuleManifest = {
  name: 'conversations',
  routes: [lazyRoutes(() => import('./routes.js').then((m) => m.conversationRoutes))],
  afterCommit: { 'message.inbound': [onInbound([])] },
};
