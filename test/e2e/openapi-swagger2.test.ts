/**
 * `create-mcp-server --openapi` on a published Swagger 2.0 document: the Swagger Petstore (20
 * operations: a urlencoded form it imports, a file upload it skips), as the devDependency
 * @readme/oas-examples (MIT) ships it. Its scopes come from an OAuth2 security definition, its
 * bodies are `in: body` parameters (one of them a bare array), and its API lives under a
 * basePath (/v2), and one takes `in: formData` fields, sent as a form. The repo is installed, built and passes its own CI test job; `npm start` serves
 * it against a stand-in upstream derived from the document (test/e2e/stand-in-upstream.ts),
 * which checks each request's method, path, query, body and the tenant's own credential; real
 * SDK Clients list and call the tools, the scopes of the document decide who may call what, and
 * a DELETE waits for an approver.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { connectHttp, createKey, expectAllPassed, generate, runCiCommands, type RunningServer, SERVED, SLOW, startHttp, structured } from './generated-repo.js';
import { importedApiLifecycle } from './imported-api-lifecycle.js';
import { startStandIn, type StandIn } from './stand-in-upstream.js';

const DOCUMENT = createRequire(import.meta.url).resolve('@readme/oas-examples/2.0/json/petstore.json');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let dir: string;
let doc: Json;
let generated: string;
let server: RunningServer | undefined;
let upstream: StandIn | undefined;
const root = importedApiLifecycle('cms-e2e-swagger2-', () => ({ server, upstream }));

/** The tenants' own credentials for the API (what HTTP_API_CREDENTIALS holds). */
const CREDENTIALS = { acme: 'acme-petstore-secret', globex: 'globex-petstore-secret' };

beforeAll(async () => {
  dir = join(root.path, 'petstore-mcp');
  doc = JSON.parse(await readFile(DOCUMENT, 'utf8'));
  expect(doc.swagger).toBe('2.0');
  generated = await generate(dir, '--openapi', DOCUMENT, '--description', 'Swagger Petstore');
}, SLOW);

