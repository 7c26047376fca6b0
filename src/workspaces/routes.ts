import { auditDiff } from '../access/audit-port.js';
import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { StringEnum, Nullable, Timestamp, iso } from '../http/schemas.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../access/api-key-queries.js';
import { getWorkspace } from './workspace-queries.js';
import { SCOPES } from '../access/scopes.js';
import { PERMISSIONS, SCOPE_PERMISSIONS } from '../access/permissions.js';

const ApiKey = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The visible start of the key, to tell keys apart.' }),
  scopes: Type.Array(Type.String()),
  createdAt: Timestamp(),
  lastUsedAt: Nullable(Timestamp()),
  revokedAt: Nullable(Timestamp()),
});
const present = (k: { id: string; name: string; prefix: string; scopes: string[]; createdAt: number; lastUsedAt: number | null; revokedAt: number | null }) => ({
  id: k.id,
  name: k.name,
  prefix: k.prefix,
  scopes: k.scopes,
  createdAt: iso(k.createdAt)!,
  lastUsedAt: iso(k.lastUsedAt),
  revokedAt: iso(k.revokedAt),
});

// Workspace and API key management (M9, M12).
export async function workspaceRoutes(app: ParleyApp, ctx: ParleyContext) {
  const security = [{ apiKey: [] }];

  app.get('/v1/workspace', {
    config: { permission: 'workspace.read' },
    schema: {
      tags: ['workspace'], summary: 'The workspace of the calling API key.', security,
      response: { 200: Type.Object({ id: Type.String(), name: Type.String(), region: Type.String(), createdAt: Type.String() }) },
    },
  }, async (request) => {
    const ws = await getWorkspace(ctx.db, request.principal!.workspaceId);
    if (!ws) throw new ParleyError('WORKSPACE_NOT_FOUND');
    return { id: ws.id, name: ws.name, region: ws.region, createdAt: new Date(ws.createdAt).toISOString() };
  });

  app.get('/v1/api-keys', {
    config: { permission: 'keys.read' },
    schema: { tags: ['workspace'], summary: 'List API keys (secrets are never shown again).', security, response: { 200: Type.Object({ data: Type.Array(ApiKey) }) } },
  }, async (request) => ({ data: (await listApiKeys(ctx.db, request.principal!.workspaceId)).map(present) }));

  app.get('/v1/api-keys/scopes', {
    config: { permission: 'keys.read' },
    schema: {
      tags: ['workspace'], summary: 'The scopes a key can be given and the permissions each grants.', security,
      response: { 200: Type.Object({ data: Type.Array(Type.Object({ scope: StringEnum(SCOPES), permissions: Type.Array(StringEnum(PERMISSIONS)) })) }) },
    },
  }, async () => ({ data: SCOPES.map((scope) => ({ scope, permissions: [...SCOPE_PERMISSIONS[scope]] })) }));

  app.post('/v1/api-keys', {
    config: { permission: 'keys.manage', audit: 'api_key.created' },
    schema: {
      tags: ['workspace'], summary: 'Create an API key. The key is in the response once and never again.', security,
      body: Type.Object({
        name: Type.String({ minLength: 1, maxLength: 100 }),
        scopes: Type.Array(StringEnum(SCOPES), { minItems: 1, uniqueItems: true }),
      }, { additionalProperties: false }),
      response: { 201: Type.Composite([ApiKey, Type.Object({ key: Type.String() })]) },
    },
  }, async (request, reply) => {
    const principal = request.principal!;
    // A key (or a person) can hand out only what it holds itself: every permission of each scope.
    const excess = request.body.scopes.filter((scope) => !SCOPE_PERMISSIONS[scope].every((p) => principal.permissions.has(p)));
    if (excess.length) {
      throw new ParleyError('AUTH_SCOPE_MISSING', { message: `A key cannot grant scopes it does not hold: ${excess.join(', ')}.`, field: '/scopes', details: { requiredScope: excess[0] } });
    }
    const { key, info } = await createApiKey(ctx.db, { workspaceId: principal.workspaceId, name: request.body.name, scopes: request.body.scopes });
    const resource = { type: 'api_key', id: info.id };
    request.audit({ resource, diff: auditDiff(resource, undefined, { name: info.name, scopes: request.body.scopes, key: true }, ['key']) });
    return reply.status(201).send({ ...present(info), key });
  });

  app.delete('/v1/api-keys/:id', {
    config: { permission: 'keys.manage', audit: 'api_key.revoked' },
    schema: { tags: ['workspace'], summary: 'Revoke an API key; it stops working at once.', security, params: Type.Object({ id: Type.String() }), response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const found = await revokeApiKey(ctx.db, request.params.id, request.principal!.workspaceId);
    // Revocation is immediate in this process; other processes see it within Authenticator.KEY_TTL_MS.
    ctx.authenticator.forgetKeys();
    if (!found) throw new ParleyError('API_KEY_NOT_FOUND');
    return reply.status(204).send(null);
  });
}
