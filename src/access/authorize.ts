import { ParleyError } from '../errors/parley-error.js';
import { apiKeyActor } from './actor.js';
import type { AuthContext } from './authenticator.js';
import { SCOPE_PERMISSIONS, permissionsOfScopes, type Permission } from './permissions.js';
import { SCOPES, type Scope } from './scopes.js';
import { holds, type Principal } from './principal.js';

/** The principal of a request made with an API key: the permissions of its scopes, every team. */
export function keyPrincipal(auth: AuthContext): Principal {
  return { workspaceId: auth.workspaceId, actor: apiKeyActor(auth), permissions: permissionsOfScopes(auth.scopes), teams: null, scopes: auth.scopes };
}

/** The scope that grants `permission` to a key (scopes grant disjoint sets; `admin` grants all). */
export function scopeGranting(permission: Permission): Scope {
  const scope = SCOPES.find((s) => s !== 'admin' && SCOPE_PERMISSIONS[s].includes(permission));
  return scope ?? 'admin';
}

/** Refuses (403, the missing permission named) unless the principal holds `permission`. */
export function requirePermission(principal: Principal, permission: Permission): void {
  if (holds(principal, permission)) return;
  if (principal.scopes) {
    // A key is told the scope it lacks, as before permissions existed, and the permission beside it.
    const scope = scopeGranting(permission);
    throw new ParleyError('AUTH_SCOPE_MISSING', {
      message: `The API key lacks the scope "${scope}".`,
      details: { requiredScope: scope, requiredPermission: permission, keyScopes: principal.scopes },
    });
  }
  throw new ParleyError('PERMISSION_MISSING', {
    message: `This needs the permission "${permission}".`,
    details: { requiredPermission: permission, held: [...principal.permissions].sort() },
  });
}
