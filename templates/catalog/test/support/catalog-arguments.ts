/**
 * Arguments for a catalog operation in the tests: a sample value of each required parameter,
 * which its input schema accepts.
 */
import type { CatalogOperation, CatalogParam } from '../../src/api-catalog/catalog-operation.js';

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
