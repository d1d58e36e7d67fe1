/**
 * The OpenAPI import: operations -> tool specs (names, parameters, access, approval, scopes),
 * the curation overlay, its errors, and `mcp-gen import openapi` on a generated repo.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { importOpenApi, type ImportOptions } from '../../src/import/openapi/import-tools.js';
import { loadOpenApiDocument } from '../../src/import/openapi/load-document.js';
import { paramNameFor, toolNameFor } from '../../src/import/openapi/names.js';
import { OpenApiImportSpec } from '../../src/spec/project-spec.js';
import { COMMON_VERBS } from '../../src/lint/tool-rules.js';
import { createCli, mcpGenCli } from '../support/run-cli.js';
import { readTree, tempDir } from '../support/temp-dir.js';

const EXAMPLES = dirname(createRequire(import.meta.url).resolve('@readme/oas-examples/package.json'));
const OPTIONS: ImportOptions = { verbs: COMMON_VERBS, deleteApproval: 'human' };

let root: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  root = await tempDir('cms-openapi-');
});
afterAll(() => root.remove());

/** A small document with one of everything the mapping handles. */
function shopDocument(): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: { title: 'Shop', version: '1.0.0' },
    servers: [{ url: 'https://shop.example.com/api' }],
    security: [{ oauth: ['orders:read'] }],
    components: {
      securitySchemes: { oauth: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://auth.example.com/token', scopes: { 'orders:read': 'r', 'orders:write': 'w' } } } } },
      parameters: { OrderId: { name: 'orderId', in: 'path', required: true, description: 'The order', schema: { type: 'string', format: 'uuid' } } },
      schemas: {
        Order: { type: 'object', properties: { id: { type: 'string', readOnly: true }, item: { type: 'string', description: 'What is ordered' }, quantity: { type: 'integer', default: 1, description: 'How many' }, notes: { type: 'array', items: { type: 'string' } } }, required: ['item'] },
      },
    },
    paths: {
      '/orders': {
        get: {
          operationId: 'listOrders',
          tags: ['orders'],
          summary: 'List orders',
          description: 'Returns the orders, newest first.',
          parameters: [
            { name: 'status', in: 'query', description: 'Only orders in this state', schema: { type: 'string', enum: ['open', 'shipped'] } },
            { name: 'limit', in: 'query', schema: { type: 'integer', default: 20 } },
            { name: 'X-Request-Region', in: 'header', description: 'Data region', schema: { type: 'string' } },
          ],
          responses: { '200': { description: 'The orders', content: { 'application/json': { schema: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, item: { type: 'string' } } } } } } } },
        },
        post: {
          operationId: 'placeOrder',
          tags: ['orders'],
          summary: 'Place an order',
          security: [{ oauth: ['orders:write'] }],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } } },
          responses: { '201': { description: 'Created' } },
        },
      },
      '/orders/{orderId}': {
        parameters: [{ $ref: '#/components/parameters/OrderId' }],
        get: { operationId: 'orderById', tags: ['orders'], summary: 'Get an order', responses: { '200': { description: 'The order' }, '404': { description: 'none' } } },
        delete: { tags: ['admin'], summary: 'Cancel an order', responses: { '204': { description: 'Gone' } } },
        patch: { operationId: 'update-order', requestBody: { content: { 'application/merge-patch+json': { schema: { type: 'array', items: { type: 'object' } } } } }, responses: { '200': { description: 'ok' } } },
      },
      '/orders/{orderId}/label': {
        parameters: [{ $ref: '#/components/parameters/OrderId' }],
        put: { operationId: 'uploadLabel', requestBody: { content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } }, responses: { '200': { description: 'ok' } } },
      },
    },
  };
}

let n = 0;
async function writeDoc(doc: unknown, ext: 'json' | 'yaml' = 'json'): Promise<string> {
  const path = join(root.path, `doc-${++n}.${ext}`);
  await writeFile(path, ext === 'json' ? JSON.stringify(doc) : stringify(doc));
  return path;
}

