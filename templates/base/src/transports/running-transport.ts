/** What shutdown.ts needs from a started transport to shut it down in order. */
export interface RunningTransport {
  /** Stop taking new work (HTTP: close the listener, fail /readyz). */
  stopAccepting(): Promise<void>;
  /**
   * Let the answers still being written go out, for at most `graceMs`, then tear down what is
   * left (open connections, the protocol handler).
   */
  close(graceMs: number): Promise<void>;
}
