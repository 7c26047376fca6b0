import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStorage } from '../harness/storage.js';
import { appWithRouteTable, fillPath, injectRoute, madeUpParam, minimalBody, minimalHeaders, minimalQuery, type RouteEntry } from '../harness/route-table.js';
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS, permissionsOfScopes, type Permission, type Role } from '../../src/access/permissions.js';
import { SCOPES, type Scope } from '../../src/access/scopes.js';
import { scopeGranting } from '../../src/access/authorize.js';
import { createApiKey } from '../../src/access/api-key-queries.js';
import type { ParleyApp } from '../../src/http/types.js';
import { makeUser, signIn, type Signed } from '../people/helpers.js';

// The permission matrix, generated: every route the modules register (read from the route table)
// × a signed-in user of every role and an API key of every scope. Each cell must answer as the
// permission table (src/access/permissions.ts) says: without the route's permission, 403 naming it
// (PERMISSION_MISSING for a person, AUTH_SCOPE_MISSING for a key; a person's writes carry the CSRF
// token, so the refusal is about the permission); with it, anything but an authorization refusal
// (a minimal request may then fail validation, or find nothing behind a made-up id: authorization
// passed). A route added tomorrow is in the matrix without anyone listing it.

type Cell = { label: string; holds: ReadonlySet<Permission> } & ({ kind: 'session'; role: Role } | { kind: 'key'; scope: Scope });

/**
 * Refusals that come from the handler after authorization passed. The routes of the console session
 * itself are for sessions only (a key is answered 401 SESSION_MISSING), and the password change
 * checks the current password (the made-up one is wrong: 401 SIGN_IN_FAILED). A new key may hold no
 * scope its maker lacks, and the minimal body asks for the first scope, `admin` (403).
 */
const HANDLER_REFUSALS: Array<{ route: string; kind?: Cell['kind']; code: string }> = [
  { route: 'GET /v1/session', kind: 'key', code: 'SESSION_MISSING' },
  { route: 'DELETE /v1/session', kind: 'key', code: 'SESSION_MISSING' },
  { route: 'PUT /v1/session/password', kind: 'key', code: 'SESSION_MISSING' },
  { route: 'PUT /v1/session/password', kind: 'session', code: 'SIGN_IN_FAILED' },
  { route: 'POST /v1/api-keys', code: 'AUTH_SCOPE_MISSING' },
];

const READS = new Set(['GET', 'HEAD']);

