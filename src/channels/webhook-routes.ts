import type { TSchema } from '@sinclair/typebox';
import type { ParleyError } from '../errors/parley-error.js';

/**
 * The webhook endpoints an adapter declares (`ChannelAdapter.webhookRoutes`): where its provider posts
 * deliveries (and any handshake), how a request is read and authenticated. The webhooks module
 * registers them, keeps the raw body, stores an accepted delivery in its log and answers; the secrets
 * and the sender lookup stay its own, lent to a route as a `WebhookGuard`.
 */

/** What a route may ask of the webhooks module to authenticate a request. */
export interface WebhookGuard {
  /** Whether `token` is one of the configured verify tokens (Meta's subscription handshake). */
  matchesVerifyToken(token: string | undefined): boolean;
  /** Whether `signature` (`sha256=<hex>`) signs `body` with one of the configured app secrets. */
  verifySignature(body: Buffer, signature: string | undefined): boolean;
  /** How many app secrets are configured (none: no signed delivery can be verified). */
  readonly appSecretCount: number;
  /**
   * The sender of a linked session (UltraMsg's instance) when `presented` is its webhook secret;
   * undefined when the session is unknown, has no secret or another one (all alike, in the same time).
   */
  authenticateSession(sessionId: string | undefined, presented: string | undefined): Promise<{ senderId: string } | undefined>;
}

/** A request to a webhook route: the body as raw bytes (empty without one), its headers and query. */
export interface WebhookRequest {
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, string | undefined>;
}

/** What becomes of a request to a webhook route. */
export type WebhookAnswer =
  /** Answered 200 (`text/plain`) with `text`; nothing is stored (a handshake). */
  | { kind: 'reply'; text: string }
  /** Stored in the webhook log with these headers (and the sender, when the route authenticated it), then answered 200 `OK`. */
  | { kind: 'store'; senderId: string | null; headers: Record<string, string> }
  /** Refused with `error`; counted under `result` in the deliveries metric when one is given. */
  | { kind: 'refuse'; error: ParleyError; result?: string };

export interface WebhookRoute {
  method: 'GET' | 'POST';
  /** The public path, under `/webhooks/`. */
  path: string;
  /** The route takes a delivery body (read as raw bytes, up to `PARLEY_WEBHOOK_BODY_LIMIT_BYTES`). */
  delivery: boolean;
  /** The route's schema as the API documents it (`/openapi.json`). */
  schema: {
    tags: string[];
    summary: string;
    description?: string;
    querystring?: TSchema;
    headers?: TSchema;
    produces: string[];
    response?: Record<number, TSchema>;
  };
  handle(request: WebhookRequest, guard: WebhookGuard): Promise<WebhookAnswer>;
}
