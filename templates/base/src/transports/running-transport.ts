/** What main.ts needs from a started transport to shut it down in order. */
export interface RunningTransport {
  /** Stop taking new work (HTTP: close the listener, fail /readyz). */
  stopAccepting(): Promise<void>;
  /** Tear down what is left (open connections, the protocol handler). */
  close(): Promise<void>;
}
