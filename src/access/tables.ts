/**
 * Terminology
 * - API key: a bearer secret for `/v1/*` and the gateway, with scopes, belonging to one workspace;
 *   stored only as a SHA-256 hash. The visible prefix (`prl_ab12cd34`) tells keys apart in lists and logs.
 * - scope: one permission a key grants (`messages:write`, `admin`, ...; `scopes.ts`).
 * - user: a person of one workspace who signs in to the console; has one role (`permissions.ts`)
 *   and a status: `invited` (no password yet), `active`, `disabled` (cannot sign in).
 * - team: a group of users; agents and supervisors see their teams' conversations.
 * - invitation: a one-time, expiring link that lets an invited user set their name and password.
 * - session: a signed-in console session, carried by a cookie; expires when idle and absolutely.
 */
export interface ApiKeysTable {
  id: string;
  workspace_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  /** JSON array of scope strings. */
  scopes: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface UsersTable {
  id: string;
  workspace_id: string;
  /** Sealed with the workspace's data key. */
  name: string;
  /** Sealed with the workspace's data key. */
  email: string;
  /** The workspace's keyed hash of the normalized address: unique per workspace. */
  email_hash: string;
  /** A system keyed hash of the normalized address: finds its accounts at sign-in, before the workspace is known. */
  sign_in_hash: string;
  role: string;
  status: string;
  /** `scrypt$N$r$p$salt$key` (`passwords.ts`); null until the person sets a password. */
  password_hash: string | null;
  created_at: number;
  updated_at: number;
}

export interface TeamsTable {
  id: string;
  workspace_id: string;
  name: string;
  created_at: number;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  workspace_id: string;
}

export interface InvitationsTable {
  id: string;
  workspace_id: string;
  user_id: string;
  /** SHA-256 of the link's token; the token itself is only in the link. */
  token_hash: string;
  /** The actor who invited (`user:<id>`, `api_key:<id>`, `system:cli`). */
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface SessionsTable {
  id: string;
  workspace_id: string;
  user_id: string;
  /** SHA-256 of the cookie's token; the token itself is only in the cookie. */
  token_hash: string;
  created_at: number;
  /** Written at most once a minute per session: the idle expiry counts from it. */
  last_seen_at: number;
  /** The absolute expiry. */
  expires_at: number;
  revoked_at: number | null;
}

// The tables this module owns, registered in the database type (`db/schema.ts`).
declare module '../db/schema.js' {
  interface Database {
    api_keys: ApiKeysTable;
    users: UsersTable;
    teams: TeamsTable;
    team_members: TeamMembersTable;
    invitations: InvitationsTable;
    sessions: SessionsTable;
  }
}
