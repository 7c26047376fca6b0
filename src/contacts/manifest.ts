import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';
import type { ImportConsentLedger } from './import-contacts.js';

/** Contacts (M2); the bulk import records consent columns in `consentLedger` (a port the root fills with the consent module's ledger). */
export const contactsManifest = (deps: { consentLedger: ImportConsentLedger }): ModuleManifest => ({ name: 'contacts', routes: [lazyRoutes(() => import('./routes.js').then((m) => m.contactRoutes(deps)))] });
