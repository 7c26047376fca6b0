import { buildApp } from '../../src/http/app.js';
import { APP } from '../../src/main/modules.js';
import type { Permission } from '../../src/access/permissions.js';
import type { ParleyApp, RouteModule } from '../../src/http/types.js';
import type { ParleyContext } from '../../src/runtime/context.js';
import type { StorageFixture } from './storage.js';
import { isObject, sample, type Json, type Schema } from './schema-sample.js';

/** A route as the app registered it: what the permission matrix and the isolation test walk. */
export interface RouteEntry {
  method: string;
  /** Fastify's form: `/v1/contacts/:id`, `/v1/messages::batch`. */
  url: string;
  permission: Permission;
  schema: { params?: Schema; querystring?: Schema; headers?: Schema; body?: Schema };
}

/**
 * Builds the app from the modules' routes as the composition root does, and collects every route
 * that declares a permission (and, apart, those declared open) from Fastify's `onRoute` hook, in each module's scope (no list is
 * written by hand: a new route is in the table as soon as a module registers it).
 */
export async function appWithRouteTable(fx: StorageFixture, ctx: ParleyContext): Promise<{ app: ParleyApp; routes: RouteEntry[]; open: Array<{ method: string; url: string }> }> {
  const routes: RouteEntry[] = [];
  const open: Array<{ method: string; url: string }> = [];
  const collecting = (register: RouteModule): RouteModule => (scoped, c) => {
    scoped.addHook('onRoute', (route) => {
      const permission = route.config?.permission;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (permission) routes.push({ method, url: route.url, permission, schema: (route.schema ?? {}) as RouteEntry['schema'] });
        else if (route.config?.public) open.push({ method, url: route.url });
      }
    });
    return register(scoped, c);
  };
  const app = await buildApp(ctx, { ...APP, routes: APP.routes.map(collecting) });
  fx.onTearDown(() => app.close());
  await app.ready();
  return { app, routes, open };
}

/** The names of a route's path parameters (`::` is an escaped colon, not a parameter). */
export const pathParams = (url: string): string[] => [...url.replaceAll('::', '').matchAll(/:([A-Za-z_]\w*)/g)].map((m) => m[1]);

/** The route's URL with each path parameter replaced by `value(name)`, percent-encoded. */
export const fillPath = (url: string, value: (name: string) => string): string =>
  url
    .replaceAll('::', '\u0000')
    .replace(/:([A-Za-z_]\w*)/g, (_m, name: string) => encodeURIComponent(value(name)))
    .replaceAll('\u0000', ':');

/** A made-up value for a path parameter that its schema accepts. */
export function madeUpParam(route: RouteEntry, name: string): string {
  const schema = isObject(route.schema.params?.properties) ? (route.schema.params.properties as Record<string, Schema>)[name] : undefined;
  if (schema && (typeof schema.pattern === 'string' || Array.isArray(schema.enum))) return String(sample(schema));
  return 'x_unknown';
}

/** A minimal request body for a route: its content type and payload, or nothing when it takes no body. */
export function minimalBody(route: RouteEntry): { contentType: string; payload: string } | undefined {
  const body = route.schema.body;
  if (!body) return undefined;
  if (isObject(body.content)) {
    const [type, media] = Object.entries(body.content as Record<string, { schema: Schema }>)[0];
    return type === 'application/json' ? { contentType: type, payload: JSON.stringify(sample(media.schema)) } : { contentType: type, payload: String(sample(media.schema)) };
  }
  return { contentType: 'application/json', payload: JSON.stringify(sample(body)) };
}

/** A query string with the route's required query values, or ''. */
export function minimalQuery(route: RouteEntry): string {
  const q = route.schema.querystring;
  if (!q) return '';
  const values = sample(q) as Record<string, Json>;
  const entries = Object.entries(values ?? {}).filter(([name]) => ((q.required as string[] | undefined) ?? []).includes(name));
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]): [string, string] => [k, String(v)])).toString()}` : '';
}

/** The route's required headers, with minimal values. */
export function minimalHeaders(route: RouteEntry): Record<string, string> {
  const h = route.schema.headers;
  if (!h) return {};
  const values = sample(h) as Record<string, Json>;
  return Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, String(v)]));
}

/** Routes that answer with a stream that stays open (server-sent events): they are read up to their headers. */
export const STREAMING_ROUTES = new Set(['GET /v1/stream']);

/**
 * `app.inject` for a route of the table: a streaming route's open stream is closed once its status and
 * headers arrived (its refusals are ordinary answers, read whole).
 */
export async function injectRoute(app: ParleyApp, route: RouteEntry, options: { method: string; url: string; headers: Record<string, string>; payload?: string }): Promise<{ statusCode: number; body: string; json: () => any }> {
  if (!STREAMING_ROUTES.has(`${route.method} ${route.url}`)) {
    const res = await app.inject({ ...options, method: options.method as 'GET' });
    return { statusCode: res.statusCode, body: res.body, json: () => res.json() };
  }
  const res = await app.inject({ ...options, method: options.method as 'GET', payloadAsStream: true });
  const stream = res.stream();
  if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
    stream.destroy();
    return { statusCode: res.statusCode, body: '', json: () => ({}) };
  }
  let body = '';
  for await (const chunk of stream) body += String(chunk);
  return { statusCode: res.statusCode, body, json: () => JSON.parse(body) };
}
