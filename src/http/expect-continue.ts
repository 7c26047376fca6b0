import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ParleyError } from '../errors/parley-error.js';
import { newId } from '../shared/ids.js';

/**
 * The body limit of every route, found by method and path without running the router (so it can be
 * read before the body is sent). Routes register here from the app's onRoute hook.
 */
export class RouteBodyLimits {
  readonly #routes: Array<{ methods: string[]; pattern: RegExp; limit: number }> = [];

  constructor(readonly defaultLimit: number) {}

  add(method: string | string[], url: string, limit: number | undefined): void {
    if (limit === undefined) return;
    // `:name` is a parameter, `::` a literal colon, `*` the rest of the path.
    const source = url
      .split('::')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+').replace(/\*/g, '.*'))
      .join(':');
    this.#routes.push({ methods: (Array.isArray(method) ? method : [method]).map((m) => m.toUpperCase()), pattern: new RegExp(`^${source}/?$`), limit });
  }

  limitFor(method: string, path: string): number {
    return this.#routes.find((r) => r.methods.includes(method) && r.pattern.test(path))?.limit ?? this.defaultLimit;
  }
}

/**
 * Answers `Expect: 100-continue` itself (Node's 'checkContinue' event): a declared Content-Length
 * over the route's body limit gets 413 at once, before the client sends the body; any other request
 * gets `100 Continue` and goes to the app. Without this, Node sends `100 Continue` unconditionally,
 * the client starts sending a body the app will refuse, and the connection is closed under it.
 */
export function answerExpectContinue(server: Server, limits: RouteBodyLimits, onRefused: (code: 'REQUEST_TOO_LARGE') => void): void {
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    const declared = Number(req.headers['content-length']);
    const path = (req.url ?? '/').split('?')[0];
    const limit = limits.limitFor(req.method ?? 'GET', path);
    if (Number.isFinite(declared) && declared > limit) {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(incoming) ? incoming : newId('req');
      const error = new ParleyError('REQUEST_TOO_LARGE', { message: `The request body (${declared} bytes) is larger than this endpoint accepts (${limit} bytes).`, details: { limit } });
      const body = JSON.stringify(error.toBody(id));
      onRefused('REQUEST_TOO_LARGE');
      res.writeHead(error.status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'x-request-id': id, connection: 'close' });
      res.end(body);
      return;
    }
    res.writeContinue();
    server.emit('request', req, res);
  });
}
