/**
 * A tool's declared parameters as zod: once as source text for the generated tool file,
 * and once as a live schema the generator converts to JSON Schema for the contract lock.
 * Both are built from the same table, so the lock matches what the server will list.
 */
import { z } from 'zod';
import type { ParamSpec, ParamType } from './project-spec.js';

const SOURCE: Record<ParamType, string> = {
  string: 'z.string()',
  number: 'z.number()',
  integer: 'z.number().int()',
  boolean: 'z.boolean()',
  'string[]': 'z.array(z.string())',
};

const LIVE: Record<ParamType, () => z.ZodType> = {
  string: () => z.string(),
  number: () => z.number(),
  integer: () => z.number().int(),
  boolean: () => z.boolean(),
  'string[]': () => z.array(z.string()),
};

export function paramZodSource(param: ParamSpec): string {
  let src = SOURCE[param.type];
  if (!param.required) src += '.optional()';
  if (param.description) src += `.describe(${JSON.stringify(param.description)})`;
  return src;
}

/** Strict: an argument the tool does not declare is refused, so a model learns of its mistake. */
export function inputZodSource(params: readonly ParamSpec[]): string {
  if (params.length === 0) return 'z.strictObject({})';
  const fields = params.map((p) => `  ${p.name}: ${paramZodSource(p)},`).join('\n');
  return `z.strictObject({\n${fields}\n})`;
}

export function inputZodSchema(params: readonly ParamSpec[]): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const p of params) {
    let schema = LIVE[p.type]();
    if (!p.required) schema = schema.optional();
    if (p.description) schema = schema.describe(p.description);
    shape[p.name] = schema;
  }
  return z.strictObject(shape);
}
