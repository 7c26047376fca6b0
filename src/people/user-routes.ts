import type { User } from '../access/users/user-queries.js';
import { auditDiff } from '../access/audit-port.js';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { StringEnum, Timestamp, iso } from '../http/schemas.js';
import { HOUR } from '../shared/time.js';
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS } from '../access/permissions.js';
import { deleteUser, getUser, listUsers, setUserTeams, updateUser } from '../access/users/user-queries.js';
import { acceptInvitation, inviteUser } from '../access/users/invite.js';
import { revokeUserSessions } from '../access/sessions/session-queries.js';
import { createTeam, deleteTeam, getTeam, listTeams, renameTeam } from '../access/users/team-queries.js';
import { getWorkspace } from '../workspaces/workspace-queries.js';
import { InvitationMailer } from './invitation-mail.js';
import { invitationUrl } from './invitation-link.js';
import { Email, Password, PersonName, UserView, presentUser } from './schemas.js';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const TeamIds = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100, uniqueItems: true });
const TeamView = Type.Object({ id: Type.String(), name: Type.String(), members: Type.Array(Type.String()), createdAt: Timestamp() });
const TeamName = Type.String({ minLength: 1, maxLength: 100 });
const presentTeam = (t: { id: string; name: string; members: string[]; createdAt: number }) => ({ ...t, createdAt: iso(t.createdAt)! });

/** Users, teams and invitations of a workspace (M9). The last active admin cannot be demoted, disabled or removed. */
/** A user as their audit diffs compare them; their name and email only as references. */
const PERSONAL_FIELDS = ['name', 'email'];
const audited = (u: User): Record<string, unknown> => ({ name: u.name, email: u.email, role: u.role, status: u.status, teams: u.teams });

