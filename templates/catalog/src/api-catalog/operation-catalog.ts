/**
 * A governed catalog: the API's operations as data (operations.ts), found by search_operations,
 * read by describe_operation and called by call_operation. Each operation becomes a tool of its
 * own when first used (built once, then kept): call_operation routes a call to it, and the
 * pipeline runs that call with the operation's scopes, access, approval, rate limit and audit
 * record, as if the operation were a tool of the server. The call itself is the http backend's
 * callOperation, the same as an imported tool's.
 */
import { z } from 'zod';

import { alreadyGoneField, callOperation, IDEMPOTENT_METHODS } from '../backends/http/operation.js';
import { truncationFields } from '../pipeline/response-budget.js';
import { defineTool, ToolError, type AnyTool } from '../tool-model/define-tool.js';
import type { CatalogOperation } from './catalog-operation.js';
import { inputSchemaOf } from './input-schema.js';

/**
 * What an operation answers (as an imported tool's): the status, the data (typed by the
 * document's answer when the import typed it: `answer`), and what was cut.
 */
function outputSchemaOf(operation: CatalogOperation, answer: z.ZodType | undefined): z.ZodObject {
  return z.object({
    status: z.number().int().describe('The HTTP status the API answered'),
    data: (answer ?? z.unknown()).optional().describe(operation.response ?? "The API's answer"),
    omitted: z
      .array(z.object({ path: z.string(), total: z.number().int(), kept: z.number().int() }))
      .optional()
      .describe('Lists in data that were cut short, with how many items they had; narrow the request to see the rest'),
    ...(operation.access === 'read' ? truncationFields : {}),
    ...(operation.operation.method === 'DELETE' ? alreadyGoneField : {}),
  });
}

/**
 * The one answer for an operation the caller cannot see: absent from the catalog, or outside
 * the tenant's rollout. search_operations leaves the latter out as tools/list leaves out a tool
 * outside the rollout, so describe_operation and call_operation must not tell it apart either:
 * `[tool_disabled]` would confirm, to anyone guessing names, which operations exist and are
 * withheld from their tenant, which is more than its own listing shows.
 */
export function noSuchOperation(): ToolError {
  return new ToolError('not_found', 'No such operation: search_operations lists the operations you may call (their names as it gives them).');
}

export interface SearchOptions {
  query: string;
  tag?: string | undefined;
  limit: number;
  offset: number;
  /** Whether the caller may call it (scopes, tenant rollout): search lists only those. */
  allowed: (operation: CatalogOperation) => boolean;
}

export interface SearchHit {
  name: string;
  title: string;
  access: 'read' | 'write';
  approval: 'none' | 'client' | 'human';
  method: string;
  path: string;
  tags: string[];
}

const words = (text: string) => text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);

export class OperationCatalog {
  private readonly byName = new Map<string, CatalogOperation>();
  private readonly tools = new Map<string, AnyTool>();
  /** Each operation's words by where they are, lower case, for search. */
  private readonly index: Array<{ operation: CatalogOperation; name: Set<string>; title: Set<string>; tags: Set<string>; text: string }>;

  constructor(readonly operations: readonly CatalogOperation[]) {
    for (const operation of operations) this.byName.set(operation.name, operation);
    this.index = operations.map((operation) => ({
      operation,
      name: new Set(words(operation.name)),
      title: new Set(words(operation.title)),
      tags: new Set(operation.tags.flatMap(words)),
      text: `${operation.name} ${operation.title} ${operation.tags.join(' ')} ${operation.operation.method} ${operation.operation.path} ${operation.description}`.toLowerCase(),
    }));
  }

  get(name: string): CatalogOperation | undefined {
    return this.byName.get(name);
  }

