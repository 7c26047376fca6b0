import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';

/** Messages: the API of messages once accepted or received (read, cancel, list, dead letters). */
export const messagesManifest: ModuleManifest = { name: 'messages', routes: [lazyRoutes(() => import('./routes.js').then((m) => m.messageRoutes))] };
