import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { iso } from '../http/schemas.js';
import { HOUR } from '../shared/time.js';
import { checkSignIn } from '../access/users/sign-in.js';
import { getUser, updateUser } from '../access/users/user-queries.js';
import { checkPassword, PASSWORD_RULES } from '../access/users/password-rules.js';
import { hashPassword } from '../access/users/passwords.js';
import { createSession, revokeSession, revokeUserSessions, type SessionRecord } from '../access/sessions/session-queries.js';
import { userPrincipal } from '../access/sessions/session-principal.js';
import type { Principal } from '../access/principal.js';
import { signInThrottle } from './sign-in-throttle.js';
import { clearSessionCookie, csrfTokenFor, setSessionCookie } from './session-cookie.js';
import { Email, Password, SessionView, presentUser } from './schemas.js';

/** Console sign-in, who-am-I, sign-out and the password rules (docs/decisions/0016-console-sign-in.md). */
export async function sessionRoutes(app: ParleyApp, ctx: ParleyContext) {
  const throttle = await signInThrottle(app, ctx.keyring, ctx.config);
  const maxAgeMs = ctx.config.sessionMaxHours * HOUR;

  /** The who-am-I answer, with a fresh CSRF token bound to the session. */
  async function whoAmI(request: FastifyRequest, reply: FastifyReply, session: SessionRecord, principal: Principal) {
    const user = await getUser(ctx.db, ctx.keyring, session.workspaceId, session.userId);
    if (!user) throw new ParleyError('SESSION_MISSING');
    return {
      user: presentUser(user),
      workspaceId: session.workspaceId,
      permissions: [...principal.permissions].sort(),
      teams: principal.teams ? [...principal.teams] : null,
      expiresAt: iso(session.expiresAt)!,
      csrfToken: csrfTokenFor(request, reply, session.id),
    };
  }

  async function startSession(request: FastifyRequest, reply: FastifyReply, workspaceId: string, userId: string) {
    const now = ctx.clock.now();
    const { token, session } = await createSession(ctx.db, { workspaceId, userId, maxAgeMs }, now);
    setSessionCookie(request, reply, token, session.expiresAt, now);
    const user = (await getUser(ctx.db, ctx.keyring, workspaceId, userId))!;
    return whoAmI(request, reply, session, userPrincipal(workspaceId, userId, user.role, user.teams));
  }

  const signedIn = (request: FastifyRequest): SessionRecord => {
    if (!request.consoleSession) throw new ParleyError('SESSION_MISSING', { message: 'This endpoint is for console sessions, not API keys.' });
    return request.consoleSession;
  };

  app.post('/v1/session', {
    // A failed sign-in records nothing here (failures are counted by the throttle); a successful one is the user's.
    config: { public: true, audit: 'user.signed_in' },
    schema: {
      tags: ['session'], summary: 'Sign in to the console: sets the session cookie and answers who you are, with a CSRF token.',
      body: Type.Object({ email: Email, password: Password, workspaceId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'The workspace, when the address has accounts in several.' })) }, { additionalProperties: false }),
      response: { 200: SessionView },
    },
  }, async (request, reply) => {
    await throttle.check(request);
    const account = await checkSignIn(ctx.store, ctx.keyring, request.body, ctx.clock.now());
    if (!account) {
      await throttle.fail(request);
      throw new ParleyError('SIGN_IN_FAILED');
    }
    request.audit({ id: account.id, workspaceId: account.workspaceId, actor: { type: 'user', id: account.id } });
    return startSession(request, reply, account.workspaceId, account.id);
  });

  app.get('/v1/session', {
    config: { permission: 'workspace.read' },
    schema: { tags: ['session'], summary: 'Who is signed in: the user, their role\'s permissions, their teams and a CSRF token.', response: { 200: SessionView } },
  }, async (request, reply) => whoAmI(request, reply, signedIn(request), request.principal!));

  app.delete('/v1/session', {
    config: { permission: 'workspace.read', audit: 'user.signed_out' },
    schema: { tags: ['session'], summary: 'Sign out: the session ends and its cookie is cleared.', response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await revokeSession(ctx.db, signedIn(request).id, ctx.clock.now());
    request.audit({ id: signedIn(request).userId });
    clearSessionCookie(request, reply);
    return reply.status(204).send(null);
  });

  app.put('/v1/session/password', {
    config: { permission: 'workspace.read', audit: 'user.password_changed' },
    schema: {
      tags: ['session'], summary: 'Change your password: every session of yours ends, and a new one starts for this browser.',
      body: Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false }),
      response: { 200: SessionView },
    },
  }, async (request, reply) => {
    const session = signedIn(request);
    const user = (await getUser(ctx.db, ctx.keyring, session.workspaceId, session.userId))!;
    const account = await checkSignIn(ctx.store, ctx.keyring, { email: user.email, password: request.body.currentPassword, workspaceId: session.workspaceId });
    if (account?.id !== user.id) throw new ParleyError('SIGN_IN_FAILED', { message: 'The current password is wrong.', field: '/currentPassword' });
    checkPassword(request.body.newPassword, user.email, '/newPassword');
    await updateUser(ctx.store, ctx.keyring, session.workspaceId, user.id, { passwordHash: await hashPassword(request.body.newPassword) }, ctx.clock.now());
    await revokeUserSessions(ctx.db, session.workspaceId, user.id, ctx.clock.now());
    request.audit({ id: user.id, diff: { password: { ref: `user:${user.id}.password` } } });
    return startSession(request, reply, session.workspaceId, user.id);
  });

  app.get('/v1/session/password-rules', {
    config: { public: true },
    schema: { tags: ['session'], summary: 'The rules a password must follow, in words.', response: { 200: Type.Object({ rules: Type.Array(Type.String()) }) } },
  }, async () => ({ rules: [...PASSWORD_RULES] }));
}
