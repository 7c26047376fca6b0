import { Type } from '@sinclair/typebox';
import { ROLES, PERMISSIONS } from '../access/permissions.js';
import { StringEnum, Timestamp, iso } from '../http/schemas.js';
import type { User } from '../access/users/user-queries.js';
import { USER_STATUSES } from '../access/users/user-queries.js';

export const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$', description: 'an email address' });
/** Sign-in and invitation passwords; their rules are checked in code so that the refusal names them. */
export const Password = Type.String({ minLength: 1, maxLength: 1000 });
export const PersonName = Type.String({ minLength: 1, maxLength: 200 });

export const UserView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.String(),
  role: StringEnum(ROLES),
  status: StringEnum(USER_STATUSES),
  teams: Type.Array(Type.String()),
  createdAt: Timestamp(),
  updatedAt: Timestamp(),
});

export const presentUser = (u: User) => ({ id: u.id, name: u.name, email: u.email, role: u.role, status: u.status, teams: u.teams, createdAt: iso(u.createdAt)!, updatedAt: iso(u.updatedAt)! });

export const SessionView = Type.Object({
  user: UserView,
  workspaceId: Type.String(),
  permissions: Type.Array(StringEnum(PERMISSIONS)),
  /** Null when the role is not limited to its teams. */
  teams: Type.Union([Type.Array(Type.String()), Type.Null()]),
  expiresAt: Timestamp(),
  csrfToken: Type.String({ description: 'Send it in the `x-csrf-token` header with every write made with the session cookie.' }),
});
