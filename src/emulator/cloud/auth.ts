import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EmulatorCore } from '../core.js';
import { expiredToken, invalidToken, MetaError } from './errors.js';

/** Bearer token (or Graph's `access_token` query parameter) against the configured token; 190 otherwise. */
export function checkToken(core: EmulatorCore, request: FastifyRequest): void {
  const header = request.headers.authorization;
  const query = (request.query as Record<string, unknown> | undefined)?.access_token;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : typeof query === 'string' ? query : undefined;
  if (!token || token !== core.config.accessToken) throw invalidToken();
  if (core.config.faults.tokenExpired) {
    core.state.stats.faultsInjected++;
    throw expiredToken();
  }
}

/** Runs a Graph handler, answering a MetaError in Meta's envelope. */
export async function graph(reply: FastifyReply, body: () => unknown | Promise<unknown>): Promise<unknown> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof MetaError) return reply.status(error.status).send(error.toBody());
    throw error;
  }
}

/**
 * The paths one Graph route is served on: with a version (`/v23.0/{id}/messages`) and without one, which
 * Graph serves with the app's default version (`/{id}/messages`, what some SDKs send with a custom base URL).
 */
export const graphPaths = (path: string): string[] => [`/:version(${GRAPH_VERSION.source})${path}`, path];

/** A Graph version segment (`v23.0`); anything else in that place is an object id. */
export const GRAPH_VERSION = /^v\d+\.?\d*$/;
