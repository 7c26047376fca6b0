import type { ModuleManifest } from '../manifest/module-manifest.js';
import { privacyRoutes } from './routes.js';
import { RetentionWorker } from './retention-worker.js';

export const privacyManifest: ModuleManifest = { name: 'privacy', routes: [privacyRoutes], workers: (ctx) => [new RetentionWorker(ctx)] };
