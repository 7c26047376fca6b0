import type { Clock } from '../../shared/time.js';

/** Emulator time: a base clock plus an offset the control API can move forward (never back). */
export class EmulatorClock implements Clock {
  #offset = 0;
  constructor(private readonly base: Clock) {}
  now(): number {
    return this.base.now() + this.#offset;
  }
  advance(ms: number): void {
    if (ms > 0) this.#offset += ms;
  }
  get offsetMs(): number {
    return this.#offset;
  }
}
