/**
 * The output side of the OpenAPI import: an operation's documented 2xx JSON answer reduced to
 * the tolerant JSON Schema the spec records (output-schema.ts), the zod the tool file holds
 * (param-zod.ts), and the curation that turns it off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { importOpenApi, type ImportOptions } from '../../src/import/openapi/import-tools.js';
import { OUTPUT_CAPS, outputSchemaOf } from '../../src/import/openapi/output-schema.js';
import { answerZodSchema, answerZodSource } from '../../src/spec/param-zod.js';
import { OpenApiImportSpec } from '../../src/spec/project-spec.js';
import { COMMON_VERBS } from '../../src/lint/tool-rules.js';
import { compareSchemas } from '../../templates/base/scripts/contract/classify-schema.js';
import { createCli, mcpGenCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

const OPTIONS: ImportOptions = { verbs: COMMON_VERBS, deleteApproval: 'human' };
type Json = Record<string, unknown>;

/** Reduced, then as the tool's zod: both forms, checked to agree. */
function typed(schema: Json): { json: Json; zod: z.ZodType; source: string } {
  const json = outputSchemaOf([schema]);
  expect(json).toBeDefined();
  const zod = answerZodSchema(json!);
  const source = answerZodSource(json!);
  // The source text is the same schema as the live one.
  const fromSource = new Function('z', `return ${source};`)(z) as z.ZodType;
  expect(z.toJSONSchema(fromSource, { io: 'output' })).toEqual(z.toJSONSchema(zod, { io: 'output' }));
  return { json: json!, zod, source };
}

const pet: Json = {
  type: 'object',
  required: ['id', 'name'],
  properties: { id: { type: 'integer' }, name: { type: 'string', description: 'Its name' }, tag: { type: 'string' } },
};

