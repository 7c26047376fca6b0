import { lazyRoutes, type ModuleManifest } from '../manifest/module-manifest.js';

/**
 * People of a workspace: the API of users, teams and invitations, and console sign-in. What they are
 * and how they are stored is the access module's (`access/users/`, `access/sessions/`); this module
 * is their HTTP surface, which the access module cannot hold (the HTTP app imports it).
 */
export const peopleManifest: ModuleManifest = { name: 'people', routes: [lazyRoutes(() => import('./session-routes.js').then((m) => m.sessionRoutes)), lazyRoutes(() => import('./user-routes.js').then((m) => m.userRoutes))] };
