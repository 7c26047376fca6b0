import type { FastifyRequest } from 'fastify';
import { apiKeyActor, type Actor } from '../access/actor.js';
import type { AuditDiff, AuditOrigin, AuditResource } from '../access/audit-port.js';
import type { ParleyContext } from '../runtime/context.js';

/** Where a request came from, as the audit trail keeps it: address, user agent, request id. */
export function requestOrigin(request: FastifyRequest): AuditOrigin {
  const agent = request.headers['user-agent'];
  return { address: request.ip ?? null, userAgent: typeof agent === 'string' ? agent : null, requestId: request.id };
}

export interface RequestAudit {
  readonly action: string;
  readonly resource: AuditResource;
  /** Build it with `auditDiff` (`access/audit-port.ts`): secrets and personal data become references. */
  readonly diff?: AuditDiff | null;
  /** Who acted, when not the request's principal (or key). */
  readonly actor?: Actor;
}

/**
 * Records what an authenticated request did (a change, or a read of personal data) in its workspace's
 * audit trail: the actor is the request's principal (or its API key), the origin its address, user
 * agent and request id. Resolves once the entry is committed.
 */
export function recordRequestAudit(ctx: ParleyContext, request: FastifyRequest, audit: RequestAudit): Promise<void> {
  const workspaceId = request.principal?.workspaceId ?? request.auth?.workspaceId;
  const actor = audit.actor ?? request.principal?.actor ?? (request.auth ? apiKeyActor(request.auth) : undefined);
  if (!workspaceId || !actor) throw new Error(`An audit entry (${audit.action}) needs an authenticated request.`);
  return ctx.audit.record({ workspaceId, actor, action: audit.action, resource: audit.resource, diff: audit.diff ?? null, origin: requestOrigin(request) });
}
