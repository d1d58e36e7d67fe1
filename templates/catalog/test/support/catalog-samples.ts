/**
 * What the catalog's tests call operations with: its operations by name, arguments each one's
 * input schema accepts, and every scope they need.
 */
import type { CatalogOperation, CatalogParam } from '../../src/api-catalog/catalog-operation.js';
import { catalog } from '../../src/api-catalog/catalog.js';

export const ops = catalog.operations;

const FORMATS: Record<string, string> = {
  'date-time': '2026-01-02T03:04:05Z',
  date: '2026-01-02',
  email: 'someone@example.com',
  uri: 'https://example.com/',
  uuid: '00000000-0000-4000-8000-000000000000',
};

function sampleValue(param: CatalogParam): unknown {
  if (param.enum) return param.type === 'string[]' ? [param.enum[0]] : param.enum[0];
  switch (param.type) {
    case 'string':
      return param.format ? FORMATS[param.format] : 'sample';
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return true;
    case 'string[]':
      return ['sample'];
    case 'object':
      return {};
    case 'array':
      return [];
  }
}

/** Arguments its input schema accepts: a sample value for each required parameter. */
export function argumentsFor(operation: CatalogOperation): Record<string, unknown> {
  return Object.fromEntries(operation.params.filter((p) => p.required && p.default === undefined).map((p) => [p.name, sampleValue(p)]));
}

/** An operation a test names: a re-import that removes it says so. */
export function operation(name: string): CatalogOperation {
  const found = catalog.get(name);
  if (!found) throw new Error(`${name} is no longer in src/api-catalog/operations.ts: name another in this test`);
  return found;
}

/** Every scope an operation needs, and the tools' defaults. */
export const everyScope = [...new Set(['tools:read', 'tools:write', ...ops.flatMap((op) => op.scopes)])].sort();
