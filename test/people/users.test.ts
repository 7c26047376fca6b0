import { it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { describeStorage } from '../harness/storage.js';
import { PASSWORD, makeUser, signIn } from './helpers.js';

const tokenOf = (url: string) => new URL(url).hash.replace('#token=', '');

describeStorage('Users, teams and invitations', (fx) => {
  it('an admin cannot demote, disable or remove the last active admin (409 LAST_ADMIN); with another admin they can', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { workspaceId, authorization } = await fx.workspace();
    const admin = await makeUser(ctx, workspaceId);
    const patch = (id: string, payload: object) => app.inject({ method: 'PATCH', url: `/v1/users/${id}`, headers: { authorization }, payload });
    for (const change of [{ role: 'supervisor' }, { status: 'disabled' }]) {
      const res = await patch(admin.id, change);
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(res.json().error.code, 'LAST_ADMIN');
    }
    const removed = await app.inject({ method: 'DELETE', url: `/v1/users/${admin.id}`, headers: { authorization } });
    assert.equal(removed.statusCode, 409);
    assert.equal(removed.json().error.code, 'LAST_ADMIN');
    // A disabled admin does not count: making one active-admin-less is still refused.
    const other = await makeUser(ctx, workspaceId);
    assert.equal((await patch(other.id, { status: 'disabled' })).statusCode, 200);
    assert.equal((await patch(admin.id, { role: 'agent' })).statusCode, 409);
    assert.equal((await patch(other.id, { status: 'active' })).statusCode, 200);
    const demoted = await patch(admin.id, { role: 'agent' });
    assert.equal(demoted.statusCode, 200, demoted.body);
    assert.equal(demoted.json().role, 'agent');
    assert.equal((await patch(other.id, { role: 'developer' })).statusCode, 409, 'the other one is now the last');
    // Signed in as that admin: demoting themself is refused the same way.
    const session = await signIn(app, other.email);
    const self = await app.inject({ method: 'PATCH', url: `/v1/users/${other.id}`, headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken }, payload: { role: 'analyst' } });
    assert.equal(self.statusCode, 409);
  });

  it('two admins demoting each other at once: exactly one succeeds', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { workspaceId, authorization } = await fx.workspace();
    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([makeUser(ctx, workspaceId), makeUser(ctx, workspaceId)]);
      const admins = await fx.db.selectFrom('users').select('id').where('workspace_id', '=', workspaceId).where('role', '=', 'admin').where('id', 'not in', [a.id, b.id]).execute();
      for (const { id } of admins) await fx.db.updateTable('users').set({ role: 'agent' }).where('id', '=', id).execute();
      const results = await Promise.all([a, b].map((u) => app.inject({ method: 'PATCH', url: `/v1/users/${u.id}`, headers: { authorization }, payload: { role: 'agent' } })));
      assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 409], results.map((r) => r.body).join('\n'));
    }
  });

  it('invites by a link that works once and expires; the answer always holds it; name and password are set on acceptance', async () => {
    const ctx = fx.context({ publicUrl: 'https://parley.example.com' });
    const app = await fx.app(ctx);
    const { authorization } = await fx.workspace();
    const team = (await app.inject({ method: 'POST', url: '/v1/teams', headers: { authorization }, payload: { name: 'Support' } })).json();
    const invited = await app.inject({ method: 'POST', url: '/v1/users', headers: { authorization }, payload: { email: 'New.Agent@Example.com', role: 'agent', teams: [team.id] } });
    assert.equal(invited.statusCode, 201, invited.body);
    const { user, invitation } = invited.json();
    assert.equal(user.status, 'invited');
    assert.equal(user.email, 'new.agent@example.com');
    assert.deepEqual(user.teams, [team.id]);
    assert.equal(invitation.emailed, false, 'no SMTP configured');
    assert.match(invitation.url, /^https:\/\/parley\.example\.com\/console\/invitation#token=[A-Za-z0-9_-]{43}$/);
    const again = await app.inject({ method: 'POST', url: '/v1/users', headers: { authorization }, payload: { email: 'new.agent@example.com', role: 'agent' } });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'USER_EXISTS');

    const refusedBeforeAccepting = await app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'new.agent@example.com', password: PASSWORD } });
    assert.equal(refusedBeforeAccepting.statusCode, 401);
    const token = tokenOf(invitation.url);
    const weak = await app.inject({ method: 'POST', url: '/v1/invitations/accept', payload: { token, name: 'Ana', password: 'short' } });
    assert.equal(weak.statusCode, 422);
    assert.equal(weak.json().error.code, 'PASSWORD_REJECTED');
    const accepted = await app.inject({ method: 'POST', url: '/v1/invitations/accept', payload: { token, name: 'Ana', password: PASSWORD } });
    assert.equal(accepted.statusCode, 200, accepted.body);
    const reused = await app.inject({ method: 'POST', url: '/v1/invitations/accept', payload: { token, name: 'Eve', password: 'another good passphrase' } });
    assert.equal(reused.statusCode, 410);
    assert.equal(reused.json().error.code, 'INVITATION_INVALID');
    const { cookie } = await signIn(app, 'new.agent@example.com');
    const me = (await app.inject({ url: '/v1/session', headers: { cookie } })).json();
    assert.equal(me.user.name, 'Ana');
    assert.deepEqual(me.teams, [team.id], 'an agent is limited to their teams');

    const expiring = await fx.app(fx.context({ invitationTtlHours: 1 }));
    const late = (await expiring.inject({ method: 'POST', url: '/v1/users', headers: { authorization }, payload: { email: 'late@example.com', role: 'analyst' } })).json();
    await fx.db.updateTable('invitations').set({ expires_at: Date.now() - 1 }).where('user_id', '=', late.user.id).execute();
    const expired = await app.inject({ method: 'POST', url: '/v1/invitations/accept', payload: { token: tokenOf(late.invitation.url), name: 'Late', password: PASSWORD } });
    assert.equal(expired.statusCode, 410);
    const unknown = await app.inject({ method: 'POST', url: '/v1/invitations/accept', payload: { token: 'A'.repeat(43), name: 'X', password: PASSWORD } });
    assert.equal(unknown.statusCode, 410);
  });

  it('mails the invitation when SMTP is configured', async () => {
    const received: string[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, done) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push(Buffer.concat(chunks).toString('utf8'));
          done();
        });
      },
    });
    smtp.listen(0, '127.0.0.1');
    await once(smtp.server, 'listening');
    fx.onTearDown(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
    const port = (smtp.server.address() as AddressInfo).port;
    const app = await fx.app(fx.context({ smtpUrl: `smtp://127.0.0.1:${port}`, smtpFrom: 'Parley <parley@example.com>', publicUrl: 'https://parley.example.com' }));
    const { authorization } = await fx.workspace();
    const res = await app.inject({ method: 'POST', url: '/v1/users', headers: { authorization }, payload: { email: 'mailed@example.com', name: 'Mo', role: 'supervisor' } });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().invitation.emailed, true);
    assert.equal(received.length, 1);
    assert.match(received[0], /To: mailed@example\.com/);
    const unfolded = received[0].replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    assert.ok(unfolded.includes(res.json().invitation.url), 'the mail holds the link');
  });

  it('keeps workspaces apart: users and teams of workspace B are 404 to a user or key of workspace A', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const a = await fx.workspace();
    const b = await fx.workspace();
    const adminA = await makeUser(ctx, a.workspaceId);
    const userB = await makeUser(ctx, b.workspaceId, 'agent');
    const teamB = (await app.inject({ method: 'POST', url: '/v1/teams', headers: { authorization: b.authorization }, payload: { name: 'B team' } })).json();
    const session = await signIn(app, adminA.email);
    const asUser = { cookie: session.cookie, 'x-csrf-token': session.csrfToken };
    for (const headers of [asUser, { authorization: a.authorization }]) {
      const calls = [
        app.inject({ url: `/v1/users/${userB.id}`, headers }),
        app.inject({ method: 'PATCH', url: `/v1/users/${userB.id}`, headers, payload: { role: 'admin' } }),
        app.inject({ method: 'DELETE', url: `/v1/users/${userB.id}`, headers }),
        app.inject({ method: 'DELETE', url: `/v1/users/${userB.id}/sessions`, headers }),
        app.inject({ url: `/v1/teams/${teamB.id}`, headers }),
        app.inject({ method: 'PATCH', url: `/v1/teams/${teamB.id}`, headers, payload: { name: 'mine' } }),
        app.inject({ method: 'DELETE', url: `/v1/teams/${teamB.id}`, headers }),
        app.inject({ method: 'PATCH', url: `/v1/users/${adminA.id}`, headers, payload: { teams: [teamB.id] } }),
      ];
      for (const res of await Promise.all(calls)) assert.equal(res.statusCode, 404, res.body);
      const list = (await app.inject({ url: '/v1/users', headers })).json();
      assert.ok(!list.data.some((u: { id: string }) => u.id === userB.id));
    }
    const stillB = await app.inject({ url: `/v1/users/${userB.id}`, headers: { authorization: b.authorization } });
    assert.equal(stillB.json().role, 'agent');
  });

  it('a role without users.manage gets 403 naming the permission; the email is stored sealed', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { workspaceId } = await fx.workspace();
    const analyst = await makeUser(ctx, workspaceId, 'analyst');
    const session = await signIn(app, analyst.email);
    const res = await app.inject({ method: 'POST', url: '/v1/teams', headers: { cookie: session.cookie, 'x-csrf-token': session.csrfToken }, payload: { name: 'Nope' } });
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().error.details.requiredPermission, 'users.manage');
    const row = await fx.db.selectFrom('users').selectAll().where('id', '=', analyst.id).executeTakeFirstOrThrow();
    assert.ok(!row.email.includes('@') && !row.name.includes('analyst'));
    assert.ok(row.password_hash!.startsWith('scrypt$'));
  });

  it('lists the roles and what each may do to anyone signed in', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { workspaceId } = await fx.workspace();
    const agent = await makeUser(ctx, workspaceId, 'agent');
    const session = await signIn(app, agent.email);
    const res = await app.inject({ url: '/v1/roles', headers: { cookie: session.cookie } });
    assert.equal(res.statusCode, 200, res.body);
    const roles = res.json().data as Array<{ role: string; permissions: string[] }>;
    assert.deepEqual(roles.map((r) => r.role), ['admin', 'supervisor', 'agent', 'analyst', 'developer']);
    const own = (await app.inject({ url: '/v1/session', headers: { cookie: session.cookie } })).json().permissions;
    assert.deepEqual([...roles.find((r) => r.role === 'agent')!.permissions].sort(), [...own].sort(), 'the agent\'s listed permissions are those their session holds');
    assert.ok(roles.find((r) => r.role === 'admin')!.permissions.includes('users.manage'));
  });
});
