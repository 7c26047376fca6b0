import type { FastifyInstance, FastifyReply } from 'fastify';
import type { EmulatorCore } from '../core.js';
import { blackAndWhitePng } from '../shared/png.js';
import type { UltraMsgInstance } from '../types.js';
import { authorizeUltraMsg } from './authorize.js';
import { accountStatusOf, qrPng, qrStringOf, restartInstance, setInstanceState } from './instance-state.js';
import { queueFor } from './queue.js';

/**
 * `GET /{instance}/instance/{status|qr|qrCode|screenshot}`: the session as UltraMsg's SDKs read it.
 * - status: `{"status":{"accountStatus":{"status":"authenticated","substatus":"connected"}}}`, or the
 *   state with substatus `normal` (`qr`, `loading`, `disconnected`, `standby`);
 * - qr: the QR code as a PNG image while the instance waits for a scan;
 * - qrCode: `{"qrCode":"2@…"}`, the string the QR code encodes;
 * - screenshot: a PNG of the session's screen (the QR code while waiting for a scan); `encoding=base64`
 *   gives it as a `data:image/png;base64,…` text.
 * With no QR to show (the instance is not waiting for a scan), qr and qrCode answer HTTP 200 with
 * `{"error":"…"}`, UltraMsg's way of reporting business errors.
 */
export function readInstance(core: EmulatorCore, instance: UltraMsgInstance, what: string, params: Record<string, unknown>, reply: FastifyReply): unknown {
  switch (what) {
    case 'status':
      return { status: { accountStatus: accountStatusOf(instance) } };
    case 'qr':
    case 'qrCode': {
      const qr = qrStringOf(instance);
      if (!qr) return { error: `instance is ${instance.state}, not waiting for a QR code scan` };
      if (what === 'qrCode') return { qrCode: qr };
      return reply.type('image/png').send(qrPng(qr));
    }
    case 'screenshot': {
      const qr = qrStringOf(instance);
      // Waiting for a scan, the screen shows the QR code; otherwise a plain framed screen.
      const png = qr ? qrPng(qr) : blackAndWhitePng(40, 6, (x, y) => x === 0 || y === 0 || x === 39 || y === 39 || y === 4);
      if (params.encoding === 'base64') return reply.type('text/plain').send(`data:image/png;base64,${png.toString('base64')}`);
      return reply.type('image/png').send(png);
    }
    default:
      return reply.status(404).send({ error: `Unknown endpoint instance/${what}` });
  }
}

/**
 * `POST /{instance}/instance/{logout|restart|clear|takeover}` (`instance/settings` is in routes.ts):
 * - logout: the phone is unlinked; the instance waits for a QR scan (`qr`) with a new QR code;
 * - restart: `loading` for `RESTART_MS`, then back (still `qr` if it was logged out);
 * - clear: logs out and forgets the instance's queue and messages (the queued ones become `unsent`);
 * - takeover: the session comes back to this instance (authenticated), unless it waits for a scan.
 * Each answers `{"success":"…"}`. Messages sent while the instance is not authenticated stay queued.
 */
export function registerInstanceRoutes(app: FastifyInstance, core: EmulatorCore): void {
  app.post<{ Params: { instanceId: string; action: string } }>('/:instanceId/instance/:action', async (request, reply) => {
    const auth = authorizeUltraMsg(core, request, reply);
    if (!auth) return reply;
    const { instance } = auth;
    switch (request.params.action) {
      case 'logout':
        setInstanceState(core, instance, 'qr');
        return { success: 'instance logout successfully' };
      case 'restart':
        restartInstance(core, instance);
        return { success: 'instance restarted' };
      case 'clear': {
        queueFor(core, instance).clear();
        for (const [id, m] of core.state.ultramsgMessages) if (m.instanceId === instance.instanceId) core.state.ultramsgMessages.delete(id);
        setInstanceState(core, instance, 'qr');
        return { success: 'instance cleared' };
      }
      case 'takeover':
        if (instance.state !== 'qr') setInstanceState(core, instance, 'authenticated');
        return { success: 'takeover' };
      default:
        return reply.status(404).send({ error: `Unknown endpoint instance/${request.params.action}` });
    }
  });
}