describe('the answer schema', () => {
  it('keeps documented types and required fields, and admits fields the document does not list', () => {
    const { zod, source } = typed(pet);
    expect(source).toContain('z.looseObject(');
    expect(zod.parse({ id: 1, name: 'Rex', colour: 'brown' })).toEqual({ id: 1, name: 'Rex', colour: 'brown' });
    expect(zod.safeParse({ id: 'one', name: 'Rex' }).error?.issues[0]).toMatchObject({ path: ['id'], expected: 'number' });
    expect(zod.safeParse({ id: 1 }).error?.issues[0]).toMatchObject({ path: ['name'] });
    expect(zod.safeParse({ id: 1.5, name: 'Rex' }).success).toBe(false);
  });

  it('merges allOf, and types lists of objects', () => {
    const { json, zod } = typed({ type: 'array', items: { allOf: [pet, { type: 'object', required: ['owner'], properties: { owner: { type: 'string' } } }] } });
    expect(json).toMatchObject({ type: 'array', items: { type: 'object', required: ['id', 'name', 'owner'] } });
    expect(zod.safeParse([{ id: 1, name: 'Rex', owner: 'ann' }, { id: 2, name: 'Tom' }]).error?.issues[0]?.path).toEqual([1, 'owner']);
  });

  it('makes oneOf and anyOf unions, and one that admits anything untyped', () => {
    const { zod } = typed({ oneOf: [pet, { type: 'string' }] });
    expect(zod.safeParse('gone').success).toBe(true);
    expect(zod.safeParse({ id: 1, name: 'Rex' }).success).toBe(true);
    expect(zod.safeParse(3).success).toBe(false);
    expect(typed({ type: 'object', properties: { v: { anyOf: [{ type: 'integer' }, { type: 'boolean' }] } } }).zod.safeParse({ v: 'x' }).success).toBe(false);
    expect(outputSchemaOf([{ anyOf: [pet, {}] }])).toBeUndefined();
  });

  it('admits null where 3.0 nullable, a 3.1 "null" type or Swagger 2.0 x-nullable says so, and only there', () => {
    const { zod } = typed({
      type: 'object',
      required: ['a', 'b', 'c', 'd', 'e'],
      properties: {
        a: { type: 'string', nullable: true },
        b: { type: ['integer', 'null'] },
        c: { type: 'object', 'x-nullable': true, properties: { x: { type: 'string' } } },
        d: { anyOf: [pet, { type: 'null' }] },
        e: { type: 'string' },
      },
    });
    expect(zod.safeParse({ a: null, b: null, c: null, d: null, e: 'x' }).success).toBe(true);
    expect(zod.safeParse({ a: null, b: null, c: null, d: null, e: null }).error?.issues[0]?.path).toEqual(['e']);
    expect(typed({ type: ['string', 'integer'] }).zod.safeParse(3).success).toBe(true);
  });

  it('says enum values and formats in the description instead of checking them: an API may add a value', () => {
    const { json, zod } = typed({ type: 'object', properties: { status: { type: 'string', enum: ['available', 'sold'] }, at: { type: 'string', format: 'date-time' } } });
    expect(json).toMatchObject({ properties: { status: { type: 'string', description: 'One of "available", "sold"' }, at: { type: 'string', description: 'Format date-time' } } });
    expect(zod.safeParse({ status: 'pending', at: 'yesterday' }).success).toBe(true);
    expect(zod.safeParse({ status: 3 }).success).toBe(false);
  });

  it('types a map by its values', () => {
    const { zod } = typed({ type: 'object', additionalProperties: { type: 'integer' } });
    expect(zod.safeParse({ a: 1, b: 2 }).success).toBe(true);
    expect(zod.safeParse({ a: 'x' }).success).toBe(false);
  });

  it('cuts recursion to an untyped node with a comment saying why', () => {
    const node: Json = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };
    (node.properties as Json).children = { type: 'array', items: node };
    const { json, source, zod } = typed(node);
    expect(json).toMatchObject({ properties: { children: { type: 'array', items: { $comment: 'not typed: the schema refers to itself' } } } });
    expect(source).toContain('z.unknown() /* not typed: the schema refers to itself */');
    expect(zod.safeParse({ name: 'a', children: [{ anything: true }] }).success).toBe(true);
  });

  it('cuts nesting deeper than the depth cap', () => {
    let deep: Json = { type: 'string' };
    for (let i = 0; i < 12; i += 1) deep = { type: 'object', required: ['next'], properties: { next: deep } };
    const { json, source } = typed(deep);
    let at: Json = json;
    let levels = 0;
    while ((at.properties as Json | undefined)?.next) {
      at = (at.properties as Json).next as Json;
      levels += 1;
    }
    expect(levels).toBe(OUTPUT_CAPS.depth);
    expect(at.$comment).toBe(`not typed: nested deeper than ${OUTPUT_CAPS.depth} levels`);
    expect(source).toContain(`/* not typed: nested deeper than ${OUTPUT_CAPS.depth} levels */`);
  });

  it('keeps a huge schema within the node cap: shallower first, then fewer properties', () => {
    const count = (schema: unknown): number =>
      schema && typeof schema === 'object' ? (Array.isArray(schema) ? 0 : ('type' in schema || '$comment' in schema || 'anyOf' in schema ? 1 : 0)) + Object.values(schema).reduce<number>((n, v) => n + (typeof v === 'object' ? count(v) : 0), 0) : 0;
    const wide = (n: number, inner: Json): Json => ({ type: 'object', properties: Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${i}`, inner])) });
    const nested = typed(wide(20, wide(20, { type: 'string' })));
    expect(count(nested.json)).toBeLessThanOrEqual(OUTPUT_CAPS.nodes + 1);
    expect(nested.json).toMatchObject({ properties: { f0: { $comment: expect.stringMatching(/^not typed: nested deeper than 1 levels/) } } });
    const flat = typed(wide(500, { type: 'integer' }));
    expect(Object.keys(flat.json.properties as Json)).toHaveLength(OUTPUT_CAPS.nodes - 1);
    expect(flat.json.$comment).toMatch(/^not typed: \d+ properties over/);
    // The properties past the cap are still admitted, untyped.
    expect(flat.zod.safeParse({ f0: 1, f499: 'anything' }).success).toBe(true);
  });

  it('is absent for an answer that admits anything', () => {
    expect(outputSchemaOf([])).toBeUndefined();
    expect(outputSchemaOf([{}])).toBeUndefined();
    expect(outputSchemaOf([{ description: 'Whatever the API says' }])).toBeUndefined();
    // A bare object says too little to help, and such answers (a 202) are often null or empty.
    expect(outputSchemaOf([{ type: 'object' }])).toBeUndefined();
    expect(outputSchemaOf([{ type: 'object', additionalProperties: true }])).toBeUndefined();
    expect(typed({ type: 'object', required: ['meta'], properties: { meta: { type: 'object' } } }).zod.safeParse({ meta: null }).success).toBe(true);
  });
});

/** A document whose operations answer in each way the import tells apart. */
function answersDocument(): Json {
  const json = (schema: Json) => ({ content: { 'application/json': { schema } } });
  return {
    openapi: '3.1.0',
    info: { title: 'Answers', version: '1' },
    paths: {
      '/pets/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getPet', responses: { '200': { description: 'The pet', ...json(pet) }, '404': { description: 'No such pet' } } },
        delete: { operationId: 'deletePet', responses: { '204': { description: 'Deleted' } } },
        put: { operationId: 'putPet', responses: { '200': { description: 'Replaced', ...json(pet) }, '201': { description: 'Created', ...json({ type: 'object', required: ['created'], properties: { created: { type: 'boolean' } } }) } } },
      },
      '/pets/{id}/photo': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getPhoto', responses: { '200': { description: 'The photo', content: { 'image/png': {} } } } },
      },
    },
  };
}

describe('importing answers', () => {
  const outputs = (overrides: Json = {}) =>
    Object.fromEntries(
      importOpenApi(answersDocument(), OpenApiImportSpec.parse({ source: 'a.json', overrides }), OPTIONS).tools.map(({ tool, operation }) => [operation.key, tool.http.output]),
    );

  it('types the 2xx JSON answer; none for no body or a body that is not JSON; a union of several', () => {
    const all = outputs();
    expect(all.getPet).toMatchObject({ type: 'object', required: ['id', 'name'] });
    expect(all.deletePet).toBeUndefined();
    expect(all.getPhoto).toBeUndefined();
    expect(all.putPet).toMatchObject({ anyOf: [{ required: ['id', 'name'] }, { required: ['created'] }] });
  });

  it('leaves an operation untyped where the overlay says output "untyped"', () => {
    expect(outputs({ getPet: { output: 'untyped' } }).getPet).toBeUndefined();
    expect(() => OpenApiImportSpec.parse({ source: 'a.json', overrides: { getPet: { output: 'typed' } } })).toThrow(/untyped/);
  });

  it('reads a Swagger 2.0 answer with x-nullable', () => {
    const document = {
      swagger: '2.0',
      info: { title: 'Old', version: '1' },
      paths: { '/things': { get: { operationId: 'listThings', produces: ['application/json'], responses: { '200': { description: 'Things', schema: { type: 'array', items: { type: 'object', properties: { note: { type: 'string', 'x-nullable': true } } } } } } } } },
    };
    const [imported] = importOpenApi(document, OpenApiImportSpec.parse({ source: 'a.json' }), OPTIONS).tools;
    expect(imported!.tool.http.output).toEqual({ type: 'array', items: { type: 'object', properties: { note: { type: ['string', 'null'] } } } });
  });
});

describe('the contract check on typed answers', () => {
  /** The tool's outputSchema as the repo's contract lock records it, with `data` typed from `schema`. */
  const locked = (schema: Json | undefined) =>
    z.toJSONSchema(z.object({ status: z.number().int(), data: (schema ? answerZodSchema(outputSchemaOf([schema])!) : z.unknown()).optional() }), { io: 'output', target: 'draft-2020-12' });
  const classes = (before: Json | undefined, after: Json | undefined) => compareSchemas(locked(before), locked(after), 'output').map((c) => `${c.class} ${c.path}`);
  const withField = (extra: Json, required: string[] = ['id', 'name']) => ({ ...pet, required, properties: { ...(pet.properties as Json), ...extra } });

  it('classifies a removed answer field as breaking and a new optional one as minor', () => {
    const { tag: _, ...withoutTag } = pet.properties as Json;
    expect(classes(pet, { ...pet, properties: withoutTag })).toEqual(['breaking output.properties.data.properties.tag']);
    expect(classes(pet, withField({ colour: { type: 'string' } }))).toEqual(['minor output.properties.data.properties.colour']);
    expect(classes(pet, withField({}, ['id']))[0]).toMatch(/^breaking output.properties.data/);
  });

  it('classifies typing an untyped answer (a re-import of an older repo) as minor, and the opt-out as breaking', () => {
    expect(new Set(classes(undefined, pet).map((c) => c.split(' ')[0]))).toEqual(new Set(['minor']));
    expect(classes(pet, undefined)).toContain('breaking output.properties.data.type');
  });
});

describe('re-importing with typed answers', () => {
  let root: { path: string; remove: () => Promise<void> };
  beforeAll(async () => {
    root = await tempDir('cms-openapi-output-');
  });
  afterAll(() => root.remove());

  it('types an answer the document now describes, keeps the user\'s edit, and leaves an opted-out one untyped', async () => {
    const doc = join(root.path, 'answers.json');
    const repo = join(root.path, 'answers-mcp');
    const untyped = answersDocument();
    const get = ((untyped.paths as Json)['/pets/{id}'] as Json).get as Json;
    get.responses = { '200': { description: 'The pet' } };
    await writeFile(doc, JSON.stringify(untyped));
    const created = await createCli(repo, '--yes', '--no-install', '--no-git', '--openapi', doc, '--transport', 'stdio', '--auth', 'none');
    expect(created.code, created.stderr).toBe(0);
    const file = join(repo, 'src/tools/get_pet.ts');
    expect(await readFile(file, 'utf8')).toContain('data: z.unknown().optional()');
    await appendFile(file, '\n// Our team: pets are cached upstream for a minute.\n');

    await writeFile(doc, JSON.stringify(answersDocument()));
    const typedRun = await mcpGenCli('import', 'openapi', '-C', repo);
    expect(typedRun.code, typedRun.stderr).toBe(0);
    const typedText = await readFile(file, 'utf8');
    expect(typedText).toContain('const answer = z.looseObject({\n  id: z.number().int(),\n  name: z.string().describe("Its name"),\n  tag: z.string().optional(),\n})');
    expect(typedText).toContain('data: answer.optional()');
    expect(typedText).toContain('// Our team: pets are cached upstream for a minute.');

    const spec = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
    spec.openapi.overrides = { getPet: { output: 'untyped' } };
    await writeFile(join(repo, 'mcp-gen.json'), JSON.stringify(spec, null, 2));
    const optedOut = await mcpGenCli('import', 'openapi', '-C', repo);
    expect(optedOut.code, optedOut.stderr).toBe(0);
    const optedText = await readFile(file, 'utf8');
    expect(optedText).toContain('data: z.unknown().optional()');
    expect(optedText).not.toContain('const answer');
    expect(optedText).toContain('// Our team: pets are cached upstream for a minute.');
    const after = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
    expect(after.openapi.overrides).toEqual({ getPet: { output: 'untyped' } });
    expect(after.tools.find((t: Json) => t.name === 'get_pet').http.output).toBeUndefined();
    expect(after.tools.find((t: Json) => t.name === 'put_pet').http.output).toBeDefined();
  });
});
