/**
 * An error whose message is safe and useful for the model to read ("No customer cus_123").
 * `code` lands in the audit record as errorCode. Backends throw it too, so it imports nothing.
 */
export class ToolError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}
