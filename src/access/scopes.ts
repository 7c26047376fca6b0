/**
 * API key scopes: coarse, by resource (`<resource>:read` and `<resource>:write`); `admin` grants
 * everything. Each scope grants a set of permissions (`permissions.ts`), which routes check.
 */
export const SCOPES = [
  'admin',
  'messages:read',
  'messages:write',
  'contacts:read',
  'contacts:write',
  'consent:write',
  'templates:read',
  'templates:write',
  'senders:read',
  'senders:write',
  'webhooks:read',
  'webhooks:write',
  'flows:read',
  'flows:write',
  'keys:read',
  'keys:write',
  'analytics:read',
  'audit:read',
] as const;

export type Scope = (typeof SCOPES)[number];

export const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);
