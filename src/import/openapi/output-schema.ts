/**
 * An operation's documented 2xx JSON answer as the output schema of its `data`: a small JSON
 * Schema the spec records (`http.output`), param-zod.ts turns into the tool file's zod and a
 * catalog's describe_operation lists as it is.
 *
 * Real APIs drift from their documents, so the schema is tolerant where that costs the model
 * nothing: objects admit properties the document does not list, enums become strings with the
 * values in the description (an API that adds a value must not fail every call), formats are
 * descriptions, oneOf/anyOf are unions, allOf is merged, and 3.0 `nullable`, 3.1 `"null"` types
 * and Swagger 2.0 `x-nullable` admit null. Recursion, nesting deeper than OUTPUT_CAPS.depth and
 * schemas of more than OUTPUT_CAPS.nodes nodes are cut to an untyped node with a `$comment`, so
 * GitHub's document still makes a repository that builds quickly and reads well.
 */
import type { JsonSchema } from './operations.js';
import { objectShape } from './params.js';

export const OUTPUT_CAPS = {
  /** Objects and arrays nested deeper than this are untyped (the size cap lowers it further). */
  depth: 5,
  /** Typed nodes in one answer's schema; past it the depth is lowered, then properties dropped. */
  nodes: 60,
  /** Variants of a union; more make the node untyped. */
  variants: 6,
  /** Characters of one node's description. */
  description: 120,
  /** The document's descriptions are kept this many levels down (enum values and formats at any). */
  describedDepth: 2,
} as const;

/** The reduced schema: a JSON Schema of type, properties, required, items, additionalProperties and anyOf only. */
export type OutputSchema = JsonSchema;

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= OUTPUT_CAPS.description ? flat : `${flat.slice(0, OUTPUT_CAPS.description - 1).trimEnd()}…`;
}

/** Thrown inside one attempt when the node budget runs out. */
class OverBudget extends Error {}

interface Walk {
  maxDepth: number;
  /** Nodes left. */
  budget: number;
  /** The last attempt (depth 1): out of nodes, it cuts instead of starting over. */
  last: boolean;
  stack: Set<object>;
}

/**
 * The reduced schema of one answer, or undefined when it says nothing checkable (no schema, or
 * one that admits anything). `schemas` are the 2xx JSON answers' schemas: more than one (201 and
 * 200 with different bodies) become a union.
 */
export function outputSchemaOf(schemas: readonly JsonSchema[]): OutputSchema | undefined {
  if (schemas.length === 0) return undefined;
  const whole: JsonSchema = schemas.length === 1 ? schemas[0]! : { anyOf: [...schemas] };
  for (let maxDepth: number = OUTPUT_CAPS.depth; maxDepth >= 1; maxDepth -= 1) {
    const walk: Walk = { maxDepth, budget: OUTPUT_CAPS.nodes, last: maxDepth === 1, stack: new Set() };
    try {
      const reduced = node(whole, 0, walk);
      return Object.keys(reduced).every((key) => key === 'description' || key === '$comment') ? undefined : reduced;
    } catch (error) {
      if (!(error instanceof OverBudget)) throw error;
    }
  }
  return undefined;
}

function spend(walk: Walk): boolean {
  if (walk.budget <= 0) {
    if (walk.last) return false;
    throw new OverBudget();
  }
  walk.budget -= 1;
  return true;
}

function cut(schema: JsonSchema, depth: number, why: string): JsonSchema {
  return { ...described(schema, depth), $comment: `not typed: ${why}` };
}

/** The node's description: the document's own near the top, enum values and format at any depth. */
function described(schema: JsonSchema, depth: number, extra?: string): JsonSchema {
  const own = depth > OUTPUT_CAPS.describedDepth ? '' : typeof schema.description === 'string' && schema.description.trim() ? schema.description : typeof schema.title === 'string' && schema.title.trim() ? schema.title : '';
  const text = [own.trim().replace(/[.\s]+$/, ''), extra].filter(Boolean).join('. ');
  return text ? { description: clip(text) } : {};
}

function nullableOf(schema: JsonSchema): boolean {
  return schema.nullable === true || schema['x-nullable'] === true || (Array.isArray(schema.type) && schema.type.includes('null')) || (Array.isArray(schema.enum) && schema.enum.includes(null));
}

