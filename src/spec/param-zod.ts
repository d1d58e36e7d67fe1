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

/**
 * An imported operation's answer (`http.output`, the JSON Schema src/import/openapi/output-schema.ts
 * reduces the document's to) as zod: loose objects, since an API may add fields; `required`
 * kept; null where the document allows it; a node the import cut (`$comment`) as z.unknown()
 * with the reason beside it. Scalars are built as parameters of the same type are.
 */
function answerOf(schema: Record<string, unknown>, indent: string): Built {
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  const nullable = types.includes('null') || (Array.isArray(schema.anyOf) && schema.anyOf.some((v) => (v as { type?: unknown }).type === 'null'));
  const type = types.find((t) => t !== 'null') as string | undefined;
  let built: Built;
  const inner = `${indent}  `;
  if (typeof schema.$comment === 'string' && type === undefined && !Array.isArray(schema.anyOf)) {
    built = { src: `z.unknown() /* ${schema.$comment.replace(/\*\//g, '* /')} */`, live: z.unknown() };
  } else if (Array.isArray(schema.anyOf)) {
    const variants = (schema.anyOf as Array<Record<string, unknown>>).filter((v) => v.type !== 'null').map((v) => answerOf(v, inner));
    built =
      variants.length === 1
        ? variants[0]!
        : { src: `z.union([\n${variants.map((v) => `${inner}${v.src},\n`).join('')}${indent}])`, live: z.union(variants.map((v) => v.live) as [z.ZodType, z.ZodType]) };
  } else if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean') {
    built = baseOf({ name: '', type, description: '', required: true });
  } else if (type === 'array') {
    const items = schema.items ? answerOf(schema.items as Record<string, unknown>, indent) : { src: 'z.unknown()', live: z.unknown() };
    built = { src: `z.array(${items.src})`, live: z.array(items.live) };
  } else if (type === 'object' && !schema.properties && schema.additionalProperties) {
    const values = answerOf(schema.additionalProperties as Record<string, unknown>, indent);
    built = { src: `z.record(z.string(), ${values.src})`, live: z.record(z.string(), values.live) };
  } else if (type === 'object') {
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const fields: string[] = [];
    const shape: Record<string, z.ZodType> = {};
    for (const [name, value] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>)) {
      let field = answerOf(value, inner);
      if (!required.has(name)) field = { src: `${field.src}.optional()`, live: field.live.optional() };
      fields.push(`${inner}${/^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name)}: ${field.src},\n`);
      shape[name] = field.live;
    }
    built = { src: fields.length === 0 ? 'z.looseObject({})' : `z.looseObject({\n${fields.join('')}${indent}})`, live: z.looseObject(shape) };
  } else {
    built = { src: 'z.unknown()', live: z.unknown() };
  }
  if (nullable && (type !== undefined || Array.isArray(schema.anyOf))) built = { src: `${built.src}.nullable()`, live: built.live.nullable() };
  if (typeof schema.description === 'string') built = { src: `${built.src}.describe(${JSON.stringify(schema.description)})`, live: built.live.describe(schema.description) };
  return built;
}

export function answerZodSource(schema: Record<string, unknown>, indent = ''): string {
  return answerOf(schema, indent).src;
}

export function answerZodSchema(schema: Record<string, unknown>): z.ZodType {
  return answerOf(schema, '').live;
}
