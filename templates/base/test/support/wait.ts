/**
 * Waiting in tests: for a signal (a log line, a status, a reloaded file), never for a number of
 * milliseconds. A busy CI runner may take many seconds to start a server or notice a changed
 * file; the bound below only catches something that will never happen, so it is generous.
 */

/** How long a test waits for something before calling it a hang (not a speed budget). */
export const HANG_MS = 120_000;

type Found<T> = T | false | null | undefined;

/**
 * Polls `check` until it returns something other than false, null or undefined, and returns
 * that; fails naming `what` after {@link HANG_MS}. A `check` that throws stops the wait.
 */
export async function eventually<T>(what: string, check: () => Found<T> | Promise<Found<T>>, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + HANG_MS;
  for (;;) {
    const found = await check();
    if (found !== false && found !== null && found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`still waiting after ${HANG_MS / 1000} s for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
