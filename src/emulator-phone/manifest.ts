import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';

/**
 * The console's emulator phone: acting as a customer of the built-in WhatsApp emulator through a few
 * routes that forward to its control API (docs/decisions/0026-console-emulator-phone.md).
 */
export const emulatorPhoneManifest: ModuleManifest = { name: 'emulator-phone', routes: [lazyRoutes(() => import('./routes.js').then((m) => m.emulatorPhoneRoutes))] };
