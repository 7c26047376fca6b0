import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small stand-in for Meta's template management endpoints, speaking Meta's documented shapes
 * (create, list with cursor paging, delete, edit; the error envelope; bearer tokens). Used until the
 * emulator with its review step lands on main. Every request is recorded for assertions.
 */
export interface FakeTemplate {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  components: unknown[];
  rejected_reason?: string;
  quality_score?: { score: string; date: number };
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  authorization?: string;
  body: unknown;
}

export class FakeGraph {
  readonly token = 'EAAG-test-token';
  readonly templates: FakeTemplate[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Status a created template starts in. */
  createStatus = 'PENDING';
  /** The next response, instead of the normal one (error injection). */
  nextFailure?: { status: number; body: unknown };
  #server?: Server;
  #nextId = 1_689_556_908_129_900n;
  url = '';

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      void this.#handle(req).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()) ?? resolve());
  }

  add(template: Omit<FakeTemplate, 'id'> & { id?: string }): FakeTemplate {
    const t = { ...template, id: template.id ?? String(this.#nextId++) };
    this.templates.push(t);
    return t;
  }

  find(name: string, language: string): FakeTemplate | undefined {
    return this.templates.find((t) => t.name === name && t.language === language);
  }

  async #handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const body = text ? JSON.parse(text) : undefined;
    this.requests.push({ method: req.method!, path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization, body });
    if (this.nextFailure) {
      const failure = this.nextFailure;
      this.nextFailure = undefined;
      return failure;
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      return { status: 401, body: { error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: 'AbCdEf' } } };
    }
    const parts = url.pathname.split('/').filter(Boolean);
    if (parts.length === 3 && parts[2] === 'message_templates') {
      if (req.method === 'POST') {
        if (this.find(body.name, body.language)) {
          return { status: 400, body: { error: { message: 'Invalid parameter', type: 'OAuthException', code: 100, error_subcode: 2388024, error_user_msg: 'Message template already exists in this language', fbtrace_id: 'x' } } };
        }
        const t = this.add({ name: body.name, language: body.language, status: this.createStatus, category: body.category, components: body.components });
        return { status: 200, body: { id: t.id, status: t.status, category: t.category } };
      }
      if (req.method === 'GET') {
        const limit = Number(url.searchParams.get('limit') ?? 25);
        const start = Number(url.searchParams.get('after') ?? 0);
        const matching = this.templates.filter((t) => !url.searchParams.get('name') || t.name === url.searchParams.get('name'));
        const page = matching.slice(start, start + limit);
        const end = start + page.length;
        return {
          status: 200,
          body: { data: page, paging: { cursors: { before: String(start), after: String(end) }, ...(end < matching.length ? { next: `${this.url}${url.pathname}?after=${end}` } : {}) } },
        };
      }
      if (req.method === 'DELETE') {
        const before = this.templates.length;
        for (let i = this.templates.length - 1; i >= 0; i--) {
          const t = this.templates[i];
          if (t.name === url.searchParams.get('name') && (!url.searchParams.get('hsm_id') || t.id === url.searchParams.get('hsm_id'))) this.templates.splice(i, 1);
        }
        return before === this.templates.length ? { status: 400, body: { error: { message: 'Template not found', type: 'OAuthException', code: 100, fbtrace_id: 'x' } } } : { status: 200, body: { success: true } };
      }
    }
    if (parts.length === 2 && req.method === 'POST') {
      const t = this.templates.find((x) => x.id === parts[1]);
      if (!t) return { status: 400, body: { error: { message: 'Unsupported post request.', type: 'GraphMethodException', code: 100, fbtrace_id: 'x' } } };
      t.components = body.components;
      if (body.category) t.category = body.category;
      t.status = 'PENDING';
      return { status: 200, body: { success: true } };
    }
    return { status: 404, body: { error: { message: 'Unknown path', type: 'GraphMethodException', code: 100, fbtrace_id: 'x' } } };
  }
}
