/**
 * Turns SIGINT / SIGTERM during a write into an exception at the next safe point, so the
 * write's own cleanup (remove staging, roll back) runs before the process exits.
 */
import { UserError } from '../user-error.js';

export class WriteInterrupted extends UserError {
  constructor(readonly signal: NodeJS.Signals) {
    // The shell's convention: 128 + the signal's number.
    super(`interrupted by ${signal}; nothing was written`, { exitCode: signal === 'SIGINT' ? 130 : 143 });
  }

  override lines(): string[] {
    return [this.message];
  }
}

export async function withSignalGuard<T>(run: (checkSignal: () => void) => Promise<T>): Promise<T> {
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = signal;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await run(() => {
      if (interrupted) throw new WriteInterrupted(interrupted);
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
