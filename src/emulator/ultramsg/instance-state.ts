import { randomBytes } from 'node:crypto';
import type { EmulatorCore } from '../core.js';
import { blackAndWhitePng } from '../shared/png.js';
import type { UltraMsgInstance, UltraMsgInstanceState } from '../types.js';
import { isSending, queueFor } from './queue.js';

export const INSTANCE_STATES: readonly UltraMsgInstanceState[] = ['authenticated', 'disconnected', 'standby', 'qr', 'loading'];

/** How long `instance/restart` keeps an instance `loading` before it is back (authenticated, or qr when logged out). */
export const RESTART_MS = 300;

/** The QR string of an instance waiting for a scan: a new one after every logout, as WhatsApp Web does. */
const qrStrings = new WeakMap<UltraMsgInstance, string>();

/**
 * Moves an instance to `state`. Only an authenticated instance sends: its queue resumes then, and messages
 * queued meanwhile leave in priority order. Logging out (`qr`) draws a new QR string.
 */
export function setInstanceState(core: EmulatorCore, instance: UltraMsgInstance, state: UltraMsgInstanceState): void {
  if (state === 'qr' && instance.state !== 'qr') qrStrings.set(instance, `2@${randomBytes(48).toString('base64')},${randomBytes(32).toString('base64')},${randomBytes(32).toString('base64')}`);
  instance.state = state;
  if (isSending(instance)) queueFor(core, instance).resume();
}

/** `instance/restart`: loading for a moment, then back; a logged-out instance comes back waiting for its scan. */
export function restartInstance(core: EmulatorCore, instance: UltraMsgInstance): void {
  const back = instance.state === 'qr' ? 'qr' : 'authenticated';
  setInstanceState(core, instance, 'loading');
  core.timers.after(RESTART_MS, () => {
    if (instance.state === 'loading') setInstanceState(core, instance, back);
  });
}

/** `instance/status`'s `accountStatus`, in UltraMsg's shape (`{status, substatus}`). */
export function accountStatusOf(instance: UltraMsgInstance): { status: string; substatus: string } {
  return instance.state === 'authenticated' ? { status: 'authenticated', substatus: 'connected' } : { status: instance.state, substatus: 'normal' };
}

/** The QR string to scan, while the instance waits for one. */
export function qrStringOf(instance: UltraMsgInstance): string | undefined {
  return instance.state === 'qr' ? qrStrings.get(instance) : undefined;
}

/**
 * A PNG standing in for the QR code of `text`: finder squares in three corners and modules drawn from the
 * text's bytes. It is a real image (for SDKs and consoles to show) but not a scannable code: in the
 * emulator, "scanning" is `PUT /_emulator/ultramsg/:instanceId/state {"state":"authenticated"}`.
 */
export function qrPng(text: string): Buffer {
  const size = 33;
  const bytes = Buffer.from(text);
  const finder = (x: number, y: number) => {
    for (const [ox, oy] of [[0, 0], [size - 7, 0], [0, size - 7]]) {
      const dx = x - ox;
      const dy = y - oy;
      if (dx >= 0 && dx < 7 && dy >= 0 && dy < 7) return dx === 0 || dx === 6 || dy === 0 || dy === 6 || (dx >= 2 && dx <= 4 && dy >= 2 && dy <= 4);
    }
    return undefined;
  };
  return blackAndWhitePng(size + 8, 6, (mx, my) => {
    const x = mx - 4;
    const y = my - 4;
    if (x < 0 || y < 0 || x >= size || y >= size) return false;
    const f = finder(x, y);
    if (f !== undefined) return f;
    const bit = x * size + y;
    return ((bytes[bit % bytes.length] >> (bit % 8)) & 1) === 1;
  });
}