/** The types a schema names, without null; a 3.1 list may name several. */
function typesOf(schema: JsonSchema): string[] {
  if (typeof schema.type === 'string') return schema.type === 'null' ? [] : [schema.type];
  if (Array.isArray(schema.type)) return schema.type.filter((t): t is string => typeof t === 'string' && t !== 'null');
  if (isObject(schema.properties) || isObject(schema.additionalProperties)) return ['object'];
  if (isObject(schema.items)) return ['array'];
  if (Array.isArray(schema.enum)) {
    const kinds = new Set(schema.enum.filter((v) => v !== null).map((v) => (typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string')));
    return [...kinds];
  }
  return [];
}

function withNull(schema: JsonSchema, nullable: boolean): JsonSchema {
  if (!nullable || schema.$comment !== undefined) return schema;
  if (typeof schema.type === 'string') return { ...schema, type: [schema.type, 'null'] };
  if (Array.isArray(schema.anyOf)) return { ...schema, anyOf: [...schema.anyOf, { type: 'null' }] };
  return schema;
}

function node(schema: JsonSchema, depth: number, walk: Walk): JsonSchema {
  if (walk.stack.has(schema)) return cut(schema, depth, 'the schema refers to itself');
  if (!spend(walk)) return cut(schema, depth, `over ${OUTPUT_CAPS.nodes} nodes`);
  walk.stack.add(schema);
  try {
    return withNull(shapeOf(schema, depth, walk), nullableOf(schema));
  } finally {
    walk.stack.delete(schema);
  }
}

function shapeOf(schema: JsonSchema, depth: number, walk: Walk): JsonSchema {
  const variants = [...(Array.isArray(schema.oneOf) ? schema.oneOf : []), ...(Array.isArray(schema.anyOf) ? schema.anyOf : [])].filter(isObject);
  const shape = objectShape(schema);
  if (variants.length > 0 && !(shape && Object.keys(shape.properties).length > 0)) return union(schema, variants, depth, walk);
  if (!shape && Array.isArray(schema.allOf)) {
    // allOf of one non-object schema (a $ref wrapped to add a description): that schema.
    const parts = schema.allOf.filter(isObject);
    if (parts.length === 1) return { ...node(parts[0]!, depth, walk), ...described(schema, depth) };
    return cut(schema, depth, 'allOf of schemas that are not objects');
  }
  const types = shape ? ['object'] : typesOf(schema);
  if (types.length === 0) return described(schema, depth);
  if (types.length > 1) return union(schema, types.map((type) => ({ ...schema, type, nullable: false })), depth, walk);
  switch (types[0]) {
    case 'string':
    case 'number':
    case 'integer':
    case 'boolean':
      return { type: types[0], ...described(schema, depth, hintsOf(schema)) };
    case 'array': {
      if (depth >= walk.maxDepth) return cut(schema, depth, `nested deeper than ${walk.maxDepth} levels`);
      const items = isObject(schema.items) ? node(schema.items, depth + 1, walk) : {};
      return { type: 'array', ...(Object.keys(items).length > 0 ? { items } : {}), ...described(schema, depth) };
    }
    case 'object':
      return object(schema, shape, depth, walk);
    default:
      return described(schema, depth);
  }
}

/** An enum's values and a format, said in words: the check would fail on drift, the words still help. */
function hintsOf(schema: JsonSchema): string | undefined {
  const hints: string[] = [];
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.filter((v) => v !== null).map((v) => JSON.stringify(v));
    if (values.length > 0) hints.push(`One of ${values.slice(0, 10).join(', ')}${values.length > 10 ? ', …' : ''}`);
  }
  if (typeof schema.format === 'string') hints.push(`Format ${schema.format}`);
  return hints.length > 0 ? hints.join('; ') : undefined;
}

function object(schema: JsonSchema, shape: ReturnType<typeof objectShape>, depth: number, walk: Walk): JsonSchema {
  if (depth >= walk.maxDepth) return cut(schema, depth, `nested deeper than ${walk.maxDepth} levels`);
  const properties: Record<string, JsonSchema> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(shape?.properties ?? {})) {
    // A write-only property is never in an answer.
    if (value.writeOnly === true) continue;
    if (walk.last && walk.budget <= 0) {
      dropped.push(name);
      continue;
    }
    properties[name] = node(value, depth + 1, walk);
  }
  const required = (shape?.required ?? []).filter((name) => name in properties);
  if (Object.keys(properties).length === 0 && isObject(schema.additionalProperties) && depth + 1 <= walk.maxDepth) {
    // A map (`{ [name]: Thing }`): its values typed.
    const values = node(schema.additionalProperties, depth + 1, walk);
    if (values.type !== undefined || values.anyOf !== undefined) return { type: 'object', additionalProperties: values, ...described(schema, depth) };
  }
  // `{ type: object }` and nothing more says too little to help the model, and APIs answer such
  // operations (a 202) with null or an empty body as often as with an object: untyped.
  if (Object.keys(properties).length === 0 && dropped.length === 0) return described(schema, depth);
  return {
    type: 'object',
    ...(Object.keys(properties).length > 0 ? { properties } : {}),
    ...(required.length > 0 ? { required } : {}),
    ...described(schema, depth),
    ...(dropped.length > 0 ? { $comment: `not typed: ${dropped.length} properties over ${OUTPUT_CAPS.nodes} nodes` } : {}),
  };
}

function union(schema: JsonSchema, variants: JsonSchema[], depth: number, walk: Walk): JsonSchema {
  if (variants.length > OUTPUT_CAPS.variants) return cut(schema, depth, `a union of more than ${OUTPUT_CAPS.variants} shapes`);
  const seen = new Set<string>();
  const reduced: JsonSchema[] = [];
  let nullable = false;
  for (const variant of variants) {
    if (variant.type === 'null') {
      nullable = true;
      continue;
    }
    const one = node(variant, depth, walk);
    // A variant that admits anything makes the union admit anything.
    if (one.type === undefined && one.anyOf === undefined) return { ...described(schema, depth), ...(one.$comment ? { $comment: one.$comment } : {}) };
    const key = JSON.stringify(one);
    if (!seen.has(key)) reduced.push(one);
    seen.add(key);
  }
  if (reduced.length === 0) return described(schema, depth);
  const base = reduced.length === 1 ? { ...reduced[0]!, ...described(schema, depth) } : { anyOf: reduced, ...described(schema, depth) };
  return withNull(base, nullable);
}
