import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';
import { onTemplateQuality, onTemplateStatus } from './status/status-handlers.js';
import { templateGate } from './usability/template-gate.js';
import { onInboundOptOut, onMarketingStopped } from './variants/optout-handler.js';
import { templateWorkers } from './workers.js';

export const templatesManifest: ModuleManifest = {
  name: 'templates',
  routes: [lazyRoutes(() => import('./routes/template-routes.js').then((m) => m.templateRoutes)), lazyRoutes(() => import('./routes/intent-routes.js').then((m) => m.intentRoutes))],
  workers: templateWorkers,
  gates: [templateGate],
  afterCommit: {
    'message.inbound': [onInboundOptOut],
    'contact.marketing_stopped': [onMarketingStopped],
    'template.status': [onTemplateStatus],
    'template.quality': [onTemplateQuality],
  },
};