describeStorage('the permission matrix: every route × every role and key scope', (fx) => {
  let app: ParleyApp;
  let routes: RouteEntry[];
  let open: Array<{ method: string; url: string }>;
  let workspaceId: string;
  const sessions = new Map<Role, { email: string; signed: Signed }>();
  const keys = new Map<Scope, string>();

  before(async () => {
    const ctx = fx.context();
    ({ app, routes, open } = await appWithRouteTable(fx, ctx));
    ({ workspaceId } = await fx.workspace(['admin']));
    for (const role of ROLES) {
      const user = await makeUser(ctx, workspaceId, role);
      sessions.set(role, { email: user.email, signed: await signIn(app, user.email) });
    }
    for (const scope of SCOPES) keys.set(scope, (await createApiKey(fx.db, { workspaceId, name: `matrix ${scope}`, scopes: [scope] })).key);
  });

  it('reads the route table: every /v1 and gateway operation of the OpenAPI document is in it (or is open), each with a known permission', async () => {
    const doc = (await app.inject('/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/') || path.startsWith('/graph/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`));
    const table = new Set([...routes, ...open].map((r) => `${r.method} ${r.url.replaceAll('::', ':')}`));
    assert.deepEqual(documented.filter((op) => !table.has(op)), []);
    assert.ok(routes.length > 100, `${routes.length} routes`);
    for (const r of routes) assert.ok((PERMISSIONS as readonly string[]).includes(r.permission), `${r.method} ${r.url}: ${r.permission}`);
  });

  it('answers every cell as the permission table says', async () => {
    const cells: Cell[] = [
      ...ROLES.map((role): Cell => ({ label: `role ${role}`, kind: 'session', role, holds: new Set(ROLE_PERMISSIONS[role]) })),
      ...SCOPES.map((scope): Cell => ({ label: `key ${scope}`, kind: 'key', scope, holds: permissionsOfScopes([scope]) })),
    ];
    const failures: string[] = [];
    let sent = 0;
    let allowed = 0;
    const getStatus = new Map<string, number>();
    // GET before HEAD, so a HEAD cell (no body to read) is compared with its GET twin.
    const ordered = [...routes].sort((a, b) => Number(a.method === 'HEAD') - Number(b.method === 'HEAD'));

    for (const cell of cells) {
      for (const route of ordered) {
        const name = `${route.method} ${route.url}`;
        const body = minimalBody(route);
        const headers: Record<string, string> = { ...minimalHeaders(route), ...(body ? { 'content-type': body.contentType } : {}) };
        if (cell.kind === 'session') {
          const { signed } = sessions.get(cell.role)!;
          headers.cookie = signed.cookie;
          if (!READS.has(route.method)) headers['x-csrf-token'] = signed.csrfToken;
        } else {
          headers.authorization = `Bearer ${keys.get(cell.scope)!}`;
        }
        const url = fillPath(route.url, (param) => madeUpParam(route, param)) + minimalQuery(route);
        const res = await injectRoute(app, route, { method: route.method, url, headers, ...(body ? { payload: body.payload } : {}) });
        sent++;
        const at = `${cell.label} × ${name}: ${res.statusCode}`;
        const json = (): { error?: { code?: unknown; details?: { requiredPermission?: unknown }; error_data?: { details?: string } } } => {
          try {
            return res.json();
          } catch {
            return {};
          }
        };

        if (!cell.holds.has(route.permission)) {
          if (res.statusCode !== 403) failures.push(`${at}, expected 403 (lacks ${route.permission}) ${res.body.slice(0, 160)}`);
          else if (route.method === 'HEAD') continue;
          else if (route.url.startsWith('/graph/')) {
            // The gateway answers in Meta's error envelope; its text names what is missing.
            const text = String(json().error?.error_data?.details ?? '');
            if (!text.includes(route.permission) && !text.includes(scopeGranting(route.permission))) failures.push(`${at}: the refusal does not name ${route.permission}: ${res.body.slice(0, 200)}`);
          } else {
            const error = json().error;
            const code = cell.kind === 'session' ? 'PERMISSION_MISSING' : 'AUTH_SCOPE_MISSING';
            if (error?.code !== code || error.details?.requiredPermission !== route.permission) failures.push(`${at}, expected ${code} naming ${route.permission}: ${res.body.slice(0, 200)}`);
          }
          continue;
        }

        allowed++;
        if (route.method === 'HEAD') {
          const twin = getStatus.get(`${cell.label} GET ${route.url}`);
          if (res.statusCode !== twin) failures.push(`${at}, expected ${twin} as GET answered`);
          continue;
        }
        if (route.method === 'GET') getStatus.set(`${cell.label} GET ${route.url}`, res.statusCode);
        const code = json().error?.code;
        const handlerRefusal = HANDLER_REFUSALS.some((h) => h.route === name && (h.kind ?? cell.kind) === cell.kind && h.code === code);
        if ((res.statusCode === 401 || res.statusCode === 403) && !handlerRefusal) failures.push(`${at}, holds ${route.permission} but was refused: ${res.body.slice(0, 200)}`);
        if (res.statusCode >= 500) failures.push(`${at}: ${res.body.slice(0, 200)}`);

        // A write may have ended the person's own session (sign-out): sign in again for the next cells.
        if (cell.kind === 'session' && !READS.has(route.method)) {
          const { signed, email } = sessions.get(cell.role)!;
          const alive = await app.inject({ method: 'GET', url: '/v1/session', headers: { cookie: signed.cookie } });
          if (alive.statusCode !== 200) sessions.set(cell.role, { email, signed: await signIn(app, email) });
        }
      }
    }
    assert.deepEqual(failures, [], `${failures.length} of ${sent} cells answered otherwise than the permission table says`);
    assert.ok(allowed > 200 && sent - allowed > 1000, `${allowed} allowed and ${sent - allowed} refused cells`);
    // The admin's writes (to made-up users among them) left the workspace its admin.
    const users = await app.inject({ url: '/v1/users', headers: { authorization: `Bearer ${keys.get('admin')!}` } });
    assert.ok((users.json().data as Array<{ role: string; status: string }>).some((u) => u.role === 'admin' && u.status === 'active'), users.body);
  });
});
