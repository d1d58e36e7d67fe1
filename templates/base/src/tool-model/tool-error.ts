/**
 * An error whose message is safe and useful for the model to read ("No customer cus_123").
 * `code` lands in the audit record as errorCode. Backends throw it too, so it imports nothing.
 * `logged`, when given, is what the operator needs beyond the message: the pipeline logs it
 * with the code (a broken API contract's every mismatch), the model never sees it.
 */
export class ToolError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly logged?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}
