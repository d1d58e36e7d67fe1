/**
 * Requests whose answers are still on their way out. A handler's call finishing is not its
 * answer written: the SDK still has to shape and send it. Shutdown waits on this (after the
 * pipeline has drained) before it closes connections, so a call that finished in time is
 * answered, not cut off.
 */
import { withTimeout } from '../async/with-timeout.js';

export class AnswersInFlight<K> {
  private readonly open = new Set<K>();
  private waiters: Array<() => void> = [];

  /** `key` is answering until `settle(key)`. */
  add(key: K): void {
    this.open.add(key);
  }

  settle(key: K): void {
    if (!this.open.delete(key) || this.open.size > 0) return;
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves once none is open, or after `timeoutMs`: `true` when every answer went out. */
  settled(timeoutMs: number): Promise<boolean> {
    if (this.open.size === 0) return Promise.resolve(true);
    return withTimeout(new Promise<boolean>((resolve) => this.waiters.push(() => resolve(true))), timeoutMs, false);
  }
}
