const TICK_MS = 100;

/**
 * A rate-limit window of `ceil(window s) × 10` slots of 100 ms (Mixer memquota
 * rollingWindow): allocations land in the current slot, slots older than the window are
 * returned to the pool as time advances; release gives back from the newest slots first.
 */
export class RollingWindow {
  private readonly _slots: number[];
  private readonly _max: number;
  private _lastTick: number;
  private _used = 0;

  constructor(maxAmount: number, windowMs: number, nowMs: number) {
    this._max = maxAmount;
    this._slots = new Array<number>(Math.ceil(windowMs / 1000) * 10).fill(0);
    this._lastTick = Math.floor(nowMs / TICK_MS);
  }

  /** Allocates up to `amount`; all-or-nothing unless `bestEffort`. Returns the amount granted. */
  alloc(amount: number, bestEffort: boolean, nowMs: number): number {
    const tick = this._advance(nowMs);
    const available = this._max - this._used;
    const granted = amount <= available ? amount : bestEffort ? Math.max(available, 0) : 0;
    if (granted > 0) {
      this._slots[tick % this._slots.length] += granted;
      this._used += granted;
    }
    return granted;
  }

  /** Returns `amount` to the pool from the newest slots backwards; returns how much was released. */
  release(amount: number, nowMs: number): number {
    const tick = this._advance(nowMs);
    let left = amount;
    for (let i = 0; i < this._slots.length && left > 0; i++) {
      const idx = (((tick - i) % this._slots.length) + this._slots.length) % this._slots.length;
      const take = Math.min(this._slots[idx], left);
      this._slots[idx] -= take;
      left -= take;
    }
    this._used -= amount - left;
    return amount - left;
  }

  /** Amount currently allocated within the window. */
  used(nowMs: number): number {
    this._advance(nowMs);
    return this._used;
  }

  private _advance(nowMs: number): number {
    const tick = Math.floor(nowMs / TICK_MS);
    const n = this._slots.length;
    const steps = Math.min(tick - this._lastTick, n);
    for (let i = 1; i <= steps; i++) {
      const idx = (this._lastTick + i) % n;
      this._used -= this._slots[idx];
      this._slots[idx] = 0;
    }
    if (tick > this._lastTick) this._lastTick = tick;
    return this._lastTick;
  }
}
