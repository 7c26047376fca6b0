import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describeStorage } from '../harness/storage.js';
import { createLogger } from '../../src/observability/logger.js';
import { createContext } from '../../src/main/create-context.js';
import { createSession } from '../../src/access/sessions/session-queries.js';
import { hashPassword, verifyPassword, needsRehash } from '../../src/access/users/passwords.js';
import { PASSWORD, makeUser, signIn } from './helpers.js';

describeStorage('Console sign-in', (fx) => {
  it('signs in with the right password and answers who is signed in, with the role\'s permissions and a CSRF token', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { workspaceId } = await fx.workspace();
    const agent = await makeUser(ctx, workspaceId, 'agent');
    const res = await app.inject({ method: 'POST', url: '/v1/session', payload: { email: agent.email.toUpperCase(), password: PASSWORD } });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.user.id, agent.id);
    assert.equal(body.user.role, 'agent');
    assert.ok(body.permissions.includes('conversations.reply'));
    assert.ok(!body.permissions.includes('users.manage'));
    assert.deepEqual(body.teams, []);
    assert.match(body.csrfToken, /\S{20,}/);
    const { cookie } = await signIn(app, agent.email);
    const me = await app.inject({ url: '/v1/session', headers: { cookie } });
    assert.equal(me.statusCode, 200, me.body);
    assert.equal(me.json().user.email, agent.email);
  });

  it('answers a wrong password and an unknown address the same: 401 SIGN_IN_FAILED', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { workspaceId } = await fx.workspace();
    const user = await makeUser(ctx, workspaceId);
    const wrong = await app.inject({ method: 'POST', url: '/v1/session', payload: { email: user.email, password: 'not the password at all' } });
    const unknown = await app.inject({ method: 'POST', url: '/v1/session', payload: { email: 'nobody@example.com', password: 'not the password at all' } });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    const strip = (b: { error: Record<string, unknown> }) => ({ ...b.error, requestId: undefined });
    assert.deepEqual(strip(wrong.json()), strip(unknown.json()));
    assert.equal(wrong.json().error.code, 'SIGN_IN_FAILED');
    assert.equal(wrong.headers['set-cookie'], undefined);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, Path=/, and Secure only over https (X-Forwarded-Proto behind a trusted proxy)', async () => {
    const { workspaceId } = await fx.workspace();
    const plainCtx = fx.context();
    const user = await makeUser(plainCtx, workspaceId);
    const plain = await fx.app(plainCtx);
    const direct = await plain.inject({ method: 'POST', url: '/v1/session', payload: { email: user.email, password: PASSWORD }, headers: { 'x-forwarded-proto': 'https' } });
    const session = (direct.cookies as Array<Record<string, unknown>>).find((c) => c.name === 'parley_session')!;
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Lax');
    assert.equal(session.path, '/');
    assert.ok(Number(session.maxAge) > 0);
    assert.equal(session.secure, undefined, 'X-Forwarded-Proto is ignored unless the proxy is trusted');
    const proxied = await fx.app(fx.context({ trustProxy: true }));
    const viaProxy = await proxied.inject({ method: 'POST', url: '/v1/session', payload: { email: user.email, password: PASSWORD }, headers: { 'x-forwarded-proto': 'https' } });
    const cookies = viaProxy.cookies as Array<Record<string, unknown>>;
    assert.equal(cookies.find((c) => c.name === 'parley_session')!.secure, true);
    assert.equal(cookies.find((c) => c.name === 'parley_csrf')!.secure, true);
    assert.equal(cookies.find((c) => c.name === 'parley_csrf')!.httpOnly, true);
  });

  it('refuses a cookie-authenticated write without the CSRF token (403) and accepts it with the token; API keys need none', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { workspaceId, authorization } = await fx.workspace();
    const admin = await makeUser(ctx, workspaceId);
    const { cookie, csrfToken } = await signIn(app, admin.email);
    const without = await app.inject({ method: 'POST', url: '/v1/teams', headers: { cookie }, payload: { name: 'Support' } });
    assert.equal(without.statusCode, 403, without.body);
    assert.equal(without.json().error.code, 'CSRF_TOKEN_INVALID');
    const forged = await app.inject({ method: 'POST', url: '/v1/teams', headers: { cookie, 'x-csrf-token': 'x'.repeat(40) }, payload: { name: 'Support' } });
    assert.equal(forged.statusCode, 403);
    // A token of another session of the same browser's secret does not pass either (bound to the session).
    const other = await signIn(app, admin.email);
    const crossed = await app.inject({ method: 'POST', url: '/v1/teams', headers: { cookie: other.cookie, 'x-csrf-token': csrfToken }, payload: { name: 'Support' } });
    assert.equal(crossed.statusCode, 403);
    const withToken = await app.inject({ method: 'POST', url: '/v1/teams', headers: { cookie, 'x-csrf-token': csrfToken }, payload: { name: 'Support' } });
    assert.equal(withToken.statusCode, 201, withToken.body);
    const read = await app.inject({ url: '/v1/teams', headers: { cookie } });
    assert.equal(read.statusCode, 200);
    const byKey = await app.inject({ method: 'POST', url: '/v1/teams', headers: { authorization }, payload: { name: 'Sales' } });
    assert.equal(byKey.statusCode, 201);
  });

  it('a session reaches the routes its role permits, the key routes too (every route declares a permission); a cookie naming no session is 401', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { workspaceId } = await fx.workspace();
    const admin = await makeUser(ctx, workspaceId);
    const { cookie } = await signIn(app, admin.email);
    const keys = await app.inject({ url: '/v1/api-keys', headers: { cookie } });
    assert.equal(keys.statusCode, 200, keys.body);
    const rubbish = await app.inject({ url: '/v1/users', headers: { cookie: 'parley_session=nonsense' } });
    assert.equal(rubbish.statusCode, 401);
    assert.equal(rubbish.json().error.code, 'SESSION_MISSING');
  });

  it('signs out: the session ends and its cookie is cleared', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { workspaceId } = await fx.workspace();
    const admin = await makeUser(ctx, workspaceId);
    const { cookie, csrfToken } = await signIn(app, admin.email);
    const noToken = await app.inject({ method: 'DELETE', url: '/v1/session', headers: { cookie } });
    assert.equal(noToken.statusCode, 403, 'signing out is a write: it needs the CSRF token');
    const out = await app.inject({ method: 'DELETE', url: '/v1/session', headers: { cookie, 'x-csrf-token': csrfToken } });
    assert.equal(out.statusCode, 204, out.body);
    const cleared = (out.cookies as Array<Record<string, unknown>>).find((c) => c.name === 'parley_session')!;
    assert.equal(cleared.value, '');
    const after = await app.inject({ url: '/v1/session', headers: { cookie } });
    assert.equal(after.statusCode, 401);
    assert.equal(after.json().error.code, 'SESSION_MISSING');
  });

  it('refuses expired sessions: past the absolute expiry, and idle longer than allowed', async () => {
    const ctx = fx.context({ sessionIdleMinutes: 30 });
    const app = await fx.app(ctx);
    const { workspaceId } = await fx.workspace();
    const admin = await makeUser(ctx, workspaceId);
    const now = Date.now();
    const absolute = await createSession(fx.db, { workspaceId, userId: admin.id, maxAgeMs: 60_000 }, now - 120_000);
    const idle = await createSession(fx.db, { workspaceId, userId: admin.id, maxAgeMs: 24 * 3_600_000 }, now - 31 * 60_000);
    const live = await createSession(fx.db, { workspaceId, userId: admin.id, maxAgeMs: 24 * 3_600_000 }, now - 29 * 60_000);
    for (const { token } of [absolute, idle]) {
      const res = await app.inject({ url: '/v1/session', headers: { cookie: `parley_session=${token}` } });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().error.code, 'SESSION_MISSING');
    }
    const ok = await app.inject({ url: '/v1/session', headers: { cookie: `parley_session=${live.token}` } });
    assert.equal(ok.statusCode, 200, 'activity within the idle limit keeps the session');
  });

  it('revokes every session of a user: by an admin, when disabled, and on a password change', async () => {
    const ctx = fx.context();
    const app = await fx.app(ctx);
    const { workspaceId, authorization } = await fx.workspace();
    const admin = await makeUser(ctx, workspaceId);
    const agent = await makeUser(ctx, workspaceId, 'agent');
    const me = (cookie: string) => app.inject({ url: '/v1/session', headers: { cookie } });

    const a1 = await signIn(app, agent.email);
    const a2 = await signIn(app, agent.email);
    const revoked = await app.inject({ method: 'DELETE', url: `/v1/users/${agent.id}/sessions`, headers: { authorization } });
    assert.deepEqual(revoked.json(), { revoked: 2 });
    assert.equal((await me(a1.cookie)).statusCode, 401);
    assert.equal((await me(a2.cookie)).statusCode, 401);

    const a3 = await signIn(app, agent.email);
    const adminSession = await signIn(app, admin.email);
    const disabled = await app.inject({ method: 'PATCH', url: `/v1/users/${agent.id}`, headers: { cookie: adminSession.cookie, 'x-csrf-token': adminSession.csrfToken }, payload: { status: 'disabled' } });
    assert.equal(disabled.statusCode, 200, disabled.body);
    assert.equal((await me(a3.cookie)).statusCode, 401);
    const refused = await app.inject({ method: 'POST', url: '/v1/session', payload: { email: agent.email, password: PASSWORD } });
    assert.equal(refused.statusCode, 401, 'a disabled user cannot sign in');

    const b1 = await signIn(app, admin.email);
    const b2 = await signIn(app, admin.email);
    const weak = await app.inject({ method: 'PUT', url: '/v1/session/password', headers: { cookie: b1.cookie, 'x-csrf-token': b1.csrfToken }, payload: { currentPassword: PASSWORD, newPassword: admin.email } });
    assert.equal(weak.statusCode, 422);
    assert.equal(weak.json().error.code, 'PASSWORD_REJECTED');
    assert.ok(weak.json().error.details.rules.length >= 3);
    const changed = await app.inject({ method: 'PUT', url: '/v1/session/password', headers: { cookie: b1.cookie, 'x-csrf-token': b1.csrfToken }, payload: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' } });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal((await me(b1.cookie)).statusCode, 401);
    assert.equal((await me(b2.cookie)).statusCode, 401);
    const fresh = (changed.cookies as Array<{ name: string; value: string }>).find((c) => c.name === 'parley_session')!;
    assert.equal((await me(`parley_session=${fresh.value}`)).statusCode, 200, 'the browser that changed it gets a new session');
    await signIn(app, admin.email, 'a brand new passphrase');
  });

  it('throttles failed sign-ins per account: 429 SIGN_IN_THROTTLED with Retry-After, even for the right password', async () => {
    const ctx = fx.context({ signInFailuresPerAccount: 3, signInFailuresPerAddress: 100 });
    const app = await fx.app(ctx);
    const { workspaceId } = await fx.workspace();
    const user = await makeUser(ctx, workspaceId);
    const other = await makeUser(ctx, workspaceId);
    await signIn(app, user.email);
    await signIn(app, user.email);
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ method: 'POST', url: '/v1/session', payload: { email: user.email, password: `wrong password ${i}` } });
      assert.equal(res.statusCode, 401, 'successes are not counted, failures are');
    }
    const locked = await app.inject({ method: 'POST', url: '/v1/session', payload: { email: user.email, password: PASSWORD } });
    assert.equal(locked.statusCode, 429);
    assert.equal(locked.json().error.code, 'SIGN_IN_THROTTLED');
    const retryAfter = Number(locked.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= 15 * 60, `Retry-After ${locked.headers['retry-after']}`);
    await signIn(app, other.email);
  });

  it('throttles failed sign-ins per address, whichever accounts they name', async () => {
    const ctx = fx.context({ signInFailuresPerAccount: 100, signInFailuresPerAddress: 4, trustProxy: true });
    const app = await fx.app(ctx);
    const { workspaceId } = await fx.workspace();
    const user = await makeUser(ctx, workspaceId);
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    for (let i = 0; i < 4; i++) {
      const res = await app.inject({ method: 'POST', url: '/v1/session', payload: { email: `guess${i}@example.com`, password: 'some wrong password' }, headers: from('203.0.113.9') });
      assert.equal(res.statusCode, 401);
    }
    const locked = await app.inject({ method: 'POST', url: '/v1/session', payload: { email: user.email, password: PASSWORD }, headers: from('203.0.113.9') });
    assert.equal(locked.statusCode, 429);
    assert.ok(Number(locked.headers['retry-after']) > 0);
    await signIn(app, user.email, PASSWORD, from('198.51.100.7'));
  });

  it('tells the password rules, and hashes passwords with scrypt in a self-describing form', async () => {
    const app = await fx.app();
    const rules = await app.inject('/v1/session/password-rules');
    assert.equal(rules.statusCode, 200);
    assert.ok(rules.json().rules.some((r: string) => r.includes('12')));
    const hash = await hashPassword('a passphrase to hash');
    assert.match(hash, /^scrypt\$15\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
    assert.ok(await verifyPassword('a passphrase to hash', hash));
    assert.ok(!(await verifyPassword('another passphrase', hash)));
    assert.ok(!needsRehash(hash));
    assert.ok(needsRehash(hash.replace('scrypt$15$', 'scrypt$14$')));
  });

  it('writes no password, session token or CSRF token to the logs during sign-in, use and sign-out', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const logger = createLogger({ level: 'trace', destination: sink });
    const ctx = createContext({ config: fx.config({ logLevel: 'trace' }), masterKey: fx.masterKey, store: fx.store, logger });
    const app = await fx.app(ctx);
    const { workspaceId } = await fx.workspace();
    const user = await makeUser(ctx, workspaceId);
    await app.inject({ method: 'POST', url: '/v1/session', payload: { email: user.email, password: 'a wrong password here' } });
    const { cookie, csrfToken, sessionToken } = await signIn(app, user.email);
    await app.inject({ method: 'POST', url: '/v1/teams', headers: { cookie }, payload: { name: 'no token' } });
    await app.inject({ method: 'POST', url: '/v1/teams', headers: { cookie, 'x-csrf-token': 'forged'.repeat(8) }, payload: { name: 'forged' } });
    await app.inject({ method: 'DELETE', url: '/v1/session', headers: { cookie, 'x-csrf-token': csrfToken } });
    // Log one request with every header, the way a debugging handler might.
    ctx.logger.info({ req: { headers: { cookie, 'x-csrf-token': csrfToken } }, body: { password: PASSWORD } }, 'request');
    const log = lines.join('');
    assert.ok(lines.length > 0, 'something was logged');
    for (const secret of [PASSWORD, 'a wrong password here', sessionToken, csrfToken]) assert.ok(!log.includes(secret), `the log holds ${secret.slice(0, 6)}…`);
  });
});
