/**
 * Starts test/support/probe-server-main.ts (the real server with the cache probe tools) as its
 * own process on a free loopback port, as startServerProcess starts src/main.ts: two of them are
 * two replicas.
 */
import { startServerProcess, type ServerProcess } from './server-process.js';

export function startProbeServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  return startServerProcess(env, 'test/support/probe-server-main.ts');
}
