/** A problem that must stop the server before it serves (bad credential, unsafe settings…). */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
