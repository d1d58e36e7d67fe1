/**
 * A governed catalog's three tools: what an OpenAPI import serves instead of one tool per
 * operation when there are many (`openapi.mode` "catalog", or "auto" above the threshold). The
 * model finds an operation (search_operations), reads its input schema (describe_operation) and
 * calls it (call_operation); the generated server runs each call as a call of that operation,
 * with its own scopes, access, approval, rate limit and audit record.
 */
import type { CatalogRole, ToolSpec } from '../../spec/project-spec.js';

export type CatalogToolSpec = ToolSpec & { catalogRole: CatalogRole };

/** The most operations one search answers with. */
export const MAX_SEARCH_LIMIT = 50;

export const CATALOG_TOOL_NAMES: Record<CatalogRole, string> = {
  search: 'search_operations',
  describe: 'describe_operation',
  call: 'call_operation',
};

/**
 * The three tools, described for the API the document names. call_operation is a write tool
 * (advertised with destructiveHint) only when some operation writes: a catalog of reads is
 * advertised read-only. Either way each call runs with its operation's own access and approval.
 */
export function catalogTools(apiTitle: string, count: number, access: 'read' | 'write' = 'write'): CatalogToolSpec[] {
  const api = apiTitle.trim() || 'the API';
  const governed =
    access === 'write'
      ? 'Each call is authorized, rate-limited, approved and audited as that operation: a write may need approval, and then returns an approval id to call again with (as arguments.approvalId).'
      : 'Each call is authorized, rate-limited and audited as that operation; every operation only reads.';
  return [
    {
      name: CATALOG_TOOL_NAMES.search,
      title: `Search the operations of ${api}`,
      description: `Finds operations of ${api} (${count} in all) by words in their name, summary, tags or path. Use it first, to find the operation that does what you need; it lists only the operations your credential may call, a page at a time. Then read one with describe_operation and call it with call_operation.`,
      access: 'read',
      version: '1.0.0',
      backend: 'http',
      scopes: ['tools:read'],
      approval: 'none',
      catalogRole: 'search',
      params: [
        { name: 'query', type: 'string', description: 'Words to look for, such as "list issues" or "pull request review"; empty lists every operation.', required: false, default: '' },
        { name: 'tag', type: 'string', description: 'Only operations with this tag of the API document.', required: false },
        { name: 'limit', type: 'integer', description: `How many operations to return (1-${MAX_SEARCH_LIMIT}).`, required: false, default: 20 },
        { name: 'offset', type: 'integer', description: 'How many matches to skip: the nextOffset of the previous page.', required: false, default: 0 },
      ],
    },
    {
      name: CATALOG_TOOL_NAMES.describe,
      title: `Describe an operation of ${api}`,
      description: `Returns one operation of ${api}: its description, its input schema (the arguments call_operation takes for it), whether it reads or writes, whether a call needs approval, and the scopes it needs. Use it after search_operations and before call_operation.`,
      access: 'read',
      version: '1.0.0',
      backend: 'http',
      scopes: ['tools:read'],
      approval: 'none',
      catalogRole: 'describe',
      params: [{ name: 'operation', type: 'string', description: 'The operation name search_operations returned.', required: true }],
    },
    {
      name: CATALOG_TOOL_NAMES.call,
      title: `Call an operation of ${api}`,
      description: `Calls one operation of ${api} with its arguments and returns the API's answer (status and data). Use it once describe_operation told you the operation's arguments. ${governed}`,
      access,
      version: '1.0.0',
      backend: 'http',
      scopes: ['tools:read'],
      approval: 'none',
      catalogRole: 'call',
      params: [
        { name: 'operation', type: 'string', description: 'The operation name search_operations returned.', required: true },
        { name: 'arguments', type: 'object', description: "The operation's arguments, as describe_operation's inputSchema says.", required: false },
      ],
    },
  ];
}
