import type { Clock } from '../../shared/time.js';

/** Emulator time: a base clock plus an offset the control API can move forward (never back). */
export class EmulatorClock implements Clock {
  #offset = 0;
  #listeners: Array<() => void> = [];
  constructor(private readonly base: Clock) {}
  now(): number {
    return this.base.now() + this.#offset;
  }
  advance(ms: number): void {
    if (!(ms > 0)) return;
    this.#offset += ms;
    for (const listener of this.#listeners) listener();
  }
  /** Runs `listener` after every move forward (what waits on emulator time, like UltraMsg queues, catches up). */
  onAdvance(listener: () => void): void {
    this.#listeners.push(listener);
  }
  get offsetMs(): number {
    return this.#offset;
  }
}
