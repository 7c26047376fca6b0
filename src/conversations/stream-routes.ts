import { Type } from '@sinclair/typebox';
import type { ParleyApp } from '../http/types.js';
import type { ParleyContext } from '../runtime/context.js';
import { ParleyError } from '../errors/parley-error.js';
import { holds } from '../access/principal.js';
import { teamFilter } from '../access/team-scope.js';
import { SECOND } from '../shared/time.js';
import { StreamHub, type StreamClient } from './stream-hub.js';
import { openingFrame, streamCursor } from './stream-frames.js';

/**
 * `GET /v1/stream`: the workspace's conversation events as server-sent events, filtered to the
 * caller's teams, resumable with `Last-Event-ID` (docs/conversations.md, "Live stream"; decision 0020),
 * and its notices (`stream-notices.ts`: template changes) to whoever holds each one's permission. Anyone
 * of the workspace may open it (`workspace.read`); conversation events reach only those who may read
 * conversations, so a developer's stream carries template changes alone.
 * Authentication and the permission check run in the app's `onRequest` hook before the handler, and
 * refusals (429, 400) are ordinary errors; once the stream is open the handler owns the socket.
 */
export async function streamRoutes(app: ParleyApp, ctx: ParleyContext) {
  const maxBuffer = ctx.config.streamMaxBufferBytes;
  const hub = new StreamHub(ctx.db, {
    pollMs: ctx.config.streamPollMs,
    maxAgeMs: ctx.config.streamMaxAgeSeconds * SECOND,
    now: () => ctx.clock.now(),
    onError: (error) => ctx.logger.warn({ err: error }, 'live stream read failed; retrying at the next tick'),
  });
  const unsubscribe = ctx.signals.onConversationChanged((workspaceId) => hub.wake(workspaceId));
  // Open streams are not idle connections: end them, or closing the server would wait for them.
  app.addHook('preClose', async () => {
    unsubscribe();
    hub.closeAll();
  });

  app.get('/v1/stream', {
    // A HEAD would open a stream with no body to read.
    exposeHeadRoute: false,
    config: { permission: 'workspace.read' },
    schema: {
      tags: ['conversations'],
      summary: 'The live stream (text/event-stream) of the conversation events you may see (an agent, their teams\'), and of `template.changed` when you may read templates. Resumes after `Last-Event-ID`; without it, starts from now.',
      security: [{ apiKey: [] }],
      querystring: Type.Object({
        after: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: 'Start after this event id, for clients that cannot send `Last-Event-ID` on their first connect (the header wins).' })),
      }),
    },
  }, async (request, reply) => {
    const principal = request.principal!;
    const cursor = streamCursor(request.headers['last-event-id'], request.query.after);
    if (!cursor.ok) throw new ParleyError('STREAM_CURSOR_INVALID', { field: 'Last-Event-ID' });
    if (hub.connections(principal.workspaceId) >= ctx.config.streamMaxConnections) {
      throw new ParleyError('STREAM_CONNECTIONS_EXHAUSTED', { details: { retryAfterSeconds: 5 } });
    }
    const res = reply.raw;
    const client: StreamClient = {
      filter: holds(principal, 'conversations.read') ? teamFilter(principal) : { kind: 'none' },
      permissions: principal.permissions,
      write(frame) {
        if (res.destroyed || res.writableEnded) return false;
        // A client that does not read fills its socket buffer: drop it, it resumes from its last id.
        if (res.writableLength > maxBuffer) {
          res.destroy();
          return false;
        }
        res.write(frame);
        return true;
      },
      end: () => res.end(),
    };
    reply.hijack();
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    });
    res.write(openingFrame);
    let detach: (() => void) | null = null;
    let closed = false;
    res.on('close', () => {
      closed = true;
      detach?.();
    });
    try {
      detach = await hub.attach(principal.workspaceId, client, cursor.after);
      if (closed) detach();
    } catch (error) {
      // The headers are sent: end the stream, the client reconnects with its last id.
      request.log.warn({ err: error }, 'live stream could not start');
      res.end();
    }
  });
}