  /** The operation as a tool the pipeline runs (its handler makes the API call). */
  tool(name: string): AnyTool | undefined {
    const cached = this.tools.get(name);
    if (cached) return cached;
    const operation = this.byName.get(name);
    if (!operation) return undefined;
    const write = operation.access === 'write';
    // The import's reduced JSON Schema (loose objects, no enum or format checks) as zod; callOperation
    // checks the API's answer against it, as an imported tool's.
    const answer = operation.output ? z.fromJSONSchema(operation.output as Parameters<typeof z.fromJSONSchema>[0]) : undefined;
    const call = answer ? { ...operation.operation, answer } : operation.operation;
    const tool = defineTool({
      name: operation.name,
      version: operation.version,
      title: operation.title,
      description: operation.description,
      access: operation.access,
      scopes: operation.scopes,
      rateLimit: operation.rateLimit,
      approval: operation.approval,
      inputSchema: inputSchemaOf(operation.params),
      outputSchema: outputSchemaOf(operation, answer),
      // The tenant's own API credential, through the http backend's timeouts, retries (reads,
      // and PUT and DELETE: idempotent, as an imported tool's SAFE_TO_RETRY says), circuit
      // breaker and response cap: the same call an imported tool makes. Its result goes on as
      // callOperation built it, so an answer checked against `answer` is not parsed again.
      handler: (input, ctx) =>
        callOperation(ctx.backends.http, call, input, write ? { idempotencyKey: ctx.requestId, idempotent: IDEMPOTENT_METHODS.has(operation.operation.method) } : {}),
    });
    this.tools.set(name, tool);
    return tool;
  }

  /**
   * The operations matching every word of `query` (in their name, title, tags, method, path or
   * description), the caller's only, best first: a word in the name counts most, then in the
   * title or tags. A page of `limit` from `offset`.
   */
  search(options: SearchOptions): { operations: SearchHit[]; total: number; nextOffset?: number } {
    const terms = words(options.query);
    const tag = options.tag?.toLowerCase();
    const matches: Array<{ operation: CatalogOperation; score: number }> = [];
    for (const entry of this.index) {
      if (tag !== undefined && !entry.operation.tags.some((t) => t.toLowerCase() === tag)) continue;
      let score = 0;
      let all = true;
      for (const term of terms) {
        const weight = (entry.name.has(term) ? 4 : 0) + (entry.title.has(term) ? 2 : 0) + (entry.tags.has(term) ? 2 : 0);
        if (weight > 0) score += weight;
        else if (entry.text.includes(term)) score += 1;
        else {
          all = false;
          break;
        }
      }
      if (all && options.allowed(entry.operation)) matches.push({ operation: entry.operation, score });
    }
    matches.sort((a, b) => b.score - a.score || (a.operation.name < b.operation.name ? -1 : 1));
    const page = matches.slice(options.offset, options.offset + options.limit);
    const next = options.offset + page.length;
    return {
      operations: page.map(({ operation }) => ({
        name: operation.name,
        title: operation.title,
        access: operation.access,
        approval: operation.approval,
        method: operation.operation.method,
        path: operation.operation.path,
        tags: operation.tags,
      })),
      total: matches.length,
      ...(next < matches.length ? { nextOffset: next } : {}),
    };
  }

  /** What describe_operation answers: the operation's description, access, approval, scopes, input JSON Schema and answer's JSON Schema. */
  describe(name: string) {
    const operation = this.byName.get(name)!;
    const schema = this.tool(name)!.inputSchema as z.ZodObject;
    return {
      name: operation.name,
      title: operation.title,
      description: operation.description,
      access: operation.access,
      approval: operation.approval,
      scopes: operation.scopes,
      method: operation.operation.method,
      path: operation.operation.path,
      tags: operation.tags,
      ...(operation.rateLimit ? { rateLimitPerMinute: operation.rateLimit.perMinute } : {}),
      inputSchema: z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>,
      ...(operation.response ? { response: operation.response } : {}),
      ...(operation.output ? { outputSchema: operation.output } : {}),
    };
  }
}
