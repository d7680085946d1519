// Domain time (room ends, auto-stop, leases of domain meaning, retention, statistics) comes
// from this clock. Signature windows always use the wall clock (Date.now), never this one.

export interface Clock {
  /** Domain time, Unix milliseconds. */
  now(): number;
}

export class SystemClock implements Clock {
  private offsetMs = 0;
  /** Only the development flag makes the clock movable. */
  readonly advanceable: boolean;
  constructor(advanceable: boolean) {
    this.advanceable = advanceable;
  }
  now(): number {
    return Date.now() + this.offsetMs;
  }
  /** Moves domain time forward (development only); returns the new now. */
  advance(ms: number): number {
    if (!this.advanceable) throw new Error("the clock can only be advanced in development mode");
    if (!Number.isFinite(ms) || ms < 0) throw new Error("advance takes a non-negative number of milliseconds");
    this.offsetMs += ms;
    return this.now();
  }
}

export const seconds = (ms: number): number => Math.floor(ms / 1000);
