import type { FastifyInstance } from 'fastify';
import type { EmulatorCore } from '../../core.js';
import { checkToken, graph, graphPaths } from '../auth.js';
import { MetaError, unknownObject } from '../errors.js';
import { templateResource } from './template-store.js';
import { createTemplate } from './operations.js';
import { validateTemplateCreate } from './validate-create.js';

type Params = { wabaId: string };
type Query = Record<string, string | undefined>;

/** Template management: `POST | GET | DELETE /{version}/{waba_id}/message_templates`. */
export function registerTemplateRoutes(app: FastifyInstance, core: EmulatorCore): void {
  const waba = (params: Params, method: string) => {
    if (params.wabaId !== core.config.wabaId) throw unknownObject(params.wabaId, method);
  };

  for (const url of graphPaths('/:wabaId/message_templates')) app.post<{ Params: Params }>(url, (request, reply) =>
    graph(reply, () => {
      checkToken(core, request);
      waba(request.params, 'POST');
      const input = validateTemplateCreate(request.body);
      const live = core.state.templates.find((t) => t.name === input.name && t.language === input.language && t.status !== 'DELETED');
      if (live) throw new MetaError(100, `Content in this language already exists: ${input.name} (${input.language}).`, { subcode: 2388024 });
      const template = createTemplate(core, input);
      return { id: template.id, status: template.status, category: template.category };
    }),
  );

  for (const url of graphPaths('/:wabaId/message_templates')) app.get<{ Params: Params; Querystring: Query }>(url, (request, reply) =>
    graph(reply, () => {
      checkToken(core, request);
      waba(request.params, 'GET');
      const q = request.query;
      const limit = Math.min(Math.max(Number(q.limit ?? 25) || 25, 1), 1000);
      const start = q.after ? Number(Buffer.from(q.after, 'base64url').toString()) || 0 : 0;
      const matching = core.state.templates.filter(
        (t) =>
          t.status !== 'DELETED' &&
          (!q.name || t.name.includes(q.name)) &&
          (!q.status || t.status === q.status.toUpperCase()) &&
          (!q.language || t.language === q.language) &&
          (!q.category || t.category === q.category.toUpperCase()),
      );
      const page = matching.slice(start, start + limit);
      const cursor = (n: number) => Buffer.from(String(n)).toString('base64url');
      const paging: Record<string, unknown> = { cursors: { before: cursor(start), after: cursor(start + page.length) } };
      if (start + page.length < matching.length) paging.next = `${core.baseUrl}${request.url.split('?')[0]}?limit=${limit}&after=${cursor(start + page.length)}`;
      return { data: page.map(templateResource), paging };
    }),
  );

  for (const url of graphPaths('/:wabaId/message_templates')) app.delete<{ Params: Params; Querystring: Query }>(url, (request, reply) =>
    graph(reply, () => {
      checkToken(core, request);
      waba(request.params, 'DELETE');
      const { name, hsm_id: hsmId } = request.query;
      if (!name) throw new MetaError(131008, 'The parameter name is required.');
      const targets = core.state.templates.filter((t) => t.name === name && t.status !== 'DELETED' && (!hsmId || t.id === hsmId));
      if (!targets.length) throw new MetaError(100, `Message template not found: ${name}${hsmId ? ` (${hsmId})` : ''}.`, { subcode: 2593002 });
      for (const t of targets) t.status = 'DELETED';
      return { success: true };
    }),
  );
}
