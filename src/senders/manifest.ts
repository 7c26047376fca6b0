import type { ModuleManifest } from '../manifest/module-manifest.js';
import { senderQrRoutes } from './qr-routes.js';
import { senderRoutes } from './routes.js';

export const sendersManifest: ModuleManifest = { name: 'senders', routes: [senderRoutes, senderQrRoutes] };
