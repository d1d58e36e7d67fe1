/**
 * An operation's inputs as tool parameters: path, query and header parameters, and the JSON
 * body's top-level properties (or the whole body as one parameter when it is not an object with
 * properties), each with its type, required flag, enum, default, format and description as far
 * as the spec's parameter forms express them.
 */
import { PARAM_FORMATS, type ParamSpec, type PARAM_LOCATIONS } from '../../spec/project-spec.js';
import type { ApiOperation, JsonSchema } from './operations.js';
import { paramNameFor } from './names.js';

export type ParamLocation = (typeof PARAM_LOCATIONS)[number];

export interface MappedParam {
  spec: ParamSpec;
  in: ParamLocation;
  /** Its name in the document. */
  wireName: string;
  /** A query or form array sent as one pair per item (ApiParameter.explode, the body's `repeated`). */
  explode?: boolean;
}

const MAX_DESCRIPTION = 1000;

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

/** The schema's `type`, a 3.1 list of types without `null` reduced to its first. */
function typeOf(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === 'string' && t !== 'null');
  if (isObject(schema.properties) || isObject(schema.additionalProperties)) return 'object';
  if (isObject(schema.items)) return 'array';
  if (Array.isArray(schema.enum)) {
    const first = schema.enum.find((v) => v !== null);
    return typeof first === 'number' ? 'number' : typeof first === 'string' ? 'string' : undefined;
  }
  if (Array.isArray(schema.allOf) || Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)) {
    const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
    const parts = [...list(schema.allOf), ...list(schema.oneOf), ...list(schema.anyOf)];
    const types = new Set(parts.filter(isObject).map(typeOf).filter((t): t is string => t !== undefined));
    if (types.size <= 1) return [...types][0];
    // Scalars of several types (GitHub's `workflow_id`: an integer or a file name; an issue's
    // `title`: a string or a number): a number alone if they are all numbers, else a string,
    // which the API takes; never an object, which a path or query value cannot be.
    const scalars = ['string', 'number', 'integer', 'boolean'];
    if ([...types].every((t) => t === 'number' || t === 'integer')) return 'number';
    if (types.has('string') && [...types].every((t) => scalars.includes(t))) return 'string';
    return 'any';
  }
  return undefined;
}

/** allOf's parts as one object schema: their properties and required lists together. */
export function objectShape(schema: JsonSchema, depth = 0): { properties: Record<string, JsonSchema>; required: string[] } | undefined {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  let found = false;
  if (isObject(schema.properties)) {
    found = true;
    for (const [name, value] of Object.entries(schema.properties)) if (isObject(value)) properties[name] = value;
  }
  if (Array.isArray(schema.required)) required.push(...schema.required.filter((r): r is string => typeof r === 'string'));
  if (Array.isArray(schema.allOf) && depth < 8) {
    for (const part of schema.allOf) {
      if (!isObject(part)) continue;
      const shape = objectShape(part, depth + 1);
      if (!shape) continue;
      found = true;
      Object.assign(properties, shape.properties);
      required.push(...shape.required);
    }
  }
  return found ? { properties, required: [...new Set(required)] } : undefined;
}

/** One value's schema as a parameter of the spec's forms. */
export function paramFromSchema(name: string, schema: JsonSchema, required: boolean, description: string | undefined): ParamSpec {
  const type = typeOf(schema);
  const param: ParamSpec = { name, type: 'string', description: '', required };
  const text = description ?? (typeof schema.description === 'string' ? schema.description : typeof schema.title === 'string' ? schema.title : undefined);
  if (text && text.trim()) param.description = clip(text, MAX_DESCRIPTION);
  const enumOf = (values: unknown, kind: 'string' | 'number') => {
    if (!Array.isArray(values)) return undefined;
    const kept = [...new Set(values.filter((v) => v !== null))];
    if (kept.length === 0 || !kept.every((v) => typeof v === kind)) return undefined;
    return kept as Array<string | number>;
  };
  switch (type) {
    case 'string': {
      const values = enumOf(schema.enum, 'string');
      if (values) param.enum = values;
      else if (typeof schema.format === 'string' && (PARAM_FORMATS as readonly string[]).includes(schema.format)) param.format = schema.format as ParamSpec['format'];
      break;
    }
    case 'integer':
    case 'number': {
      param.type = type;
      const values = enumOf(schema.enum, 'number');
      if (values && (type === 'number' || values.every((v) => Number.isInteger(v)))) param.enum = values;
      break;
    }
    case 'boolean':
      param.type = 'boolean';
      break;
    case 'array': {
      const items = isObject(schema.items) ? schema.items : {};
      if (typeOf(items) === 'string') {
        param.type = 'string[]';
        const values = enumOf(items.enum, 'string');
        if (values) param.enum = values;
      } else param.type = 'array';
      break;
    }
    case 'object':
      param.type = 'object';
      break;
    case undefined:
      // No type said: a string is what a path, query or header value is anyway.
      break;
    default:
      param.type = 'object';
  }
  const fallback = schema.default;
  const fits =
    (typeof fallback === 'string' && param.type === 'string') ||
    (typeof fallback === 'number' && (param.type === 'number' || (param.type === 'integer' && Number.isInteger(fallback)))) ||
    (typeof fallback === 'boolean' && param.type === 'boolean');
  if (fits && (!param.enum || param.enum.includes(fallback as string | number)) && (!param.format || param.type !== 'string')) {
    param.default = fallback as string | number | boolean;
    param.required = false;
  }
  return param;
}

/**
 * The operation's inputs in order: path, query, header, then the body's. A name two inputs would
 * share gets its location in front (`body_id`).
 */
export function operationParams(operation: ApiOperation): MappedParam[] {
  const mapped: MappedParam[] = [];
  const taken = new Set<string>();
  const add = (wireName: string, where: ParamLocation, schema: JsonSchema, required: boolean, description: string | undefined, explode?: boolean) => {
    let name = paramNameFor(wireName);
    if (taken.has(name)) name = paramNameFor(`${where}_${name}`);
    for (let n = 2; taken.has(name); n += 1) name = `${paramNameFor(`${where}_${wireName}`).slice(0, 60)}_${n}`;
    taken.add(name);
    mapped.push({ spec: paramFromSchema(name, schema, required, description), in: where, wireName, ...(explode ? { explode } : {}) });
  };
  const order = { path: 0, query: 1, header: 2 } as const;
  for (const p of [...operation.parameters].sort((a, b) => order[a.in] - order[b.in])) add(p.name, p.in, p.schema, p.required, p.description, p.explode);
  const body = operation.body;
  if (body) {
    const shape = objectShape(body.schema);
    if (shape && Object.keys(shape.properties).length > 0) {
      for (const [property, schema] of Object.entries(shape.properties)) {
        if (schema.readOnly === true) continue;
        add(property, 'body', schema, body.required && shape.required.includes(property), undefined, body.repeated?.includes(property));
      }
    } else {
      add('body', 'json', body.schema, body.required, body.description ?? (typeof body.schema.description === 'string' ? body.schema.description : 'The request body, as JSON'));
    }
  }
  return mapped;
}
