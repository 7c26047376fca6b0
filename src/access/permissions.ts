import type { Scope } from './scopes.js';

/**
 * The closed set of permissions. Every route declares the one permission it needs
 * (`config.permission`); a person holds the permissions of their role (`ROLE_PERMISSIONS`), an API key
 * those of its scopes (`SCOPE_PERMISSIONS`). Names are `<resource>.<action>`; an action that exposes
 * personal data says so (`contacts.read_pii`), so that a role without it never sees a phone number.
 */
export const PERMISSIONS = [
  'workspace.read',
  'keys.read',
  'keys.manage',
  'users.read',
  'users.manage',
  'messages.send',
  'messages.read',
  'messages.read_content',
  'messages.cancel',
  'media.upload',
  'contacts.read',
  'contacts.read_pii',
  'contacts.write',
  'contacts.import',
  'contacts.export',
  'contacts.erase',
  'consent.read',
  'consent.write',
  'consent.policy',
  'privacy.read',
  'privacy.manage',
  'templates.read',
  'templates.write',
  'templates.submit',
  'templates.settings',
  'senders.read',
  'senders.manage',
  'webhooks.read',
  'webhooks.manage',
  'conversations.read',
  'conversations.reply',
  'conversations.assign',
  'flows.read',
  'flows.manage',
  'settings.manage',
  'audit.read',
  'analytics.read',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const isPermission = (value: string): value is Permission => (PERMISSIONS as readonly string[]).includes(value);

export const ROLES = ['admin', 'supervisor', 'agent', 'analyst', 'developer'] as const;
export type Role = (typeof ROLES)[number];
export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

const ALL: readonly Permission[] = PERMISSIONS;

/**
 * What each role may do. Least privilege: an analyst sees figures and message metadata but no
 * personal data; a developer wires keys, webhooks, senders, templates and bot flows but reads no
 * contact; an agent talks to customers (their own teams' conversations, see `teams` on the principal)
 * and records what they say about consent; a supervisor runs the agents and the bot flows that answer
 * before them; an admin does everything.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  admin: ALL,
  supervisor: [
    'workspace.read', 'users.read',
    'messages.send', 'messages.read', 'messages.read_content', 'messages.cancel', 'media.upload',
    'contacts.read', 'contacts.read_pii', 'contacts.write', 'contacts.import', 'contacts.export',
    'consent.read', 'consent.write',
    'privacy.read',
    'templates.read',
    'senders.read',
    'conversations.read', 'conversations.reply', 'conversations.assign',
    'flows.read', 'flows.manage',
    'analytics.read', 'audit.read',
  ],
  agent: [
    'workspace.read',
    'messages.read', 'messages.read_content', 'media.upload',
    'contacts.read', 'contacts.read_pii', 'contacts.write',
    'consent.read', 'consent.write',
    'templates.read',
    'conversations.read', 'conversations.reply',
  ],
  analyst: ['workspace.read', 'messages.read', 'contacts.read', 'consent.read', 'templates.read', 'senders.read', 'flows.read', 'analytics.read'],
  developer: [
    'workspace.read', 'keys.read', 'keys.manage',
    'messages.send', 'messages.read', 'messages.cancel', 'media.upload',
    'templates.read', 'templates.write', 'templates.submit', 'templates.settings',
    'senders.read', 'senders.manage',
    'webhooks.read', 'webhooks.manage',
    'flows.read', 'flows.manage',
    'analytics.read',
  ],
};

/**
 * What each API key scope grants. Scopes predate roles and stay the API's word for a key's rights;
 * the sets are disjoint (apart from `admin`, which grants everything), so a key reaches exactly the
 * routes its scopes reached before permissions existed.
 */
export const SCOPE_PERMISSIONS: Readonly<Record<Scope, readonly Permission[]>> = {
  admin: ALL,
  'messages:read': ['messages.read', 'messages.read_content'],
  'messages:write': ['messages.send', 'messages.cancel', 'media.upload'],
  'contacts:read': ['contacts.read', 'contacts.read_pii', 'contacts.export', 'consent.read', 'privacy.read'],
  'contacts:write': ['contacts.write', 'contacts.import', 'contacts.erase', 'privacy.manage'],
  'consent:write': ['consent.write', 'consent.policy'],
  'templates:read': ['templates.read'],
  'templates:write': ['templates.write', 'templates.submit', 'templates.settings'],
  'senders:read': ['senders.read'],
  'senders:write': ['senders.manage'],
  'webhooks:read': ['webhooks.read'],
  'webhooks:write': ['webhooks.manage'],
  // For a deployment pipeline that keeps the workspace's bot flows in version control.
  'flows:read': ['flows.read'],
  'flows:write': ['flows.manage'],
  'keys:read': ['keys.read', 'workspace.read'],
  'keys:write': ['keys.manage'],
  'analytics:read': ['analytics.read'],
  // For a SIEM or an archive that pulls the trail and its checkpoints.
  'audit:read': ['audit.read'],
};

const ROLE_SETS = new Map<Role, ReadonlySet<Permission>>(ROLES.map((role) => [role, new Set(ROLE_PERMISSIONS[role])]));

export function permissionsOfRole(role: Role): ReadonlySet<Permission> {
  return ROLE_SETS.get(role)!;
}

/** The sets of the scope lists keys hold (few distinct ones): every request with a key asks for one. */
const scopeSets = new Map<string, ReadonlySet<Permission>>();

export function permissionsOfScopes(scopes: readonly string[]): ReadonlySet<Permission> {
  const key = scopes.join(' ');
  let held = scopeSets.get(key);
  if (!held) {
    const set = new Set<Permission>();
    for (const scope of scopes) for (const p of SCOPE_PERMISSIONS[scope as Scope] ?? []) set.add(p);
    held = set;
    // Scopes are a closed list, so the lists are bounded; still, a process never keeps more than a few hundred.
    if (scopeSets.size < 512) scopeSets.set(key, held);
  }
  return held;
}
