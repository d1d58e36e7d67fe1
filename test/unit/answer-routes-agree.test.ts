/**
 * An imported operation's typed answer is checked by two schemas built from one reduced JSON
 * Schema: an imported tool's file holds zod written by param-zod.ts, a catalog builds its check
 * at run time with zod's fromJSONSchema (operation-catalog.ts). The same answer must get the same
 * verdict from both, whichever way an operation is served. Checked on every typed answer of the
 * largest document at hand, GitHub's REST API, with a valid answer per union variant and answers
 * made wrong one field at a time.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { importOpenApi } from '../../src/import/openapi/import-tools.js';
import { loadOpenApiDocument } from '../../src/import/openapi/load-document.js';
import { answerZodSource } from '../../src/spec/param-zod.js';
import { OpenApiImportSpec } from '../../src/spec/project-spec.js';
import { COMMON_VERBS } from '../../src/lint/tool-rules.js';

type Schema = Record<string, unknown>;

const GITHUB_DOCUMENT = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');

const typesOf = (schema: Schema): string[] => (Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : []);

/** Valid answers: one per variant of each union met on the way (bounded), every property filled. */
function samples(schema: Schema, limit = 4): unknown[] {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Schema[]).flatMap((variant) => samples(variant, limit)).slice(0, limit);
  const type = typesOf(schema).find((t) => t !== 'null') ?? (typesOf(schema).includes('null') ? 'null' : undefined);
  switch (type) {
    case 'object': {
      const properties = Object.entries((schema.properties ?? {}) as Record<string, Schema>);
      let objects: Record<string, unknown>[] = [{}];
      for (const [name, property] of properties) {
        const values = samples(property, limit);
        objects = objects.flatMap((object, i) => (i === 0 ? values.map((value) => ({ ...object, [name]: value })) : [{ ...object, [name]: values[0] }])).slice(0, limit);
      }
      return objects;
    }
    case 'array':
      return schema.items ? samples(schema.items as Schema, limit).map((item) => [item]) : [[]];
    case 'string':
      return ['text'];
    case 'integer':
      return [7];
    case 'number':
      return [7.5];
    case 'boolean':
      return [true];
    case 'null':
      return [null];
    default:
      return ['anything'];
  }
}

/** Copies of `value` with one scalar (or one required property) made wrong, up to `limit`. */
function wrongs(value: unknown, limit = 12): unknown[] {
  const out: unknown[] = [null, 'off the schema'];
  const visit = (node: unknown, replace: (next: unknown) => unknown) => {
    if (out.length >= limit) return;
    if (Array.isArray(node)) node.forEach((item, i) => visit(item, (next) => replace(node.map((x, j) => (j === i ? next : x)))));
    else if (node !== null && typeof node === 'object') {
      const object = node as Record<string, unknown>;
      for (const key of Object.keys(object)) {
        const { [key]: _dropped, ...without } = object;
        out.push(replace(without));
        visit(object[key], (next) => replace({ ...object, [key]: next }));
      }
    } else out.push(replace(typeof node === 'string' ? 42 : 'not a number'));
  };
  visit(value, (next) => next);
  return out.slice(0, limit);
}

describe("every typed answer of GitHub's document", () => {
  let outputs: Array<{ key: string; schema: Schema }>;

  beforeAll(async () => {
    const { document } = await loadOpenApiDocument(GITHUB_DOCUMENT, { baseDir: dirname(GITHUB_DOCUMENT) });
    const { tools } = importOpenApi(document, OpenApiImportSpec.parse({ source: 'api.github.com.json' }), { verbs: COMMON_VERBS, deleteApproval: 'human' });
    outputs = tools.filter(({ tool }) => tool.http.output).map(({ tool, operation }) => ({ key: operation.key, schema: tool.http.output as Schema }));
  }, 120_000);

  it('gets the same verdict from the tool file\'s zod and from the catalog\'s', () => {
    // The document's size, so a change that typed far fewer answers would show here.
    expect(outputs.length).toBeGreaterThan(800);
    const disagreements: string[] = [];
    let checked = 0;
    for (const { key, schema } of outputs) {
      const fromSource = new Function('z', `return ${answerZodSource(schema)};`)(z) as z.ZodType;
      const fromJson = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
      const valid = samples(schema);
      for (const value of valid) {
        if (!fromSource.safeParse(value).success) disagreements.push(`${key}: the tool's zod refuses a valid answer ${JSON.stringify(value).slice(0, 200)}`);
      }
      for (const value of [...valid, ...wrongs(valid[0])]) {
        checked += 1;
        const a = fromSource.safeParse(value).success;
        const b = fromJson.safeParse(value).success;
        if (a !== b) disagreements.push(`${key}: tool file ${a ? 'accepts' : 'refuses'}, catalog ${b ? 'accepts' : 'refuses'} ${JSON.stringify(value).slice(0, 200)}`);
      }
    }
    expect(checked).toBeGreaterThan(outputs.length * 3);
    expect(disagreements.slice(0, 10)).toEqual([]);
  }, 120_000);
});
