/**
 * A tool's declared parameters as zod: once as source text for the generated tool file,
 * and once as a live schema the generator converts to JSON Schema for the contract lock.
 * Both are built from the same steps, so the lock matches what the server will list.
 */
import { z } from 'zod';
import type { ParamSpec } from './project-spec.js';

/** One schema built two ways in step: as source text and as a live zod schema. */
interface Built {
  src: string;
  live: z.ZodType;
}

const FORMATS: Record<NonNullable<ParamSpec['format']>, [string, () => z.ZodType]> = {
  'date-time': ['z.iso.datetime({ offset: true })', () => z.iso.datetime({ offset: true })],
  date: ['z.iso.date()', () => z.iso.date()],
  email: ['z.email()', () => z.email()],
  uri: ['z.url()', () => z.url()],
  uuid: ['z.uuid()', () => z.uuid()],
};

/** The value type alone: enum and format first, since they replace the plain type. */
function baseOf(param: ParamSpec): Built {
  const values = param.enum;
  const scalarEnum = (list: ReadonlyArray<string | number>): Built =>
    list.every((v) => typeof v === 'string')
      ? { src: `z.enum(${JSON.stringify(list)})`, live: z.enum(list as [string, ...string[]]) }
      : list.length === 1
        ? { src: `z.literal(${JSON.stringify(list[0])})`, live: z.literal(list[0]!) }
        : {
            src: `z.union([${list.map((v) => `z.literal(${JSON.stringify(v)})`).join(', ')}])`,
            live: z.union(list.map((v) => z.literal(v)) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]),
          };
  switch (param.type) {
    case 'string':
      if (values) return scalarEnum(values);
      if (param.format) return { src: FORMATS[param.format][0], live: FORMATS[param.format][1]() };
      return { src: 'z.string()', live: z.string() };
    case 'number':
      return values ? scalarEnum(values) : { src: 'z.number()', live: z.number() };
    case 'integer':
      return values ? scalarEnum(values) : { src: 'z.number().int()', live: z.number().int() };
    case 'boolean':
      return { src: 'z.boolean()', live: z.boolean() };
    case 'string[]': {
      const item = values ? scalarEnum(values) : { src: 'z.string()', live: z.string() };
      return { src: `z.array(${item.src})`, live: z.array(item.live) };
    }
    case 'object':
      return { src: 'z.record(z.string(), z.unknown())', live: z.record(z.string(), z.unknown()) };
    case 'array':
      return { src: 'z.array(z.unknown())', live: z.array(z.unknown()) };
  }
}

function build(param: ParamSpec): Built {
  let { src, live } = baseOf(param);
  if (param.default !== undefined) {
    src += `.default(${JSON.stringify(param.default)})`;
    live = (live as z.ZodString).default(param.default as never);
  } else if (!param.required) {
    src += '.optional()';
    live = live.optional();
  }
  if (param.description) {
    src += `.describe(${JSON.stringify(param.description)})`;
    live = live.describe(param.description);
  }
  return { src, live };
}

export function paramZodSource(param: ParamSpec): string {
  return build(param).src;
}

/** Strict: an argument the tool does not declare is refused, so a model learns of its mistake. */
export function inputZodSource(params: readonly ParamSpec[]): string {
  if (params.length === 0) return 'z.strictObject({})';
  const fields = params.map((p) => `  ${p.name}: ${paramZodSource(p)},`).join('\n');
  return `z.strictObject({\n${fields}\n})`;
}

export function inputZodSchema(params: readonly ParamSpec[]): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const p of params) shape[p.name] = build(p).live;
  return z.strictObject(shape);
}
