import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';
import { UploadPurgeWorker } from './purge-worker.js';

export const uploadsManifest: ModuleManifest = { name: 'uploads', routes: [lazyRoutes(() => import('./routes.js').then((m) => m.uploadRoutes))], workers: (ctx) => [new UploadPurgeWorker(ctx)] };
