import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';
import { uploadPurgeWorker } from './purge-worker.js';

export const uploadsManifest: ModuleManifest = { name: 'uploads', routes: [lazyRoutes(() => import('./routes.js').then((m) => m.uploadRoutes))], workers: (ctx) => [uploadPurgeWorker(ctx)] };
