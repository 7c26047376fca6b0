import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';
import { webhookWorkers } from './workers.js';

export const webhooksManifest: ModuleManifest = { name: 'webhooks', routes: [lazyRoutes(() => import('./routes.js').then((m) => m.webhookRoutes))], workers: webhookWorkers };
