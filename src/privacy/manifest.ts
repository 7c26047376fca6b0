import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';
import { RetentionWorker } from './retention-worker.js';

export const privacyManifest: ModuleManifest = { name: 'privacy', routes: [lazyRoutes(() => import('./routes.js').then((m) => m.privacyRoutes))], workers: (ctx) => [new RetentionWorker(ctx)] };
