/**
 * `create-mcp-server --openapi` on a real published document: the Train Travel API (OpenAPI
 * 3.1), as the devDependency @readme/oas-examples (MIT) ships it; the document's own
 * info.license is CC BY-NC-SA 4.0, so it is read from the package, never copied here. The repo
 * is installed, built and passes its own CI test job; `npm start` serves it against a stand-in
 * upstream on 127.0.0.1 that this test derives from the document, which checks every request's
 * method, path, query, body and the tenant's own credential; real SDK Clients list and call the
 * tools; a DELETE waits for an approver. Then the document changes and is imported again over a
 * user's edit: the edit survives and the repo's contract check reports the breaking changes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { createRequire } from 'node:module';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectHttp, createKey, expectAllPassed, generate, npmRun, runCiCommands, type RunningServer, SERVED, SLOW, startHttp, structured } from './generated-repo.js';
import { importedApiLifecycle } from './imported-api-lifecycle.js';
import { startStandIn, type StandIn } from './stand-in-upstream.js';

const mcpGen = fileURLToPath(new URL('../../bin/mcp-gen.js', import.meta.url));
const DOCUMENT = createRequire(import.meta.url).resolve('@readme/oas-examples/3.1/json/train-travel.json');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let dir: string;
let docPath: string;
let doc: Json;
let server: RunningServer | undefined;
let upstream: StandIn | undefined;
const root = importedApiLifecycle('cms-e2e-openapi-', () => ({ server, upstream }));

/** The tenants' own credentials for the API (what HTTP_API_CREDENTIALS holds). */
const CREDENTIALS = { acme: 'acme-api-secret', globex: 'globex-api-secret' };

beforeAll(async () => {
  dir = join(root.path, 'train-travel-mcp');
  docPath = join(root.path, 'train-travel.json');
  doc = JSON.parse(await readFile(DOCUMENT, 'utf8'));
  await writeFile(docPath, JSON.stringify(doc, null, 2));
  await generate(dir, '--openapi', docPath, '--description', 'Train Travel API');
}, SLOW);

