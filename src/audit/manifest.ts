import type { ModuleManifest } from '../manifest/module-manifest.js';
import { auditRoutes } from './routes.js';
import { AuditCheckpointWorker, AuditRetentionWorker } from './workers.js';

export const auditManifest: ModuleManifest = {
  name: 'audit',
  routes: [auditRoutes],
  workers: (ctx) => [new AuditCheckpointWorker(ctx), new AuditRetentionWorker(ctx)],
};
