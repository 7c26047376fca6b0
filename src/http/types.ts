import type { ParleyContext } from '../runtime/context.js';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AuthContext } from '../access/authenticator.js';
import type { Permission } from '../access/permissions.js';
import type { Principal } from '../access/principal.js';
import type { SessionRecord } from '../access/sessions/session-queries.js';
import type { RequestAuditDetails, RouteAudit } from './audit.js';

/** The Fastify instance type every route module receives. */
export type ParleyApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission this route needs (`access/permissions.ts`); every `/v1` and gateway route names one. A key holds the permissions of its scopes, a person those of their role. */
    permission?: Permission;
    /** Marks a route as deliberately open (operations, webhooks with their own authentication). */
    public?: boolean;
    /**
     * What a successful answer records in the audit trail (`http/audit.ts`): every write under `/v1`
     * and `/graph` and every read that shows personal data names its action; the app refuses to boot
     * when a write names none.
     */
    audit?: RouteAudit;
  }
  interface FastifyRequest {
    /** Set on authenticated routes. */
    auth?: AuthContext;
    /** Who is asking, on routes that declare a permission. */
    principal?: Principal;
    /** Set when the request was authenticated by a console session cookie. */
    consoleSession?: SessionRecord;
    /**
     * What only the handler knows of the audit entry its route records (the resource's id, the diff),
     * or `false` when this answer holds nothing to record (a read shown without personal data).
     */
    audit(details: RequestAuditDetails | false): void;
    /** What the handler gave `audit` (null: the route's defaults). */
    auditDetails: RequestAuditDetails | false | null;
  }
}

/** A module's HTTP routes, registered in their own Fastify scope. */
export type RouteModule = (app: ParleyApp, ctx: ParleyContext) => Promise<void> | void;

/** What the modules give the HTTP app: their routes, and what to forget after an API write (caches). */
export interface AppParts {
  readonly routes: readonly RouteModule[];
  readonly afterWrite?: ReadonlyArray<(ctx: ParleyContext) => void>;
}
