import type { ModuleManifest } from '../manifest/module-manifest.js';
import { webhookRoutes } from './routes.js';
import { webhookWorkers } from './workers.js';

export const webhooksManifest: ModuleManifest = { name: 'webhooks', routes: [webhookRoutes], workers: webhookWorkers };