async function imported(doc: unknown, overlay: Record<string, unknown> = {}, options = OPTIONS) {
  const path = await writeDoc(doc);
  const { document } = await loadOpenApiDocument(path, { baseDir: root.path });
  return importOpenApi(document, OpenApiImportSpec.parse({ source: path, ...overlay }), options);
}

const byName = (result: Awaited<ReturnType<typeof imported>>) => Object.fromEntries(result.tools.map(({ tool }) => [tool.name, tool]));

describe('OpenAPI operations -> tools', () => {
  it('names each tool verb first in snake_case, from the operationId or the method and path', async () => {
    const result = await imported(shopDocument());
    expect(result.tools.map(({ tool }) => tool.name)).toEqual(['list_orders', 'place_order', 'get_order_by_id', 'update_order', 'delete_orders_by_order_id']);
    expect(result.findings).toContain('skipped uploadLabel (PUT /orders/{orderId}/label): its request body is application/pdf; only JSON and form bodies are imported');
    expect(result.serverUrl).toBe('https://shop.example.com/api');
  });

  it('clips long names predictably, and tells duplicates apart by their method and path', () => {
    const long = { operationId: `get${'VeryLongResourceName'.repeat(5)}`, method: 'GET' as const, path: '/x', key: 'k' };
    const first = toolNameFor(long, new Set(COMMON_VERBS));
    expect(first.name).toHaveLength(64);
    expect(first.name).toMatch(/^get_very_long_resource_name_very_long.*_[0-9a-f]{8}$/);
    expect(toolNameFor(long, new Set(COMMON_VERBS))).toEqual(first);
    expect(first.clippedFrom).toMatch(/^get_very_long/);
    expect(toolNameFor({ method: 'GET', path: '/v2/users/{userId}/repos', key: 'GET /v2/users/{userId}/repos' }, new Set(COMMON_VERBS)).name).toBe('list_users_repos');
    expect(paramNameFor('X-Request-Id')).toBe('x_request_id');
    expect(paramNameFor('page[size]')).toBe('page_size');
    expect(paramNameFor('petId')).toBe('petId');
  });

  it('gives a name two operations would share to the first, and a stable suffix to the other', async () => {
    const doc = shopDocument();
    (doc.paths as Record<string, Record<string, { operationId?: string }>>)['/orders/{orderId}']!.get!.operationId = 'list-orders';
    const names = (await imported(doc)).tools.map(({ tool }) => tool.name);
    expect(names[0]).toBe('list_orders');
    expect(names).toContainEqual(expect.stringMatching(/^list_orders_[0-9a-f]{6}$/));
    expect((await imported(doc)).tools.map(({ tool }) => tool.name)).toEqual(names);
  });

  it('takes path, query, header and JSON body parameters with their types, enums, defaults, formats and descriptions', async () => {
    const tools = byName(await imported(shopDocument()));
    expect(tools.list_orders!.params).toEqual([
      { name: 'status', type: 'string', description: 'Only orders in this state', required: false, enum: ['open', 'shipped'] },
      { name: 'limit', type: 'integer', description: '', required: false, default: 20 },
      { name: 'x_request_region', type: 'string', description: 'Data region', required: false },
    ]);
    expect(tools.list_orders!.http).toMatchObject({
      method: 'GET',
      path: '/orders',
      params: { status: { in: 'query', name: 'status' }, limit: { in: 'query', name: 'limit' }, x_request_region: { in: 'header', name: 'X-Request-Region' } },
      operationId: 'listOrders',
      response: 'The orders: a list of objects with id, item',
    });
    expect(tools.place_order!.params).toEqual([
      { name: 'item', type: 'string', description: 'What is ordered', required: true },
      { name: 'quantity', type: 'integer', description: 'How many', required: false, default: 1 },
      { name: 'notes', type: 'string[]', description: '', required: false },
    ]);
    expect(tools.place_order!.http.params.item).toEqual({ in: 'body', name: 'item' });
    expect(tools.get_order_by_id!.params).toEqual([{ name: 'orderId', type: 'string', description: 'The order', required: true, format: 'uuid' }]);
    // A body that is not an object with properties is one parameter: the whole body.
    expect(tools.update_order!.params).toEqual([
      { name: 'orderId', type: 'string', description: 'The order', required: true, format: 'uuid' },
      { name: 'body', type: 'array', description: 'The request body, as JSON', required: false },
    ]);
    expect(tools.update_order!.http.params.body).toEqual({ in: 'json', name: 'body' });
  });

  it('takes a value of several scalar types as a string (or a number), never an object', async () => {
    const doc = {
      openapi: '3.0.3',
      info: { title: 'Workflows', version: '1' },
      paths: {
        '/workflows/{workflow_id}/runs': {
          post: {
            operationId: 'createRun',
            parameters: [
              { name: 'workflow_id', in: 'path', required: true, schema: { oneOf: [{ type: 'integer' }, { type: 'string' }] } },
              { name: 'weight', in: 'query', schema: { anyOf: [{ type: 'integer' }, { type: 'number' }] } },
            ],
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['title'],
                    properties: {
                      title: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
                      inputs: { oneOf: [{ type: 'string' }, { type: 'object', properties: { a: { type: 'string' } } }] },
                    },
                  },
                },
              },
            },
            responses: { '201': { description: 'Created' } },
          },
        },
      },
    };
    const tool = byName(await imported(doc)).create_run!;
    expect((tool.params ?? []).map((p) => [p.name, p.type, p.required])).toEqual([
      ['workflow_id', 'string', true],
      ['weight', 'number', false],
      ['title', 'string', true],
      ['inputs', 'object', false],
    ]);
  });

  it('sends a query array as the document says: one pair per item, or comma-joined', async () => {
    const list = (name: string, extra: Record<string, unknown> = {}) => ({ name, in: 'query', schema: { type: 'array', items: { type: 'string' } }, ...extra });
    const doc = {
      openapi: '3.0.3',
      info: { title: 'Lists', version: '1' },
      paths: { '/things': { get: { operationId: 'listThings', parameters: [list('status'), list('tags', { explode: false }), list('ids', { style: 'pipeDelimited' })], responses: { '200': { description: 'ok' } } } } },
    };
    expect(byName(await imported(doc)).list_things!.http!.params).toEqual({
      status: { in: 'query', name: 'status', explode: true },
      tags: { in: 'query', name: 'tags' },
      ids: { in: 'query', name: 'ids' },
    });
    const swagger = {
      swagger: '2.0',
      info: { title: 'Lists', version: '1' },
      paths: {
        '/things': {
          get: {
            operationId: 'listThings',
            parameters: [
              { name: 'status', in: 'query', type: 'array', items: { type: 'string' }, collectionFormat: 'multi' },
              { name: 'tags', in: 'query', type: 'array', items: { type: 'string' } },
            ],
            responses: { '200': { description: 'ok' } },
          },
        },
      },
    };
    expect(byName(await imported(swagger)).list_things!.http!.params).toEqual({
      status: { in: 'query', name: 'status', explode: true },
      tags: { in: 'query', name: 'tags' },
    });
    for (const file of ['3.0/json/petstore.json', '2.0/json/petstore.json']) {
      const { document } = await loadOpenApiDocument(join(EXAMPLES, file), { baseDir: root.path });
      const tool = importOpenApi(document, OpenApiImportSpec.parse({ source: file }), OPTIONS).tools.find(({ tool }) => tool.name === 'find_pets_by_status')!.tool;
      expect(tool.http!.params.status, file).toEqual({ in: 'query', name: 'status', explode: true });
    }
  });

  it('describes each tool from its summary and description, with what its parameters mean', async () => {
    const tools = byName(await imported(shopDocument()));
    expect(tools.list_orders).toMatchObject({
      title: 'List orders',
      description: 'List orders. Returns the orders, newest first. Parameters: status (optional): Only orders in this state; x_request_region (optional): Data region.',
    });
    expect(tools.update_order!.description).toBe("Calls PATCH /orders/{orderId} on the API. Changes data in the API and returns its answer. Parameters: orderId: The order; body (optional): The request body, as JSON.");
  });

  it('reads with GET, writes with the other methods, and parks a DELETE for an approver', async () => {
    const tools = byName(await imported(shopDocument()));
    expect(Object.fromEntries(Object.values(tools).map((t) => [t.name, [t.access, t.approval]]))).toEqual({
      list_orders: ['read', 'none'],
      place_order: ['write', 'none'],
      delete_orders_by_order_id: ['write', 'human'],
      get_order_by_id: ['read', 'none'],
      update_order: ['write', 'none'],
    });
    const stdio = byName(await imported(shopDocument(), {}, { ...OPTIONS, deleteApproval: 'client' }));
    expect(stdio.delete_orders_by_order_id!.approval).toBe('client');
  });

  it("takes scopes from the operation's security requirement, else the document's", async () => {
    const tools = byName(await imported(shopDocument()));
    expect(tools.place_order!.scopes).toEqual(['orders:write']);
    expect(tools.list_orders!.scopes).toEqual(['orders:read']);
  });

  it('reads OpenAPI 3.0 and 3.1 and Swagger 2.0, JSON and YAML, to the same tools', async () => {
    const names = async (file: string) => {
      const { document } = await loadOpenApiDocument(join(EXAMPLES, file), { baseDir: root.path });
      return importOpenApi(document, OpenApiImportSpec.parse({ source: file }), OPTIONS).tools.map(({ tool }) => tool.name).sort();
    };
    const expected = await names('3.0/json/petstore.json');
    expect(expected).toContain('find_pets_by_status');
    for (const file of ['3.0/yaml/petstore.yaml', '3.1/json/petstore.json', '3.1/yaml/petstore.yaml', '2.0/json/petstore.json', '2.0/yaml/petstore.yaml']) {
      expect(await names(file), file).toEqual(expected);
    }
  });
});

