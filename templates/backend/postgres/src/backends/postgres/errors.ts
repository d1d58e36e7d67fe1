/**
 * Database errors as the model should read them: a short business message and a stable code,
 * never SQL, a constraint name, a table or a stack trace. The original error is logged by
 * postgres-backend.ts for the operator; anything not recognised here stays an internal error
 * (the model sees only `[internal_error] … Reference: <requestId>`).
 */
import { ToolError } from '../../tool-model/tool-error.js';

/** SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html) -> what the model reads. */
const BY_SQLSTATE: Record<string, [code: string, message: string]> = {
  '23505': ['conflict', 'A record with the same identifier already exists.'],
  '23503': ['invalid_reference', 'The request refers to a record that does not exist.'],
  '23502': ['invalid_request', 'A required value is missing.'],
  '23514': ['invalid_request', 'A value is outside what is allowed (too long, empty or not one of the allowed values).'],
  '22001': ['invalid_request', 'A value is too long.'],
  '22P02': ['invalid_request', 'A value has the wrong format.'],
  // A NUL (\u0000) in a string argument: valid JSON, but no PostgreSQL text can hold it.
  '22021': ['invalid_request', 'A value holds a character the database cannot store (such as NUL).'],
  '22003': ['invalid_request', 'A number is out of range.'],
  '22007': ['invalid_request', 'A date or time has the wrong format.'],
  '22008': ['invalid_request', 'A date or time is out of range.'],
  '25006': ['read_only', 'This tool only reads data; it cannot change anything.'],
  '42501': ['forbidden', 'This operation is not permitted for your organisation.'],
  '40001': ['conflict', 'The data changed while this request ran. Retry it.'],
  '40P01': ['conflict', 'The data changed while this request ran. Retry it.'],
  '55P03': ['busy', 'The record is being changed by someone else. Retry shortly.'],
  '57014': ['timeout', 'The database took too long to answer. Narrow the request or retry later.'],
  '53300': ['unavailable', 'The database is busy right now. Retry shortly.'],
  '57P01': ['unavailable', 'The database is unavailable right now. Retry shortly.'],
  '57P02': ['unavailable', 'The database is unavailable right now. Retry shortly.'],
  '57P03': ['unavailable', 'The database is unavailable right now. Retry shortly.'],
};

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'EAI_AGAIN']);

/** The ToolError for a database error, or `undefined` when it is not one we can explain. */
export function toToolError(error: unknown): ToolError | undefined {
  if (error instanceof ToolError) return error;
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    const known = BY_SQLSTATE[code];
    if (known) return new ToolError(known[0], known[1]);
    // Class 08: connection exceptions.
    if (/^08/.test(code) || NETWORK_CODES.has(code)) {
      return new ToolError('unavailable', 'The database is unavailable right now. Retry shortly.');
    }
  }
  // node-postgres: no free connection within DATABASE_CONNECT_TIMEOUT_MS, or the server went away.
  if (/timeout exceeded when trying to connect|Connection terminated|Query read timeout/i.test(error.message)) {
    return new ToolError('unavailable', 'The database is unavailable right now. Retry shortly.');
  }
  return undefined;
}
