/**
 * A catalog operation's parameters as a zod schema: the same schema a tool imported from the
 * operation declares (strict: an argument it does not take is refused), built when the operation
 * is first called or described, not at start-up.
 */
import { z } from 'zod';

import type { CatalogParam } from './catalog-operation.js';

const FORMATS: Record<NonNullable<CatalogParam['format']>, () => z.ZodType> = {
  'date-time': () => z.iso.datetime({ offset: true }),
  date: () => z.iso.date(),
  email: () => z.email(),
  uri: () => z.url(),
  uuid: () => z.uuid(),
};

function scalarEnum(values: ReadonlyArray<string | number>): z.ZodType {
  if (values.every((v) => typeof v === 'string')) return z.enum(values as [string, ...string[]]);
  if (values.length === 1) return z.literal(values[0]!);
  return z.union(values.map((v) => z.literal(v)) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]);
}

function valueSchema(param: CatalogParam): z.ZodType {
  switch (param.type) {
    case 'string':
      if (param.enum) return scalarEnum(param.enum);
      return param.format ? FORMATS[param.format]() : z.string();
    case 'number':
      return param.enum ? scalarEnum(param.enum) : z.number();
    case 'integer':
      return param.enum ? scalarEnum(param.enum) : z.number().int();
    case 'boolean':
      return z.boolean();
    case 'string[]':
      return z.array(param.enum ? scalarEnum(param.enum) : z.string());
    case 'object':
      return z.record(z.string(), z.unknown());
    case 'array':
      return z.array(z.unknown());
  }
}

export function inputSchemaOf(params: readonly CatalogParam[]): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const param of params) {
    let schema = valueSchema(param);
    if (param.default !== undefined) schema = (schema as z.ZodString).default(param.default as never);
    else if (!param.required) schema = schema.optional();
    if (param.description) schema = schema.describe(param.description);
    shape[param.name] = schema;
  }
  return z.strictObject(shape);
}