describe('OpenAPI import (Swagger Petstore, Swagger 2.0)', () => {
  it('makes a tool per JSON or form operation with scopes from its OAuth2 requirement, and the repo passes its own CI tests', async () => {
    const spec = JSON.parse(await readFile(join(dir, 'mcp-gen.json'), 'utf8'));
    const tools = Object.fromEntries(spec.tools.map((t: Json) => [t.name, [t.access, t.approval ?? 'none', t.scopes.join(' '), `${t.http.method} ${t.http.path}`]]));
    expect(tools).toEqual({
      add_pet: ['write', 'none', 'read:pets write:pets', 'POST /pet'],
      update_pet: ['write', 'none', 'read:pets write:pets', 'PUT /pet'],
      find_pets_by_status: ['read', 'none', 'read:pets write:pets', 'GET /pet/findByStatus'],
      find_pets_by_tags: ['read', 'none', 'read:pets write:pets', 'GET /pet/findByTags'],
      get_pet_by_id: ['read', 'none', 'tools:read', 'GET /pet/{petId}'],
      update_pet_with_form: ['write', 'none', 'read:pets write:pets', 'POST /pet/{petId}'],
      delete_pet: ['write', 'human', 'read:pets write:pets', 'DELETE /pet/{petId}'],
      get_inventory: ['read', 'none', 'tools:read', 'GET /store/inventory'],
      place_order: ['write', 'none', 'tools:write', 'POST /store/order'],
      get_order_by_id: ['read', 'none', 'tools:read', 'GET /store/order/{orderId}'],
      delete_order: ['write', 'human', 'tools:write', 'DELETE /store/order/{orderId}'],
      create_user: ['write', 'none', 'tools:write', 'POST /user'],
      create_users_with_array_input: ['write', 'none', 'tools:write', 'POST /user/createWithArray'],
      create_users_with_list_input: ['write', 'none', 'tools:write', 'POST /user/createWithList'],
      get_login_user: ['read', 'none', 'tools:read', 'GET /user/login'],
      get_logout_user: ['read', 'none', 'tools:read', 'GET /user/logout'],
      get_user_by_name: ['read', 'none', 'tools:read', 'GET /user/{username}'],
      update_user: ['write', 'none', 'tools:write', 'PUT /user/{username}'],
      delete_user: ['write', 'human', 'tools:write', 'DELETE /user/{username}'],
    });
    // 19 of the 20 operations: the urlencoded form is a tool; the file upload is named, not silently dropped.
    expect(Object.keys(tools)).toHaveLength(19);
    expect(spec.tools.find((t: Json) => t.name === 'update_pet_with_form').http).toMatchObject({ encoding: 'form', params: { name: { in: 'body' }, status: { in: 'body' } } });
    expect(generated).not.toMatch(/skipped updatePetWithForm/);
    expect(generated).toMatch(/skipped uploadFile \(POST \/pet\/\{petId\}\/uploadImage\): it uploads a file \(file\); file uploads are not imported/);
    const out = (await runCiCommands(dir))['npm test'];
    expectAllPassed(out);
  }, SLOW);

  it("serves real Clients under the document's basePath, each call as its operation with the tenant's own credential; scopes from the document; a DELETE waits for an approver", async () => {
    upstream = await startStandIn(doc, { credentials: CREDENTIALS, basePath: doc.basePath });
    expect(upstream.url).toMatch(/\/v2\/$/);
    const acmeKey = await createKey(dir, 'acme', 'read:pets,write:pets,tools:read,tools:write');
    const globexKey = await createKey(dir, 'globex', 'tools:read');
    const approver = await createKey(dir, 'acme', 'approvals:grant', 'acme-approver');
    server = await startHttp(dir, { HTTP_API_BASE_URL: upstream.url, HTTP_API_CREDENTIALS: JSON.stringify(CREDENTIALS) });
    const acme = await connectHttp(server.url, acmeKey, 'auto');
    const globex = await connectHttp(server.url, globexKey, 'legacy');
    try {
      const listed = (await acme.listTools()).tools;
      expect(listed.map((t) => t.name)).toEqual(expect.arrayContaining(['find_pets_by_status', 'add_pet', 'update_pet_with_form', 'delete_pet', 'update_user']));
      expect(listed.find((t) => t.name === 'update_pet_with_form')!.inputSchema).toMatchObject({ required: ['petId'], properties: { name: { type: 'string' }, status: { type: 'string' } } });
      const byStatus = listed.find((t) => t.name === 'find_pets_by_status')!;
      expect(byStatus.annotations).toMatchObject({ readOnlyHint: true });
      expect(byStatus.inputSchema).toMatchObject({ required: ['status'], properties: { status: { type: 'array' } } });
      expect(listed.find((t) => t.name === 'delete_pet')!.annotations).toMatchObject({ destructiveHint: true });

      const found = structured(await acme.callTool({ name: 'find_pets_by_status', arguments: { status: ['available'] } }));
      expect(found).toMatchObject({ status: 200, data: [] });
      // No example in the document: the stand-in answers the minimal Pet its schema allows.
      const pet = structured(await globex.callTool({ name: 'get_pet_by_id', arguments: { petId: 7 } }));
      expect(pet).toEqual({ status: 200, data: { name: 'doggie', photoUrls: [] } });
      // data is typed by the 2.0 response schema: a Pet's documented fields, required ones required, more admitted.
      expect((byStatus.outputSchema?.properties as Json | undefined)?.data).toMatchObject({
        type: 'array',
        items: { type: 'object', required: ['name', 'photoUrls'], properties: { id: { type: 'integer' }, name: { type: 'string' }, photoUrls: { type: 'array' } }, additionalProperties: {} },
      });
      const added = await acme.callTool({
        name: 'add_pet',
        arguments: { name: 'Rex', photoUrls: ['https://example.com/rex.png'], category: { id: 1, name: 'Dogs' }, tags: [{ id: 2, name: 'good' }], status: 'available' },
      });
      expect(added.isError, JSON.stringify(added.content)).toBeFalsy();
      // A path parameter and a body property of the same name: both reach the API.
      const renamed = await acme.callTool({ name: 'update_user', arguments: { username: 'ada', body_username: 'ada.lovelace', email: 'ada@example.com' } });
      expect(renamed.isError, JSON.stringify(renamed.content)).toBeFalsy();
      // A body that is a bare array.
      const many = await acme.callTool({ name: 'create_users_with_array_input', arguments: { body: [{ username: 'grace' }, { username: 'alan' }] } });
      expect(many.isError, JSON.stringify(many.content)).toBeFalsy();
      // A form (in: formData, consumes application/x-www-form-urlencoded).
      const formed = await acme.callTool({ name: 'update_pet_with_form', arguments: { petId: 7, name: 'Rex & Co', status: 'sold' } });
      expect(formed.isError, JSON.stringify(formed.content)).toBeFalsy();

      expect(upstream.refused).toEqual([]);
      expect(upstream.seen).toEqual([
        { method: 'GET', path: '/pet/findByStatus', operationId: 'findPetsByStatus', tenant: 'acme', query: { status: 'available' }, body: undefined },
        { method: 'GET', path: '/pet/7', operationId: 'getPetById', tenant: 'globex', query: {}, body: undefined },
        {
          method: 'POST',
          path: '/pet',
          operationId: 'addPet',
          tenant: 'acme',
          query: {},
          body: { name: 'Rex', photoUrls: ['https://example.com/rex.png'], category: { id: 1, name: 'Dogs' }, tags: [{ id: 2, name: 'good' }], status: 'available' },
        },
        { method: 'PUT', path: '/user/ada', operationId: 'updateUser', tenant: 'acme', query: {}, body: { username: 'ada.lovelace', email: 'ada@example.com' } },
        { method: 'POST', path: '/user/createWithArray', operationId: 'createUsersWithArrayInput', tenant: 'acme', query: {}, body: [{ username: 'grace' }, { username: 'alan' }] },
        { method: 'POST', path: '/pet/7', operationId: 'updatePetWithForm', tenant: 'acme', query: {}, body: { name: 'Rex & Co', status: 'sold' } },
      ]);

      // The document's scopes decide: globex's credential has tools:read only, and over HTTP the
      // call gets 403 insufficient_scope naming what it lacks.
      await expect(globex.callTool({ name: 'find_pets_by_status', arguments: { status: ['sold'] } })).rejects.toThrow(/insufficient scope.*read:pets/i);
      // A value outside the document's enum never reaches the API.
      const invalid = await acme.callTool({ name: 'find_pets_by_status', arguments: { status: ['lost'] } });
      expect(invalid.isError).toBe(true);
      expect(JSON.stringify(invalid.content)).toContain('[invalid_arguments]');
      expect(upstream.seen).toHaveLength(6);

      // A Pet off its schema is the API breaking its contract: a clear error, and the server keeps serving.
      upstream.answerWith('getPetById', { name: 7, photoUrls: [] });
      const broken = await globex.callTool({ name: 'get_pet_by_id', arguments: { petId: 7 } });
      expect(broken.isError).toBe(true);
      expect(JSON.stringify(broken.content)).toContain('[upstream_contract] The API\'s answer does not match its documented schema at data.name: expected string, got number');
      upstream.answerWith('getPetById');
      expect(structured(await globex.callTool({ name: 'get_pet_by_id', arguments: { petId: 7 } }))).toEqual({ status: 200, data: { name: 'doggie', photoUrls: [] } });

      // A DELETE is parked until an approver of the same tenant grants it; only then does it reach the API.
      const parked = await acme.callTool({ name: 'delete_pet', arguments: { petId: 7, api_key: 'special-key' } });
      expect(parked.isError).toBe(true);
      const parkedText = JSON.stringify(parked.content);
      expect(parkedText).toContain('[approval_required]');
      expect(upstream.seen.filter((r) => r.method === 'DELETE')).toEqual([]);
      const id = /approvalId \\"(apr_[A-Za-z0-9_-]+)\\"/.exec(parkedText)![1]!;
      const grant = await fetch(new URL(`/admin/approvals/${id}/grant`, server.url), { method: 'POST', headers: { authorization: `Bearer ${approver}` } });
      expect(grant.status).toBe(200);
      const deleted = await acme.callTool({ name: 'delete_pet', arguments: { petId: 7, api_key: 'special-key', approvalId: id } });
      expect(deleted.isError, JSON.stringify(deleted.content)).toBeFalsy();
      expect(upstream.seen.filter((r) => r.method === 'DELETE')).toEqual([
        { method: 'DELETE', path: '/pet/7', operationId: 'deletePet', tenant: 'acme', query: {}, body: undefined, headers: { api_key: 'special-key' } },
      ]);
      expect(upstream.refused).toEqual([]);
    } finally {
      await acme.close();
      await globex.close();
      await server.stop();
      server = undefined;
    }
  }, SERVED);
});
