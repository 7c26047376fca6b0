import { randomBytes } from 'node:crypto';
import type { Role } from '../../src/access/permissions.js';
import { createUserWithPassword } from '../../src/access/users/invite.js';
import type { ParleyApp } from '../../src/http/types.js';
import type { ParleyContext } from '../../src/runtime/context.js';

export const PASSWORD = 'correct horse battery staple';

/** A user with a password in the workspace. */
export async function makeUser(ctx: ParleyContext, workspaceId: string, role: Role = 'admin', password = PASSWORD) {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.com`;
  const user = await createUserWithPassword(ctx.db, ctx.keyring, { workspaceId, email, name: `A ${role}`, role, password });
  return { ...user, password };
}

export interface Signed {
  /** `parley_session=...; parley_csrf=...`, for the Cookie header. */
  cookie: string;
  csrfToken: string;
  sessionToken: string;
}

/** Signs in and returns the cookies to send back and the CSRF token. */
export async function signIn(app: ParleyApp, email: string, password = PASSWORD, headers: Record<string, string> = {}): Promise<Signed> {
  const res = await app.inject({ method: 'POST', url: '/v1/session', payload: { email, password }, headers });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const cookies = res.cookies as Array<{ name: string; value: string }>;
  return {
    cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; '),
    csrfToken: res.json().csrfToken,
    sessionToken: cookies.find((c) => c.name === 'parley_session')!.value,
  };
}