describe('OpenAPI import (Train Travel API, OpenAPI 3.1)', () => {
  it('makes a tool per operation with access, approval and scopes from the document, and the repo passes its own CI tests', async () => {
    const spec = JSON.parse(await readFile(join(dir, 'mcp-gen.json'), 'utf8'));
    const tools = Object.fromEntries(spec.tools.map((t: Json) => [t.name, [t.access, t.approval ?? 'none', t.scopes.join(' '), `${t.http.method} ${t.http.path}`]]));
    expect(tools).toEqual({
      get_bookings: ['read', 'none', 'read', 'GET /bookings'],
      create_booking: ['write', 'none', 'write', 'POST /bookings'],
      get_booking: ['read', 'none', 'read', 'GET /bookings/{bookingId}'],
      delete_booking: ['write', 'human', 'write', 'DELETE /bookings/{bookingId}'],
      create_booking_payment: ['write', 'none', 'read', 'POST /bookings/{bookingId}/payment'],
      get_stations: ['read', 'none', 'read', 'GET /stations'],
      get_trips: ['read', 'none', 'read', 'GET /trips'],
    });
    expect(spec.openapi.source).toBe('../train-travel.json');
    const out = (await runCiCommands(dir))['npm test'];
    expectAllPassed(out);
  }, SLOW);

  it("serves real Clients: each call reaches the API as its operation, with the tenant's own credential; a DELETE waits for an approver", async () => {
    upstream = await startStandIn(doc, { credentials: CREDENTIALS });
    const acmeKey = await createKey(dir, 'acme', 'read,write');
    const globexKey = await createKey(dir, 'globex', 'read,write');
    const approver = (await execa('npm', ['run', '--silent', 'keys', '--', 'create', '--tenant', 'acme', '--subject', 'acme-approver', '--scopes', 'approvals:grant'], { cwd: dir })).stdout.trim();
    server = await startHttp(dir, { HTTP_API_BASE_URL: upstream.url, HTTP_API_CREDENTIALS: JSON.stringify(CREDENTIALS) });
    const acme = await connectHttp(server.url, acmeKey, 'auto');
    const globex = await connectHttp(server.url, globexKey, 'legacy');
    try {
      const listed = (await acme.listTools()).tools;
      const trips = listed.find((t) => t.name === 'get_trips')!;
      expect(trips.annotations).toMatchObject({ readOnlyHint: true });
      expect(trips.inputSchema).toMatchObject({ required: ['origin', 'destination', 'date'], properties: { origin: { format: 'uuid' }, bicycles: { type: 'boolean', default: false } } });
      expect(trips.description).toContain('Parameters: origin: The ID of the origin station');

      const origin = 'efdbb9d1-02c2-4bc3-afb7-6788d8782b1e';
      const destination = 'b2e783e1-c824-4d63-b37a-d8d698862f1d';
      const found = structured(await acme.callTool({ name: 'get_trips', arguments: { origin, destination, date: '2024-02-01T09:00:00Z', dogs: true } }));
      expect(found).toMatchObject({ status: 200, data: { data: expect.any(Array) } });
      // data is typed by the document's 2xx answer: its properties listed, the stand-in's example answered as is.
      expect((trips.outputSchema?.properties as Json | undefined)?.data).toMatchObject({
        type: 'object',
        properties: { data: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, bicycles_allowed: { type: 'boolean' } }, additionalProperties: {} } } },
      });
      expect(JSON.stringify(trips.outputSchema)).not.toContain('"enum"');
      const tripsExample = doc.paths['/trips'].get.responses['200'].content['application/json'].example;
      expect((found as { data?: unknown }).data).toEqual(tripsExample);
      const booking = '1725ff48-ab45-4bb5-9d02-88745177dedb';
      structured(await globex.callTool({ name: 'get_booking', arguments: { bookingId: booking } }));
      const created = structured(await acme.callTool({ name: 'create_booking', arguments: { trip_id: origin, passenger_name: 'Ada Lovelace', has_dog: true } }));
      expect(created.status).toBe(201);

      expect(upstream.refused).toEqual([]);
      expect(upstream.seen).toEqual([
        { method: 'GET', path: '/trips', operationId: 'get-trips', tenant: 'acme', query: { origin, destination, date: '2024-02-01T09:00:00Z', dogs: 'true', bicycles: 'false' }, body: undefined },
        { method: 'GET', path: `/bookings/${booking}`, operationId: 'get-booking', tenant: 'globex', query: {}, body: undefined },
        { method: 'POST', path: '/bookings', operationId: 'create-booking', tenant: 'acme', query: {}, body: { trip_id: origin, passenger_name: 'Ada Lovelace', has_dog: true } },
      ]);

      // An answer off the document is the API breaking its contract: a clear business error, and the server keeps serving.
      upstream.answerWith('get-booking', { id: booking, passenger_name: 42 });
      const broken = await globex.callTool({ name: 'get_booking', arguments: { bookingId: booking } });
      expect(broken.isError).toBe(true);
      expect(JSON.stringify(broken.content)).toContain("[upstream_contract] The API's answer does not match its documented schema at data.passenger_name: expected string, got number");
      upstream.answerWith('get-booking');
      expect(structured(await globex.callTool({ name: 'get_booking', arguments: { bookingId: booking } }))).toMatchObject({ status: 200, data: { id: expect.any(String) } });

      // The API's refusal is the model's business error.
      const missing = await acme.callTool({ name: 'get_trips', arguments: { origin: 'not-a-uuid', destination, date: '2024-02-01T09:00:00Z' } });
      expect(missing.isError).toBe(true);
      expect(JSON.stringify(missing.content)).toContain('[invalid_arguments]');

      // A DELETE is parked until an approver of the same tenant grants it; only then does it reach the API.
      const parked = await acme.callTool({ name: 'delete_booking', arguments: { bookingId: booking } });
      expect(parked.isError).toBe(true);
      const parkedText = JSON.stringify(parked.content);
      expect(parkedText).toContain('[approval_required]');
      expect(upstream.seen.filter((r) => r.method === 'DELETE')).toEqual([]);
      const id = /approvalId \\"(apr_[A-Za-z0-9_-]+)\\"/.exec(parkedText)![1]!;
      const grant = await fetch(new URL(`/admin/approvals/${id}/grant`, server.url), { method: 'POST', headers: { authorization: `Bearer ${approver}` } });
      expect(grant.status).toBe(200);
      const deleted = await acme.callTool({ name: 'delete_booking', arguments: { bookingId: booking, approvalId: id } });
      expect(deleted.isError, JSON.stringify(deleted.content)).toBeFalsy();
      expect(upstream.seen.filter((r) => r.method === 'DELETE')).toEqual([{ method: 'DELETE', path: `/bookings/${booking}`, operationId: 'delete-booking', tenant: 'acme', query: {}, body: undefined }]);
      expect(upstream.refused).toEqual([]);
    } finally {
      await acme.close();
      await globex.close();
      await server.stop();
      server = undefined;
    }
  }, SERVED);

  it('imports a changed document again: the user\'s edit survives, and the contract check reports the breaking changes', async () => {
    const toolFile = join(dir, 'src/tools/get_booking.ts');
    const original = await readFile(toolFile, 'utf8');
    const edited = original.replace('export default defineTool({', '// Bookings older than a year are archived by the API: ask the operator for those.\nexport default defineTool({');
    expect(edited).not.toBe(original);
    await writeFile(toolFile, edited);

    // The API now needs a currency to show a booking, and no longer deletes bookings.
    const changed = structuredClone(doc);
    changed.paths['/bookings/{bookingId}'].get.parameters = [{ name: 'currency', in: 'query', required: true, description: 'ISO 4217 code prices are shown in', schema: { type: 'string' } }];
    delete changed.paths['/bookings/{bookingId}'].delete;
    await writeFile(docPath, JSON.stringify(changed, null, 2));

    const dry = await execa('node', [mcpGen, 'import', 'openapi', '-C', dir, '--dry-run'], { reject: false, all: true });
    expect(dry.exitCode, dry.all).toBe(0);
    expect(dry.all).toMatch(/get_booking +read +GET \/bookings\/\{bookingId\}/);
    expect(dry.all).not.toMatch(/^ +delete_booking +write/m);
    expect(dry.all).toMatch(/delete +src\/tools\/delete_booking\.ts/);
    const reimport = await execa('node', [mcpGen, 'import', 'openapi', '-C', dir], { reject: false, all: true });
    expect(reimport.exitCode, reimport.all).toBe(0);
    expect(reimport.all).toContain('Removed delete_booking');

    const merged = await readFile(toolFile, 'utf8');
    expect(merged).toContain('// Bookings older than a year are archived by the API: ask the operator for those.');
    expect(merged).toContain('currency: z.string().describe("ISO 4217 code prices are shown in")');
    expect(merged).not.toContain('<<<<<<<');

    await npmRun(dir, 'build');
    const contract = await execa('npm', ['run', '--silent', 'contract'], { cwd: dir, reject: false, all: true });
    expect(contract.exitCode).toBe(1);
    expect(contract.all).toContain('breaking  get_booking: parameter "currency" was added as a required parameter (breaking)');
    expect(contract.all).toMatch(/delete_booking[^\n]*removed/);
  }, SLOW);
});
