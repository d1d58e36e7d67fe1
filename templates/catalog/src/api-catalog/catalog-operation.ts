/**
 * One operation of a governed catalog, as src/api-catalog/operations.ts lists it: what a tool
 * imported from the same operation would declare (name, description, access, approval, scopes,
 * rate limit, parameters), and the API call it makes.
 */
import type { Operation } from '../backends/http/operation.js';

export interface CatalogParam {
  name: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'string[]' | 'object' | 'array';
  description: string;
  required: boolean;
  enum?: Array<string | number>;
  default?: string | number | boolean;
  format?: 'date-time' | 'date' | 'email' | 'uri' | 'uuid';
}

export interface CatalogOperation {
  /** Its name: in search results, call_operation's `operation`, audit records, rate-limit buckets and rollout rules. */
  name: string;
  title: string;
  description: string;
  access: 'read' | 'write';
  approval: 'none' | 'client' | 'human';
  /** Every scope a caller needs to call it (all of them). */
  scopes: string[];
  rateLimit?: { perMinute: number };
  version: string;
  /** Its tags in the API document. */
  tags: string[];
  /** Its arguments (with approvalId on an operation with approval `human`). */
  params: CatalogParam[];
  operation: Operation;
  /** What a successful answer holds. */
  response?: string;
  /** The documented 2xx JSON answer's schema (JSON Schema, reduced and capped by the import); absent: untyped. */
  output?: Record<string, unknown>;
}
