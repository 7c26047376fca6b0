import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';
import { publishDomainEventWebhook } from './publish-domain-event.js';
import { eventWorkers } from './workers.js';

/** The signed event webhooks business systems subscribe to: their outbox commits with the fact. */
export const eventsManifest: ModuleManifest = { name: 'events', routes: [lazyRoutes(() => import('./routes.js').then((m) => m.eventRoutes))], workers: eventWorkers, inTransaction: [publishDomainEventWebhook] };
