import type { FastifyRequest } from 'fastify';
import { apiKeyActor, type Actor } from '../access/actor.js';
import { AUDIT_ACTION, type AuditDiff, type AuditOrigin, type AuditResource } from '../access/audit-port.js';
import type { ParleyContext } from '../runtime/context.js';

/** Where a request came from, as the audit trail keeps it: address, user agent, request id. */
export function requestOrigin(request: FastifyRequest): AuditOrigin {
  const agent = request.headers['user-agent'];
  return { address: request.ip ?? null, userAgent: typeof agent === 'string' ? agent : null, requestId: request.id };
}

/** Who made an authenticated request: its principal (a person or a key), or its API key. */
export function requestActor(request: FastifyRequest): Actor | undefined {
  return request.principal?.actor ?? (request.auth ? apiKeyActor(request.auth) : undefined);
}

/**
 * What a route records in the audit trail after a successful answer (`config.audit`):
 *
 * - an action (`'contact.updated'`): the app records one entry of it once the handler has answered
 *   2xx, before the answer leaves; the resource is of the action's first word (`contact`) with the
 *   path's `:id`, unless the handler says otherwise with `request.audit({ ... })`;
 * - `{ action, inTransaction: true }`: the handler writes its entries in the change's own transaction
 *   (sends: `message.accepted` with the accept's group commit), so the app records nothing itself;
 * - `{ unaudited: reason }`: a write that is deliberately not recorded here, and why.
 */
export type RouteAudit = string | { readonly action: string; readonly inTransaction: true } | { readonly unaudited: string };

/** What a handler adds to its route's audit entry (`request.audit(...)`). */
export interface RequestAuditDetails {
  /** The resource's id (when the path has no `:id`, or names something else), or the whole resource. */
  readonly id?: string | null;
  readonly resource?: AuditResource;
  /** Build it with `auditDiff` (`access/audit-port.ts`): secrets and personal data become references. */
  readonly diff?: AuditDiff | null;
  /** Another action than the route's (one route, two kinds of change). */
  readonly action?: string;
  /** On a route without a principal (accepting an invitation): who acted, and in which workspace. */
  readonly actor?: Actor;
  readonly workspaceId?: string;
}

/** The action a route declares, if it records one itself after answering. */
export function auditedAction(audit: RouteAudit | undefined): string | undefined {
  return typeof audit === 'string' ? audit : undefined;
}

/** Why a route's audit declaration cannot stand (checked at boot), or undefined. */
export function auditDeclarationProblem(audit: RouteAudit | undefined): string | undefined {
  if (audit === undefined) return undefined;
  if (typeof audit === 'string') return AUDIT_ACTION.test(audit) ? undefined : `its audit action ${JSON.stringify(audit)} is not of the form <resource>.<verb>`;
  if ('unaudited' in audit) return audit.unaudited.trim() ? undefined : 'an unaudited route must say why';
  return AUDIT_ACTION.test(audit.action) ? undefined : `its audit action ${JSON.stringify(audit.action)} is not of the form <resource>.<verb>`;
}

export interface RequestAudit {
  readonly action: string;
  readonly resource: AuditResource;
  /** Build it with `auditDiff` (`access/audit-port.ts`): secrets and personal data become references. */
  readonly diff?: AuditDiff | null;
  /** Who acted, when not the request's principal (or key). */
  readonly actor?: Actor;
  /** The workspace, when the request has no principal. */
  readonly workspaceId?: string;
}

/**
 * Records what an authenticated request did (a change, or a read of personal data) in its workspace's
 * audit trail: the actor is the request's principal (or its API key), the origin its address, user
 * agent and request id. Resolves once the entry is committed.
 */
export function recordRequestAudit(ctx: ParleyContext, request: FastifyRequest, audit: RequestAudit): Promise<void> {
  const workspaceId = audit.workspaceId ?? request.principal?.workspaceId ?? request.auth?.workspaceId;
  const actor = audit.actor ?? requestActor(request);
  if (!workspaceId || !actor) throw new Error(`An audit entry (${audit.action}) needs an authenticated request.`);
  return ctx.audit.record({ workspaceId, actor, action: audit.action, resource: audit.resource, diff: audit.diff ?? null, origin: requestOrigin(request) });
}

/**
 * Records the entry of a route that declares its action, after a 2xx answer: the handler's details
 * over the route's defaults (the action's resource type, the path's `:id`). Nothing when the handler
 * said `request.audit(false)`.
 */
export function recordRouteAudit(ctx: ParleyContext, request: FastifyRequest, action: string): Promise<void> | undefined {
  const details = request.auditDetails;
  if (details === false) return undefined;
  const chosen = details?.action ?? action;
  const params = request.params as Record<string, unknown> | undefined;
  const pathId = typeof params?.id === 'string' ? params.id : null;
  const resource = details?.resource ?? { type: chosen.slice(0, chosen.indexOf('.')), id: details?.id !== undefined ? details.id : pathId };
  return recordRequestAudit(ctx, request, { action: chosen, resource, diff: details?.diff ?? null, actor: details?.actor, workspaceId: details?.workspaceId });
}
