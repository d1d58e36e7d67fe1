/**
 * Form bodies in an OpenAPI import: an application/x-www-form-urlencoded request body (OpenAPI 3)
 * or Swagger 2.0 formData becomes tool inputs like a JSON body's fields, with the binding saying
 * it goes as a form and which arrays repeat their name; a file upload or a multipart body is
 * skipped and named. What the http backend sends is tested in the generated repos (the tool's
 * own test against the recording stand-in, test/e2e/openapi-swagger2.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importOpenApi } from '../../src/import/openapi/import-tools.js';
import { loadOpenApiDocument } from '../../src/import/openapi/load-document.js';
import { OpenApiImportSpec } from '../../src/spec/project-spec.js';
import { COMMON_VERBS } from '../../src/lint/tool-rules.js';
import { createCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

let root: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  root = await tempDir('cms-openapi-form-');
});
afterAll(() => root.remove());

const ok = { '200': { description: 'ok' } };
const FORM = 'application/x-www-form-urlencoded';

function openApi3(): Record<string, unknown> {
  const fields = {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'Its new name' },
      age: { type: 'integer', description: 'Its age' },
      tags: { type: 'array', items: { type: 'string' }, description: 'Its tags' },
      colours: { type: 'array', items: { type: 'string' }, description: 'Its colours' },
    },
    required: ['name'],
  };
  return {
    openapi: '3.0.3',
    info: { title: 'Pets', version: '1' },
    paths: {
      '/pets/{petId}': {
        parameters: [{ name: 'petId', in: 'path', required: true, description: 'The pet', schema: { type: 'string' } }],
        post: { operationId: 'updatePetForm', requestBody: { required: true, content: { [FORM]: { schema: fields, encoding: { colours: { explode: false } } } } }, responses: ok },
        put: { operationId: 'replacePet', requestBody: { content: { 'application/json': { schema: fields }, [FORM]: { schema: fields } } }, responses: ok },
      },
      '/pets/{petId}/photo': {
        post: { operationId: 'uploadPhoto', requestBody: { content: { [FORM]: { schema: { type: 'object', properties: { photo: { type: 'string', format: 'binary' } } } } } }, responses: ok },
        put: { operationId: 'replacePhoto', requestBody: { content: { 'multipart/form-data': { schema: { type: 'object', properties: { caption: { type: 'string' } } } } } }, responses: ok },
      },
    },
  };
}

function swagger2(): Record<string, unknown> {
  return {
    swagger: '2.0',
    info: { title: 'Pets', version: '1' },
    paths: {
      '/pets/{petId}': {
        post: {
          operationId: 'updatePetWithForm',
          consumes: [FORM],
          parameters: [
            { name: 'petId', in: 'path', required: true, type: 'integer' },
            { name: 'name', in: 'formData', required: true, type: 'string', description: 'Its new name' },
            { name: 'tags', in: 'formData', type: 'array', items: { type: 'string' }, collectionFormat: 'multi', description: 'Its tags' },
            { name: 'colours', in: 'formData', type: 'array', items: { type: 'string' }, description: 'Its colours' },
          ],
          responses: ok,
        },
      },
      '/pets/{petId}/image': {
        post: { operationId: 'uploadFile', consumes: ['multipart/form-data'], parameters: [{ name: 'petId', in: 'path', required: true, type: 'integer' }, { name: 'file', in: 'formData', type: 'file' }], responses: ok },
      },
      '/pets/{petId}/note': {
        post: { operationId: 'addNote', consumes: ['multipart/form-data'], parameters: [{ name: 'petId', in: 'path', required: true, type: 'integer' }, { name: 'note', in: 'formData', type: 'string' }], responses: ok },
      },
    },
  };
}

let n = 0;
async function imported(doc: Record<string, unknown>) {
  const path = join(root.path, `doc-${++n}.json`);
  await writeFile(path, JSON.stringify(doc));
  const { document } = await loadOpenApiDocument(path, { baseDir: root.path });
  const result = importOpenApi(document, OpenApiImportSpec.parse({ source: path }), { verbs: COMMON_VERBS, deleteApproval: 'human' });
  return { ...result, byName: Object.fromEntries(result.tools.map(({ tool }) => [tool.name, tool])) };
}

describe('form bodies', () => {
  it('imports an OpenAPI 3 form body as inputs, sent as a form, arrays repeated unless its encoding says explode: false', async () => {
    const { byName, findings } = await imported(openApi3());
    const tool = byName.update_pet_form!;
    expect(tool.params!.map((p) => [p.name, p.type, p.required])).toEqual([
      ['petId', 'string', true],
      ['name', 'string', true],
      ['age', 'integer', false],
      ['tags', 'string[]', false],
      ['colours', 'string[]', false],
    ]);
    expect(tool.http).toMatchObject({
      method: 'POST',
      encoding: 'form',
      params: {
        petId: { in: 'path', name: 'petId' },
        name: { in: 'body', name: 'name' },
        age: { in: 'body', name: 'age' },
        tags: { in: 'body', name: 'tags', explode: true },
        colours: { in: 'body', name: 'colours' },
      },
    });
    expect(tool.http.params.colours).not.toHaveProperty('explode');
    // JSON, where the document offers it too, stays JSON.
    expect(byName.replace_pet!.http.encoding).toBeUndefined();
    expect(findings).toContain('skipped uploadPhoto (POST /pets/{petId}/photo): it uploads a file (photo); file uploads are not imported');
    expect(findings).toContain('skipped replacePhoto (PUT /pets/{petId}/photo): its request body is multipart/form-data; only JSON and form bodies are imported');
  });

  it("imports Swagger 2.0 formData the same way, arrays by collectionFormat (multi repeats, the default csv joins)", async () => {
    const { byName, findings } = await imported(swagger2());
    const tool = byName.update_pet_with_form!;
    expect(tool.params!.map((p) => [p.name, p.type, p.required, p.description])).toEqual([
      ['petId', 'integer', true, ''],
      ['name', 'string', true, 'Its new name'],
      ['tags', 'string[]', false, 'Its tags'],
      ['colours', 'string[]', false, 'Its colours'],
    ]);
    expect(tool.http.encoding).toBe('form');
    expect(tool.http.params).toEqual({
      petId: { in: 'path', name: 'petId' },
      name: { in: 'body', name: 'name' },
      tags: { in: 'body', name: 'tags', explode: true },
      colours: { in: 'body', name: 'colours' },
    });
    expect(Object.keys(byName)).toEqual(['update_pet_with_form']);
    expect(findings).toContain('skipped uploadFile (POST /pets/{petId}/image): it uploads a file (file); file uploads are not imported');
    expect(findings).toContain('skipped addNote (POST /pets/{petId}/note): its request body is multipart/form-data; only JSON and form bodies are imported');
  });

  it('writes the encoding into the tool file and into a catalog operation, and the tool test sends every form field', async () => {
    const doc = join(root.path, 'pets-form.json');
    await writeFile(doc, JSON.stringify(swagger2()));
    const tools = join(root.path, 'tools-repo');
    expect((await createCli(tools, '--yes', '--no-install', '--no-git', '--openapi', doc)).code).toBe(0);
    const file = await readFile(join(tools, 'src/tools/update_pet_with_form.ts'), 'utf8');
    expect(file).toContain('"fixed": [],\n  "encoding": "form",\n};');
    const test = await readFile(join(tools, 'test/tools/update_pet_with_form.test.ts'), 'utf8');
    expect(test).toContain("expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');");
    expect(test).toMatch(/const validArguments: Record<string, unknown> = \{\n {2}"petId": 1,\n {2}"name": "a",\n {2}"tags": \[\n/);
    const catalog = join(root.path, 'catalog-repo');
    expect((await createCli(catalog, '--yes', '--no-install', '--no-git', '--openapi', doc, '--openapi-mode', 'catalog')).code).toBe(0);
    const operations = await readFile(join(catalog, 'src/api-catalog/operations.ts'), 'utf8');
    expect(operations).toContain('\\"fixed\\":[],\\"encoding\\":\\"form\\"}');
  });
});
