import { ParleyError } from '../errors/parley-error.js';
import { apiKeyActor } from './actor.js';
import type { AuthContext } from './authenticator.js';
import { permissionsOfScopes, type Permission } from './permissions.js';
import { holds, type Principal } from './principal.js';

/** The principal of a request made with an API key: the permissions of its scopes, every team. */
export function keyPrincipal(auth: AuthContext): Principal {
  return { workspaceId: auth.workspaceId, actor: apiKeyActor(auth), permissions: permissionsOfScopes(auth.scopes), teams: null };
}

/** Refuses (403, the missing permission named) unless the principal holds `permission`. */
export function requirePermission(principal: Principal, permission: Permission): void {
  if (holds(principal, permission)) return;
  throw new ParleyError('PERMISSION_MISSING', {
    message: `This needs the permission "${permission}".`,
    details: { requiredPermission: permission, held: [...principal.permissions].sort() },
  });
}
