import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';
import { onInbound } from './on-inbound.js';
import type { ConversationPorts } from './ports.js';
import { recordCycle } from './record-cycle.js';
import { SlaWorker } from './sla-worker.js';

/**
 * Conversations (M4): the service window, the conversation model, its API. A customer message joins
 * (or opens, reopens, wakes) the contact's current conversation with the sender, after its commit.
 * The ports (`ports.ts`) are the outbound and templates modules', handed over by the composition root.
 * A resolved cycle's figures are recorded after its commit (`record-cycle.ts`); the SLA worker records
 * near breaches and breaches of open conversations (`sla-worker.ts`).
 */
export function conversationsManifest(ports: ConversationPorts): ModuleManifest {
  void ports;
  return {
    name: 'conversations',
    routes: [lazyRoutes(() => import('./routes.js').then((m) => m.conversationRoutes)), lazyRoutes(() => import('./sla-routes.js').then((m) => m.slaRoutes))],
    workers: (ctx) => [new SlaWorker(ctx)],
    afterCommit: { 'message.inbound': [onInbound([])], 'conversation.changed': [recordCycle] },
  };
}
