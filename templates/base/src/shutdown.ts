/**
 * A graceful stop, in order: no new work; the calls in flight finish (their handlers' signals are
 * aborted once SHUTDOWN_TIMEOUT_MS has passed); their answers are written; the transport and then
 * the app (backends, the audit log's last records) are closed. main.ts runs it on SIGTERM/SIGINT.
 */
import type { App } from './app.js';
import type { RunningTransport } from './transports/running-transport.js';

/**
 * Time left to write the answers once the handlers are done, even when they took the whole
 * timeout: an aborted call's error result is an answer too.
 */
const ANSWER_GRACE_MS = 1_000;

export async function shutDown(app: App, transport: RunningTransport, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await transport.stopAccepting();
  await app.pipeline.drain(timeoutMs);
  await transport.close(Math.max(deadline - Date.now(), ANSWER_GRACE_MS));
  await app.close();
}
