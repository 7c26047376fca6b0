import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';
import { AuditCheckpointWorker, AuditRetentionWorker } from './workers.js';

export const auditManifest: ModuleManifest = {
  name: 'audit',
  routes: [lazyRoutes(() => import('./routes.js').then((m) => m.auditRoutes))],
  workers: (ctx) => [new AuditCheckpointWorker(ctx), new AuditRetentionWorker(ctx)],
};
