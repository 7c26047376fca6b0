import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';

export const sendersManifest: ModuleManifest = { name: 'senders', routes: [lazyRoutes(() => import('./routes.js').then((m) => m.senderRoutes)), lazyRoutes(() => import('./qr-routes.js').then((m) => m.senderQrRoutes))] };
