/**
 * Starts the server as its own process (`node --import tsx src/main.ts`, what `npm run dev`
 * runs, without the watcher) on a free loopback port, for tests that need several processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServerProcess {
  url: URL;
  /** Everything the process wrote to stderr (its logs). */
  stderr(): string;
  /** Sends the process a signal (SIGHUP: reload keys and rollout). */
  signal(name: NodeJS.Signals): void;
  stop(): Promise<void>;
}

export async function startServerProcess(env: Record<string, string>, timeoutMs = 15_000): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, MCP_TRANSPORT: 'http', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
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
  return {
    url,
    stderr: () => stderr,
    signal: (name) => child.kill(name),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
