/**
 * Where the commands talk: plain lines (CI logs, pipes) or @clack/prompts' spinner on a
 * terminal. Commands take an Output so tests can run them in-process and read what they say.
 * @clack/prompts is loaded only on a terminal: it is the heaviest import of a CLI run.
 */

export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Runs a long step with progress shown; returns its result. */
  step<T>(title: string, run: () => Promise<T>): Promise<T>;
  interactive: boolean;
}

export function terminalOutput(): Output {
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  return {
    interactive,
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    async step(title, run) {
      const started = Date.now();
      const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
      if (!process.stdout.isTTY) {
        process.stdout.write(`${title}...\n`);
        const result = await run();
        process.stdout.write(`${title}: done in ${elapsed()}\n`);
        return result;
      }
      const { spinner } = await import('@clack/prompts');
      const spin = spinner();
      spin.start(title);
      try {
        const result = await run();
        spin.stop(`${title}: done in ${elapsed()}`);
        return result;
      } catch (err) {
        spin.error(`${title}: failed after ${elapsed()}`);
        throw err;
      }
    },
  };
}