describe('the curation overlay', () => {
  it('selects by tag, path glob and operation, and excludes after including', async () => {
    const names = async (overlay: Record<string, unknown>) => (await imported(shopDocument(), overlay)).tools.map(({ tool }) => tool.name);
    expect(await names({ include: { tags: ['admin'] } })).toEqual(['delete_orders_by_order_id']);
    expect(await names({ include: { paths: ['/orders/*'] }, exclude: { operations: ['DELETE /orders/{orderId}'] } })).toEqual(['get_order_by_id', 'update_order']);
    expect(await names({ exclude: { tags: ['orders'], operations: ['update-order'] } })).toEqual(['delete_orders_by_order_id']);
  });

  it('overrides name, description, access, approval, scopes and rate limit, and hides parameters behind fixed values', async () => {
    const tools = byName(
      await imported(shopDocument(), {
        overrides: {
          listOrders: { name: 'search_orders', description: 'Finds orders. Use it to look one up by state.', scopes: ['shop:read'], rateLimit: { perMinute: 30 }, hidden: { 'X-Request-Region': 'eu' } },
          'DELETE /orders/{orderId}': { name: 'cancel_order', approval: 'client' },
          placeOrder: { approval: 'human' },
        },
      }),
    );
    expect(tools.search_orders).toMatchObject({ description: 'Finds orders. Use it to look one up by state.', scopes: ['shop:read'], rateLimit: { perMinute: 30 } });
    expect(tools.search_orders!.params!.map((p) => p.name)).toEqual(['status', 'limit']);
    expect(tools.search_orders!.http.fixed).toEqual([{ in: 'header', name: 'X-Request-Region', value: 'eu' }]);
    expect(tools.cancel_order).toMatchObject({ access: 'write', approval: 'client' });
    expect(tools.place_order!.approval).toBe('human');
  });

  it.each([
    [{ overrides: { nope: { name: 'x_y' } } }, 'openapi.overrides: "nope" is not an operation of the document (an operationId, or "METHOD /path")'],
    [{ include: { operations: ['listOrders', 'GET /nowhere'] } }, 'openapi.include.operations[1]: "GET /nowhere" is not an operation of the document'],
    [{ overrides: { listOrders: { hidden: { region: 'eu' } } } }, 'openapi.overrides.listOrders.hidden: "region" is not a parameter of listOrders (GET /orders) (it has status, limit, X-Request-Region)'],
    [{ overrides: { placeOrder: { access: 'read' } } }, 'openapi.overrides.placeOrder.access: "read" is not allowed for POST /orders'],
    [{ overrides: { listOrders: { approval: 'human' } } }, 'openapi.overrides.listOrders.approval: "human" is not allowed on a read tool'],
    [{ overrides: { listOrders: { name: 'same_name' }, placeOrder: { name: 'same_name' } } }, 'openapi.overrides.placeOrder.name: "same_name" is also the name of listOrders'],
  ])('refuses a bad overlay, naming the field: %j', async (overlay, message) => {
    await expect(imported(shopDocument(), overlay)).rejects.toThrow(message);
  });
});

