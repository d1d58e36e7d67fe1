/**
 * Starts the server as its own process (`node --import tsx src/main.ts`, what `npm run dev`
 * runs, without the watcher) on a free loopback port, for tests that need several processes.
 * It gets what its backends need in a test (test-backends.ts: e.g. its own copy of the migrated
 * embedded database), and is ready when its start-up line names the URL it listens on.
 */
import { spawn, type ChildProcess } from 'node:child_process';

import { startTestBackends } from './test-backends.js';
import { HANG_MS } from './wait.js';

export interface ServerProcess {
  url: URL;
  /** Everything the process wrote to stderr (its logs). */
  stderr(): string;
  /** Sends the process a signal (SIGHUP: reload keys and rollout). */
  signal(name: NodeJS.Signals): void;
  stop(): Promise<void>;
}

/** `entry`: the script to run (another entry point that starts the same server, e.g. with test tools). */
export async function startServerProcess(env: Record<string, string>, entry = 'src/main.ts'): Promise<ServerProcess> {
  const backends = await startTestBackends({ ownProcess: true });
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry], {
    env: { ...process.env, MCP_TRANSPORT: 'http', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...backends.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await backends.close();
  };
  try {
    const url = await new Promise<URL>((resolve, reject) => {
      // Not a speed budget: a busy machine may take long to start it; only a hang takes this long.
      const timer = setTimeout(() => reject(new Error(`server did not start within ${HANG_MS / 1000} s:\n${stderr}`)), HANG_MS);
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        // The start-up log line names the URL it listens on (PORT=0 picks a free port).
        const match = /"url":"(http:\/\/[^"]+\/mcp)"/.exec(stderr);
        if (match) {
          clearTimeout(timer);
          resolve(new URL(match[1]!));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}:\n${stderr}`));
      });
    });
    return { url, stderr: () => stderr, signal: (name) => void child.kill(name), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
