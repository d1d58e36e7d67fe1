/**
 * The one race between a promise and a timer: readiness checks, pings and the shutdown drain
 * all bound their wait with it, and the timer never outlives the race.
 */

/**
 * Settles as `promise` does, unless `ms` pass first: then resolves to `onTimeout` when one is
 * given, else rejects with "timed out after <ms> ms".
 */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T>;
export function withTimeout<T, F>(promise: Promise<T>, ms: number, onTimeout: F): Promise<T | F>;
export function withTimeout<T, F>(promise: Promise<T>, ms: number, ...onTimeout: [F] | []): Promise<T | F> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<F>((resolve, reject) => {
    timer = setTimeout(() => (onTimeout.length > 0 ? resolve(onTimeout[0] as F) : reject(new Error(`timed out after ${ms} ms`))), ms);
  });
  return Promise.race([promise, timedOut]).finally(() => clearTimeout(timer));
}