export async function userRoutes(app: ParleyApp, ctx: ParleyContext) {
  const security = [{ apiKey: [] }];
  const mailer = InvitationMailer.fromConfig(ctx.config, ctx.logger);
  if (mailer) app.addHook('onClose', async () => mailer.close());
  const ws = (request: FastifyRequest) => request.principal!.workspaceId;
  const actor = (request: FastifyRequest) => `${request.principal!.actor.type}:${request.principal!.actor.id}`;

  app.get('/v1/users', {
    config: { permission: 'users.read', audit: 'user.read_pii' },
    schema: { tags: ['users'], summary: 'List the users of the workspace.', security, response: { 200: Type.Object({ data: Type.Array(UserView) }) } },
  }, async (request) => {
    const users = await listUsers(ctx.db, ctx.keyring, ws(request));
    // One entry for the list (their emails and names are personal data), naming who was shown.
    request.audit({ resource: { type: 'user', id: null }, diff: { shown: { to: { count: users.length, ids: users.map((u) => u.id) } } } });
    return { data: users.map(presentUser) };
  });

  app.get('/v1/users/:id', {
    config: { permission: 'users.read', audit: 'user.read_pii' },
    schema: { tags: ['users'], summary: 'One user.', security, params: IdParams, response: { 200: UserView } },
  }, async (request) => {
    const user = await getUser(ctx.db, ctx.keyring, ws(request), request.params.id);
    if (!user) throw new ParleyError('USER_NOT_FOUND');
    return presentUser(user);
  });

  app.post('/v1/users', {
    config: { permission: 'users.manage', audit: 'user.invited' },
    schema: {
      tags: ['users'],
      summary: 'Invite a user: the answer holds the invitation link (also emailed when SMTP is configured); it works once, until it expires.',
      security,
      body: Type.Object({ email: Email, name: Type.Optional(PersonName), role: StringEnum(ROLES), teams: Type.Optional(TeamIds) }, { additionalProperties: false }),
      response: { 201: Type.Object({ user: UserView, invitation: Type.Object({ url: Type.String(), expiresAt: Timestamp(), emailed: Type.Boolean() }) }) },
    },
  }, async (request, reply) => {
    const workspaceId = ws(request);
    const now = ctx.clock.now();
    const { user, token, expiresAt } = await inviteUser(ctx.db, ctx.keyring, { ...request.body, workspaceId, invitedBy: actor(request), ttlMs: ctx.config.invitationTtlHours * HOUR }, now);
    const url = invitationUrl(ctx.config.publicUrl ?? `${request.protocol}://${request.host}`, token);
    const workspace = await getWorkspace(ctx.db, workspaceId);
    const resource = { type: 'user', id: user.id };
    request.audit({ resource, diff: auditDiff(resource, undefined, audited(user), PERSONAL_FIELDS) });
    const emailed = mailer ? await mailer.send({ to: user.email, url, expiresAt, workspaceName: workspace?.name ?? workspaceId }) : false;
    return reply.status(201).send({ user: presentUser(user), invitation: { url, expiresAt: iso(expiresAt)!, emailed } });
  });

  app.patch('/v1/users/:id', {
    config: { permission: 'users.manage', audit: 'user.updated' },
    schema: {
      tags: ['users'],
      summary: 'Change a user\'s name, role, teams or status. Disabling ends their sessions. The last active admin cannot be demoted or disabled (409 LAST_ADMIN).',
      security,
      params: IdParams,
      body: Type.Object({ name: Type.Optional(PersonName), role: Type.Optional(StringEnum(ROLES)), status: Type.Optional(StringEnum(['active', 'disabled'] as const)), teams: Type.Optional(TeamIds) }, { additionalProperties: false }),
      response: { 200: UserView },
    },
  }, async (request) => {
    const workspaceId = ws(request);
    const { teams, ...change } = request.body;
    const now = ctx.clock.now();
    const before = await getUser(ctx.db, ctx.keyring, workspaceId, request.params.id);
    const updated = await updateUser(ctx.store, ctx.keyring, workspaceId, request.params.id, change, now);
    if (change.status === 'disabled') await revokeUserSessions(ctx.db, workspaceId, updated.id, now);
    const after = teams ? (await setUserTeams(ctx.db, workspaceId, updated.id, teams), (await getUser(ctx.db, ctx.keyring, workspaceId, updated.id))!) : updated;
    const resource = { type: 'user', id: after.id };
    request.audit({ resource, diff: auditDiff(resource, before && audited(before), audited(after), PERSONAL_FIELDS) });
    return presentUser(after);
  });

  app.delete('/v1/users/:id', {
    config: { permission: 'users.manage', audit: 'user.deleted' },
    schema: { tags: ['users'], summary: 'Remove a user, their sessions and invitations. The last active admin cannot be removed (409 LAST_ADMIN).', security, params: IdParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await deleteUser(ctx.store, ctx.keyring, ws(request), request.params.id, ctx.clock.now());
    return reply.status(204).send(null);
  });

  app.delete('/v1/users/:id/sessions', {
    config: { permission: 'users.manage', audit: 'user.sessions_revoked' },
    schema: { tags: ['users'], summary: 'Sign a user out everywhere: every session of theirs ends.', security, params: IdParams, response: { 200: Type.Object({ revoked: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }) }) } },
  }, async (request) => {
    const workspaceId = ws(request);
    if (!(await getUser(ctx.db, ctx.keyring, workspaceId, request.params.id))) throw new ParleyError('USER_NOT_FOUND');
    const revoked = await revokeUserSessions(ctx.db, workspaceId, request.params.id, ctx.clock.now());
    request.audit({ diff: { revoked: { to: revoked } } });
    return { revoked };
  });

  app.post('/v1/invitations/accept', {
    config: { public: true, audit: 'user.invitation_accepted' },
    schema: {
      tags: ['users'], summary: 'Accept an invitation: set your name and password; then sign in with `POST /v1/session`.',
      body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 100 }), name: PersonName, password: Password }, { additionalProperties: false }),
      response: { 200: Type.Object({ userId: Type.String(), workspaceId: Type.String(), email: Type.String() }) },
    },
  }, async (request) => {
    const user = await acceptInvitation(ctx.store, ctx.keyring, request.body, ctx.clock.now());
    // The invited person acts for themself: their name and password are set, the account active.
    request.audit({ id: user.id, workspaceId: user.workspaceId, actor: { type: 'user', id: user.id }, diff: { name: { ref: `user:${user.id}.name` }, password: { ref: `user:${user.id}.password` }, status: { to: 'active' } } });
    return { userId: user.id, workspaceId: user.workspaceId, email: user.email };
  });

  app.get('/v1/roles', {
    config: { permission: 'workspace.read' },
    schema: {
      tags: ['users'],
      summary: 'The roles a user can hold and the permissions each grants (fixed: they are not edited per workspace).',
      security,
      response: { 200: Type.Object({ data: Type.Array(Type.Object({ role: StringEnum(ROLES), permissions: Type.Array(StringEnum(PERMISSIONS)) })) }) },
    },
  }, async () => ({ data: ROLES.map((role) => ({ role, permissions: [...ROLE_PERMISSIONS[role]] })) }));

  app.get('/v1/teams', {
    config: { permission: 'users.read' },
    schema: { tags: ['users'], summary: 'List the teams of the workspace with their members.', security, response: { 200: Type.Object({ data: Type.Array(TeamView) }) } },
  }, async (request) => ({ data: (await listTeams(ctx.db, ws(request))).map(presentTeam) }));

  app.get('/v1/teams/:id', {
    config: { permission: 'users.read' },
    schema: { tags: ['users'], summary: 'One team with its members.', security, params: IdParams, response: { 200: TeamView } },
  }, async (request) => {
    const team = await getTeam(ctx.db, ws(request), request.params.id);
    if (!team) throw new ParleyError('TEAM_NOT_FOUND');
    return presentTeam(team);
  });

  app.post('/v1/teams', {
    config: { permission: 'users.manage', audit: 'team.created' },
    schema: { tags: ['users'], summary: 'Create a team.', security, body: Type.Object({ name: TeamName }, { additionalProperties: false }), response: { 201: TeamView } },
  }, async (request, reply) => {
    const team = await createTeam(ctx.db, ws(request), request.body.name, ctx.clock.now());
    request.audit({ id: team.id, diff: { name: { to: team.name } } });
    return reply.status(201).send(presentTeam(team));
  });

  app.patch('/v1/teams/:id', {
    config: { permission: 'users.manage', audit: 'team.updated' },
    schema: { tags: ['users'], summary: 'Rename a team.', security, params: IdParams, body: Type.Object({ name: TeamName }, { additionalProperties: false }), response: { 200: TeamView } },
  }, async (request) => {
    const team = await renameTeam(ctx.db, ws(request), request.params.id, request.body.name);
    request.audit({ diff: { name: { to: team.name } } });
    return presentTeam(team);
  });

  app.delete('/v1/teams/:id', {
    config: { permission: 'users.manage', audit: 'team.deleted' },
    schema: { tags: ['users'], summary: 'Delete a team; its members stay, without it.', security, params: IdParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await deleteTeam(ctx.db, ws(request), request.params.id);
    return reply.status(204).send(null);
  });
}
