/**
 * API key scopes. A route names the one scope it needs; `admin` grants every scope.
 * Keep scopes coarse and by resource: `<resource>:read` and `<resource>:write`.
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
  'keys:read',
  'keys:write',
  'analytics:read',
] as const;

export type Scope = (typeof SCOPES)[number];

export const isScope = (value: string): value is Scope => (SCOPES as readonly string[]).includes(value);

export function grants(held: readonly string[], needed: Scope): boolean {
  return held.includes('admin') || held.includes(needed);
}
