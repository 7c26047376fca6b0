import type { ModuleManifest } from '../runtime/manifest.js';
import { webhookRoutes } from './routes.js';
import { webhookWorkers } from './workers.js';

export const webhooksManifest: ModuleManifest = { name: 'webhooks', routes: [webhookRoutes], workers: webhookWorkers };
