import type { ModuleManifest } from '../manifest/module-manifest.js';
import { messageRoutes } from './routes.js';

/** Messages: the API of messages once accepted or received (read, cancel, list, dead letters). */
export const messagesManifest: ModuleManifest = { name: 'messages', routes: [messageRoutes] };
