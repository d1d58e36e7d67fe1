/**
 * The calls this process is running: new ones are refused once shutdown begins, and shutdown
 * waits for the rest (then aborts their handlers' signals).
 */
import { withTimeout } from '../async/with-timeout.js';
import { HandlerSignals } from './handler-signals.js';

export class CallLifecycle {
  /** The signal each running handler gets (aborted by its client's cancel or by shutdown). */
  readonly handlerSignals = new HandlerSignals();
  private readonly inFlight = new Set<Promise<unknown>>();
  private shuttingDown = false;

  /** Whether new calls may start. */
  get accepting(): boolean {
    return !this.shuttingDown;
  }

  /** Counts `call` as in flight until it settles. */
  track<T>(call: Promise<T>): Promise<T> {
    this.inFlight.add(call);
    void call.finally(() => this.inFlight.delete(call));
    return call;
  }

  /** Refuses new calls from now on; calls already running continue. */
  beginShutdown(): void {
    this.shuttingDown = true;
  }

  /** Waits for calls in flight, at most `timeoutMs`; then aborts the stragglers' signals. `true`: all finished in time. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.beginShutdown();
    const finished = Promise.allSettled([...this.inFlight]).then(() => true);
    const drained = await withTimeout(finished, timeoutMs, false);
    if (!drained) this.handlerSignals.abortAll(new Error('server shutting down'));
    return drained;
  }
}