describe('reading documents', () => {
  it.each([
    ['a missing file', async () => join(root.path, 'missing.json'), 'missing.json: cannot be read: no such file'],
    ['an invalid document', async () => writeDoc({ openapi: '3.0.3', info: { title: 't' }, paths: {} }), 'is not a valid OpenAPI document'],
    ['a document that is not JSON or YAML', async () => {
      const path = join(root.path, 'broken.yaml');
      await writeFile(path, 'openapi: [3.0\n  : :');
      return path;
    }, 'cannot be read as an OpenAPI document'],
    ['a URL, without --allow-external', async () => 'https://api.example.com/openapi.json', 'reading a document from a URL needs --allow-external'],
    ['an external $ref, without --allow-external', async () => {
      const doc = shopDocument();
      (doc.paths as Record<string, Record<string, Record<string, unknown>>>)['/orders']!.post!.requestBody = { content: { 'application/json': { schema: { $ref: 'order.json' } } } };
      await writeFile(join(root.path, 'order.json'), '{"type":"object"}');
      return writeDoc(doc);
    }, '$ref "order.json" points outside the document; pass --allow-external to read it'],
  ])('refuses %s', async (_what, path, message) => {
    await expect(loadOpenApiDocument(await path(), { baseDir: root.path })).rejects.toThrow(message);
  });

  it('reads an external $ref when allowed', async () => {
    const doc = shopDocument();
    (doc.paths as Record<string, Record<string, Record<string, unknown>>>)['/orders']!.post!.requestBody = { content: { 'application/json': { schema: { $ref: 'order-2.json' } } } };
    await writeFile(join(root.path, 'order-2.json'), '{"type":"object","properties":{"sku":{"type":"string"}}}');
    const { document } = await loadOpenApiDocument(await writeDoc(doc, 'yaml'), { baseDir: root.path, allowExternal: true });
    const tools = byName(importOpenApi(document, OpenApiImportSpec.parse({ source: 'x' }), OPTIONS));
    expect(tools.place_order!.params!.map((p) => p.name)).toEqual(['sku']);
  });
});

