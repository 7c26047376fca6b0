import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../access/sessions/session-principal.js';

/**
 * The session cookie's flags: not readable by scripts (HttpOnly), not sent on cross-site subrequests
 * (SameSite=Lax: a link into the console still arrives signed in; writes need the CSRF token anyway),
 * only over HTTPS when the request came over HTTPS (directly, or per X-Forwarded-Proto with
 * PARLEY_TRUST_PROXY), for the whole origin.
 */
const flags = (request: FastifyRequest) => ({ path: '/', httpOnly: true, sameSite: 'lax' as const, secure: request.protocol === 'https' });

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: number, now: number): void {
  reply.setCookie(SESSION_COOKIE, token, { ...flags(request), maxAge: Math.max(1, Math.floor((expiresAt - now) / 1000)) });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, flags(request));
}

/** A CSRF token bound to the session; its secret cookie carries the same Secure flag as the session's. */
export const csrfTokenFor = (request: FastifyRequest, reply: FastifyReply, sessionId: string): string =>
  reply.generateCsrf({ userInfo: sessionId, secure: request.protocol === 'https' });
