import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';
import { onInbound } from './on-inbound.js';
import type { ConversationPorts } from './ports.js';
import { afterInboundAssign } from './assignment/engine.js';
import { AssignmentSweep } from './assignment/sweep.js';

/**
 * Conversations (M4): the service window, the conversation model, its API. A customer message joins
 * (or opens, reopens, wakes) the contact's current conversation with the sender, after its commit.
 * The ports (`ports.ts`) are the outbound and templates modules', handed over by the composition root.
 * Assignment (`assignment/`) reacts last to a customer message, so a reaction before it (the bot) takes
 * the conversation first; its sweep is the backstop that leaves nothing waiting after a crash.
 */
export function conversationsManifest(ports: ConversationPorts): ModuleManifest {
  void ports;
  return {
    name: 'conversations',
    routes: [lazyRoutes(() => import('./routes.js').then((m) => m.conversationRoutes)), lazyRoutes(() => import('./assignment/routes.js').then((m) => m.assignmentRoutes))],
    workers: (ctx) => [new AssignmentSweep(ctx)],
    afterCommit: { 'message.inbound': [onInbound([afterInboundAssign])] },
  };
}