describe('create-mcp-server --openapi', () => {
  it('lists the tools it would make with --dry-run and writes nothing; its tools replace the sample ones', async () => {
    const target = join(root.path, 'created');
    const doc = join(EXAMPLES, '3.1/json/train-travel.json');
    const dry = await createCli(target, '--yes', '--no-install', '--no-git', '--openapi', doc, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/delete_booking +write, approval human +DELETE \/bookings\/\{bookingId\}/);
    expect(dry.stdout).toMatch(/get_trips +read +GET \/trips/);
    await expect(readFile(join(target, 'mcp-gen.json'), 'utf8')).rejects.toThrow();
    const run = await createCli(target, '--yes', '--no-install', '--no-git', '--openapi', doc, '--transport', 'stdio', '--auth', 'none');
    expect(run.code, run.stderr).toBe(0);
    const spec = JSON.parse(await readFile(join(target, 'mcp-gen.json'), 'utf8'));
    expect(spec.backends).toEqual([{ kind: 'http' }]);
    expect(spec.tools).toHaveLength(7);
    expect(spec.tools.find((t: { name: string }) => t.name === 'delete_booking').approval).toBe('client');
    // mcp-gen.json alone renders the imported tools: an upgrade needs no document.
    const check = await mcpGenCli('upgrade', '--check', '-C', target);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toContain('Up to date');
  });

  it('refuses more operations than a server holds, saying how to choose', async () => {
    const paths = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`/things${i}`, { get: { operationId: `listThings${i}`, responses: { '200': { description: 'ok' } } } }]));
    const doc = await writeDoc({ openapi: '3.0.3', info: { title: 'big', version: '1' }, paths });
    const target = join(root.path, 'too-big');
    const run = await createCli(target, '--yes', '--no-install', '--no-git', '--openapi', doc, '--openapi-mode', 'tools', '--dry-run');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('501 operations selected; a server holds at most 500 tools: choose the operations the model needs with openapi.include / openapi.exclude');
    expect(run.stderr).toContain('or serve them as a governed catalog (--mode catalog)');
  });

  it('refuses the import flags without --openapi, and a bad --openapi-mode by its name, with exit 2 and nothing written', async () => {
    const target = join(root.path, 'import-flags-refused');
    const refused = async (...flags: string[]) => {
      const run = await createCli(target, '--yes', '--no-install', '--no-git', ...flags);
      expect(run.code, run.stdout).toBe(2);
      return run.stderr;
    };
    expect(await refused('--openapi-mode', 'catalog')).toContain('--openapi-mode: applies to an import of an OpenAPI document; add --openapi <file|url>');
    expect(await refused('--allow-external')).toContain('--allow-external: applies to an import of an OpenAPI document; add --openapi <file|url>');
    const doc = await writeDoc({ openapi: '3.0.3', info: { title: 'one', version: '1' }, paths: { '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'ok' } } } } } });
    expect(await refused('--openapi', doc, '--openapi-mode', 'weird')).toContain('--openapi-mode: "weird" is not a mode; use one of auto, tools, catalog');
    await expect(readFile(join(target, 'mcp-gen.json'), 'utf8')).rejects.toThrow();
  });

  it('sums up the lint of many tools by rule instead of a line per finding', async () => {
    const paths = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`/things${i}/{id}`, { get: { operationId: `getThing${i}`, summary: 'Get a thing', description: 'Returns the thing with this id.', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok' } } } }]),
    );
    const doc = await writeDoc({ openapi: '3.0.3', info: { title: 'alike', version: '1' }, paths });
    const target = join(root.path, 'alike');
    const run = await createCli(target, '--yes', '--no-install', '--no-git', '--openapi', doc, '--dry-run');
    expect(run.code, run.stderr).toBe(0);
    const stderr = run.stderr.split('\n');
    // 30 notes of the import (one per tool: its undescribed parameter), then the lint summed up: 435 overlaps, 30 undescribed parameters.
    expect(stderr.filter((line) => line.startsWith('note: ')).length).toBe(30);
    expect(stderr).toContain('  30 tools: 0 errors, 465 warnings; by rule, each with its first:');
    expect(stderr).toContain('    description-overlap  435 warnings');
    expect(stderr).toContain('    param-description     30 warnings');
    expect(stderr).toContain(`  all 465: mcp-gen lint -C ${target} (--json to filter them)`);
    expect(stderr.length).toBeLessThan(50);
  });

  it('refuses a bad document with exit 2 and writes nothing', async () => {
    const target = join(root.path, 'refused');
    const run = await createCli(target, '--yes', '--no-install', '--no-git', '--openapi', join(root.path, 'nowhere.json'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('nowhere.json: cannot be read: no such file');
    await expect(readFile(join(target, 'mcp-gen.json'), 'utf8')).rejects.toThrow();
  });
});

describe('mcp-gen import openapi', () => {
  let repo: string;
  let doc: string;
  beforeAll(async () => {
    repo = join(root.path, 'repo');
    expect((await createCli(repo, '--yes', '--no-install', '--no-git', '--tool', 'search_notes')).code).toBe(0);
    doc = await writeDoc(shopDocument(), 'yaml');
  });

  it('lists what it would make with --dry-run, and writes nothing', async () => {
    const before = await readTree(repo);
    const run = await mcpGenCli('import', 'openapi', doc, '-C', repo, '--dry-run');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/list_orders +read +GET \/orders/);
    expect(run.stdout).toMatch(/delete_orders_by_order_id +write, approval human +DELETE \/orders\/\{orderId\}/);
    expect(run.stdout).toContain('Dry run: nothing was written.');
    expect(run.stderr).toContain('note: skipped uploadLabel');
    expect(run.stderr).toContain('note: list_orders: parameter limit has no description in the document');
    expect(await readTree(repo)).toEqual(before);
  });

  it('refuses bad input with exit 2, naming the value, and writes nothing', async () => {
    const before = await readTree(repo);
    const missing = await mcpGenCli('import', 'openapi', join(root.path, 'nowhere.yaml'), '-C', repo);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nowhere.yaml: cannot be read: no such file');
    const spec = JSON.parse(before['mcp-gen.json']!);
    await writeFile(join(repo, 'mcp-gen.json'), JSON.stringify({ ...spec, openapi: { source: doc, overrides: { nope: {} } } }));
    const unknown = await mcpGenCli('import', 'openapi', '-C', repo);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('error: openapi.overrides: "nope" is not an operation of the document');
    await writeFile(join(repo, 'mcp-gen.json'), before['mcp-gen.json']!);
    expect(await readTree(repo)).toEqual(before);
  });

  it('adds the tools beside the repo\'s own, with lock entries, and a re-import keeps the user\'s edits', async () => {
    const run = await mcpGenCli('import', 'openapi', doc, '-C', repo);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Point HTTP_API_BASE_URL at the API (the document says https://shop.example.com/api)');
    const spec = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
    expect(spec.backends).toEqual([{ kind: 'sample' }, { kind: 'http' }]);
    expect(spec.tools.map((t: { name: string }) => t.name)).toEqual(['search_notes', 'list_orders', 'place_order', 'get_order_by_id', 'update_order', 'delete_orders_by_order_id']);
    expect(spec.openapi).toEqual({ source: `../${doc.split('/').at(-1)}`, overrides: {}, mode: 'auto', catalogThreshold: 40 });
    const lock = JSON.parse(await readFile(join(repo, 'contracts/tools.lock.json'), 'utf8'));
    expect(Object.keys(lock.tools).sort()).toEqual(['delete_orders_by_order_id', 'get_order_by_id', 'list_orders', 'place_order', 'search_notes', 'update_order']);
    const manifest = JSON.parse(await readFile(join(repo, '.mcp-gen/manifest.json'), 'utf8'));
    expect(manifest.files['src/tools/list_orders.ts'].class).toBe('merged');
    const file = join(repo, 'src/tools/list_orders.ts');
    expect(await readFile(file, 'utf8')).toContain('"path": "/orders"');

    // The user edits a tool file and curates in mcp-gen.json; the document changes.
    await appendFile(file, '\n// Our team: keep the region header.\n');
    spec.openapi.overrides = { orderById: { name: 'fetch_order' } };
    await writeFile(join(repo, 'mcp-gen.json'), JSON.stringify(spec, null, 2));
    const changed = shopDocument();
    const list = (changed.paths as Record<string, Record<string, { parameters: Array<Record<string, unknown>> }>>)['/orders']!.get!;
    list.parameters.push({ name: 'customer', in: 'query', required: true, description: 'Whose orders', schema: { type: 'string' } });
    await writeFile(doc, stringify(changed));
    const again = await mcpGenCli('import', 'openapi', '-C', repo);
    expect(again.code, again.stderr).toBe(0);
    const text = await readFile(file, 'utf8');
    expect(text).toContain('// Our team: keep the region header.');
    expect(text).toContain('customer: z.string().describe("Whose orders")');
    expect(again.stdout).toContain('Added fetch_order.');
    expect(again.stdout).toContain('Removed get_order_by_id');
    const after = JSON.parse(await readFile(join(repo, 'mcp-gen.json'), 'utf8'));
    expect(after.openapi.overrides).toEqual({ orderById: { name: 'fetch_order' } });

    // A tool of the user's own, added after the import, keeps its place: the same document again changes nothing.
    const own = await mcpGenCli('add-tool', 'list_invoices', '-C', repo, '--yes');
    expect(own.code, own.stderr).toBe(0);
    const settled = await readTree(repo);
    expect(JSON.parse(settled['mcp-gen.json']!).tools.at(-1).name).toBe('list_invoices');
    const same = await mcpGenCli('import', 'openapi', '-C', repo);
    expect(same.code, same.stderr).toBe(0);
    expect(await readTree(repo)).toEqual(settled);
  });
});
