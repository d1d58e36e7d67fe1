/**
 * The governed catalog on the largest published document at hand: GitHub's REST API description
 * (api.github.com.json from the devDependency @octokit/openapi, MIT; over 1,200 operations),
 * imported whole with `create-mcp-server --openapi --openapi-mode catalog`. The repo is installed,
 * built and passes its own CI test job (its api-catalog test among them); `npm start` serves it
 * against a stand-in upstream derived from the document (test/e2e/stand-in-upstream.ts), which
 * checks each request's method, path, query, body and the tenant's own credential. Real SDK
 * Clients find operations with search_operations (filtered by the credential's scopes and the
 * tenant's rollout), read one with describe_operation and call them with call_operation: a GET
 * with path and query parameters, a POST with a JSON body, and a DELETE that waits for an
 * approver; each call's audit record names the operation it ran.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { connectHttp, createKey, expectAllPassed, generate, runCiCommands, type RunningServer, SERVED, SLOW, startHttp, structured } from './generated-repo.js';
import { importedApiLifecycle } from './imported-api-lifecycle.js';
import { startStandIn, type StandIn } from './stand-in-upstream.js';

const DOCUMENT = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let dir: string;
let doc: Json;
let operationCount: number;
let generated: string;
let server: RunningServer | undefined;
let upstream: StandIn | undefined;
const root = importedApiLifecycle('cms-e2e-catalog-', () => ({ server, upstream }));

/** The tenants' own credentials for the API (what HTTP_API_CREDENTIALS holds). */
const CREDENTIALS = { acme: 'acme-github-token', globex: 'globex-github-token' };
/** globex may use only these operations (and the three catalog tools). */
const GLOBEX_OPERATIONS = ['get_issues_list_for_repo', 'get_issues_get'];

interface Hit {
  name: string;
  access: string;
  approval: string;
  method: string;
  path: string;
}
interface Page {
  operations: Hit[];
  total: number;
  nextOffset?: number;
}

const search = async (client: Client, args: Record<string, unknown>) => structured(await client.callTool({ name: 'search_operations', arguments: args })) as unknown as Page;
const callOperation = (client: Client, operation: string, args: Record<string, unknown>) =>
  client.callTool({ name: 'call_operation', arguments: { operation, arguments: args } });

beforeAll(async () => {
  dir = join(root.path, 'github-mcp');
  doc = JSON.parse(await readFile(DOCUMENT, 'utf8'));
  // Every operation of the document but the two whose bodies are not JSON.
  operationCount =
    Object.values(doc.paths as Json).reduce(
      (n: number, item) => n + Object.keys(item as Json).filter((m) => ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'].includes(m)).length,
      0,
    ) - 2;
  expect(operationCount).toBeGreaterThan(500);
  generated = await generate(dir, '--openapi', DOCUMENT, '--openapi-mode', 'catalog', '--description', 'GitHub REST API');
}, SLOW);

describe('OpenAPI import as a governed catalog (GitHub REST API)', () => {
  it('serves every operation through three tools, and the repo passes its own CI tests', async () => {
    const spec = JSON.parse(await readFile(join(dir, 'mcp-gen.json'), 'utf8'));
    expect(spec.openapi.mode).toBe('catalog');
    expect(spec.tools.map((t: Json) => t.name).sort()).toEqual(['call_operation', 'describe_operation', 'search_operations']);
    const operations = spec.catalog.operations as Json[];
    expect(operations).toHaveLength(operationCount);
    const byName = new Map(operations.map((op) => [op.name, op]));
    expect(byName.get('get_issues_list_for_repo')).toMatchObject({ access: 'read', http: { method: 'GET', path: '/repos/{owner}/{repo}/issues', operationId: 'issues/list-for-repo' } });
    expect(byName.get('create_issues_create')).toMatchObject({ access: 'write', http: { method: 'POST', path: '/repos/{owner}/{repo}/issues' } });
    expect(byName.get('delete_issues_remove_label')).toMatchObject({ access: 'write', approval: 'human', http: { method: 'DELETE' } });
    expect(generated).toContain('skipped markdown/render-raw (POST /markdown/raw): its request body is text/plain');
    expect(generated).toContain('skipped repos/upload-release-asset (POST /repos/{owner}/{repo}/releases/{release_id}/assets): its request body is application/octet-stream');
    const out = (await runCiCommands(dir))['npm test'];
    expect(out).toMatch(/api-catalog\.test\.ts/);
    expectAllPassed(out);
  }, SLOW);

  it("finds, describes and calls operations for real Clients, each with the tenant's own credential; a DELETE waits for an approver; the audit names each operation", async () => {
    upstream = await startStandIn(doc, { credentials: CREDENTIALS });
    const acmeKey = await createKey(dir, 'acme', 'tools:read,tools:write');
    const readerKey = await createKey(dir, 'acme', 'tools:read');
    const globexKey = await createKey(dir, 'globex', 'tools:read,tools:write');
    const approver = await createKey(dir, 'acme', 'approvals:grant', 'acme-approver');
    server = await startHttp(dir, {
      HTTP_API_BASE_URL: upstream.url,
      HTTP_API_CREDENTIALS: JSON.stringify(CREDENTIALS),
      MCP_TOOL_ROLLOUT: JSON.stringify({ tenants: { globex: ['search_operations', 'describe_operation', 'call_operation', ...GLOBEX_OPERATIONS] } }),
    });
    const acme = await connectHttp(server.url, acmeKey, 'auto');
    const reader = await connectHttp(server.url, readerKey, 'legacy');
    const globex = await connectHttp(server.url, globexKey, 'auto');
    try {
      expect((await acme.listTools()).tools.map((t) => t.name).sort()).toEqual(['call_operation', 'describe_operation', 'search_operations']);

      // Search: words find the operation; the credential's scopes and the tenant's rollout filter.
      const found = await search(acme, { query: 'list repository issues' });
      expect(found.operations.map((hit) => hit.name)).toContain('get_issues_list_for_repo');
      const every = await search(acme, { query: '', limit: 50 });
      expect(every.total).toBe(operationCount);
      expect(every.operations).toHaveLength(50);
      expect(every.nextOffset).toBe(50);
      const next = await search(acme, { query: '', limit: 50, offset: every.nextOffset });
      expect(next.operations.map((hit) => hit.name)).not.toContain(every.operations[0]!.name);
      const reads = await search(reader, { query: '', limit: 50 });
      expect(reads.total).toBeGreaterThan(500);
      expect(reads.total).toBeLessThan(operationCount);
      expect(new Set(reads.operations.map((hit) => hit.access))).toEqual(new Set(['read']));
      expect((await search(reader, { query: 'remove a label from an issue' })).operations.map((hit) => hit.name)).not.toContain('delete_issues_remove_label');
      expect((await search(acme, { query: 'remove a label from an issue' })).operations.map((hit) => hit.name)).toContain('delete_issues_remove_label');
      const globexAll = await search(globex, { query: '', limit: 50 });
      expect(globexAll.operations.map((hit) => hit.name).sort()).toEqual([...GLOBEX_OPERATIONS].sort());
      expect(globexAll.total).toBe(GLOBEX_OPERATIONS.length);

      // Describe: the operation's input JSON Schema, access and approval.
      const described = structured(await acme.callTool({ name: 'describe_operation', arguments: { operation: 'get_issues_list_for_repo' } }));
      expect(described).toMatchObject({ name: 'get_issues_list_for_repo', access: 'read', approval: 'none', method: 'GET', path: '/repos/{owner}/{repo}/issues', missingScopes: [] });
      expect(described.inputSchema).toMatchObject({
        type: 'object',
        required: expect.arrayContaining(['owner', 'repo']),
        properties: { owner: { type: 'string' }, repo: { type: 'string' }, state: { enum: ['open', 'closed', 'all'] }, per_page: { type: 'integer' } },
      });
      // …and its answer's JSON Schema, typed from the document's 200 answer: a list of issues, more fields admitted.
      expect(described.outputSchema).toMatchObject({
        type: 'array',
        items: { type: 'object', required: expect.arrayContaining(['id', 'number', 'title']), properties: { number: { type: 'integer' }, title: { type: 'string' } } },
      });
      expect(JSON.stringify(described.outputSchema).length).toBeLessThan(20_000);
      const removal = structured(await acme.callTool({ name: 'describe_operation', arguments: { operation: 'delete_issues_remove_label' } }));
      expect(removal).toMatchObject({ access: 'write', approval: 'human', method: 'DELETE' });
      // An operation outside globex's rollout is unknown to it.
      const hidden = await globex.callTool({ name: 'describe_operation', arguments: { operation: 'create_issues_create' } });
      expect(hidden.isError).toBe(true);
      expect(JSON.stringify(hidden.content)).toContain('[not_found]');

      // Call: a GET with path and query parameters, as two tenants, each with its own credential.
      const listed = structured(await callOperation(acme, 'get_issues_list_for_repo', { owner: 'octo-org', repo: 'hello-world', state: 'closed', labels: 'bug,ui', per_page: 5 }));
      expect(listed).toMatchObject({ status: 200, data: expect.any(Array) });
      const issue = structured(await callOperation(globex, 'get_issues_get', { owner: 'globex', repo: 'plans', issue_number: 42 }));
      expect(issue).toMatchObject({ status: 200, data: { number: expect.any(Number) } });
      // An answer off the document is the API breaking its contract: a clear error naming where, and the server keeps serving.
      upstream.answerWith('issues/get', { ...(issue.data as Json), number: 'forty-two' });
      const broken = await callOperation(globex, 'get_issues_get', { owner: 'globex', repo: 'plans', issue_number: 42 });
      expect(broken.isError).toBe(true);
      expect(JSON.stringify(broken.content)).toContain("[upstream_contract] The API's answer does not match its documented schema at data.number: expected number, got string");
      upstream.answerWith('issues/get');
      upstream.seen.splice(-1);
      // A POST with a JSON body.
      const created = structured(
        await callOperation(acme, 'create_issues_create', { owner: 'octo-org', repo: 'hello-world', title: 'Found a bug', body: 'It fails on Tuesdays.', labels: ['bug'] }),
      );
      expect(created).toMatchObject({ status: 201 });
      expect(upstream.refused).toEqual([]);
      expect(upstream.seen).toEqual([
        {
          method: 'GET',
          path: '/repos/octo-org/hello-world/issues',
          operationId: 'issues/list-for-repo',
          tenant: 'acme',
          query: { state: 'closed', labels: 'bug,ui', sort: 'created', direction: 'desc', per_page: '5', page: '1' },
          body: undefined,
        },
        { method: 'GET', path: '/repos/globex/plans/issues/42', operationId: 'issues/get', tenant: 'globex', query: {}, body: undefined },
        {
          method: 'POST',
          path: '/repos/octo-org/hello-world/issues',
          operationId: 'issues/create',
          tenant: 'acme',
          query: {},
          body: { title: 'Found a bug', body: 'It fails on Tuesdays.', labels: ['bug'] },
        },
      ]);

      // Refused before the API: a bad argument, an operation outside the rollout (unknown to globex,
      // as describe_operation says), a write without the scope.
      const bad = await callOperation(acme, 'get_issues_list_for_repo', { owner: 'octo-org', repo: 'hello-world', state: 'sideways' });
      expect(bad.isError).toBe(true);
      expect(JSON.stringify(bad.content)).toContain('[invalid_arguments]');
      const outside = await callOperation(globex, 'create_issues_create', { owner: 'globex', repo: 'plans', title: 'Nope' });
      expect(outside.isError).toBe(true);
      expect(JSON.stringify(outside.content)).toContain('[not_found] No such operation');
      const readOnly = await callOperation(reader, 'create_issues_create', { owner: 'octo-org', repo: 'hello-world', title: 'Nope' }).then(
        (result) => `${String(result.isError)} ${JSON.stringify(result.content)}`,
        (error: unknown) => `true ${String(error)}`,
      );
      expect(readOnly).toMatch(/^true .*tools:write/);
      expect(upstream.seen).toHaveLength(3);

      // A DELETE is parked until an approver of the same tenant grants it; only then does it reach the API.
      const args = { owner: 'octo-org', repo: 'hello-world', issue_number: 1347, name: 'bug' };
      const parked = await callOperation(acme, 'delete_issues_remove_label', args);
      expect(parked.isError).toBe(true);
      const parkedText = JSON.stringify(parked.content);
      expect(parkedText).toContain('[approval_required]');
      expect(upstream.seen.filter((r) => r.method === 'DELETE')).toEqual([]);
      const id = /approvalId \\"(apr_[A-Za-z0-9_-]+)\\"/.exec(parkedText)![1]!;
      const grant = await fetch(new URL(`/admin/approvals/${id}/grant`, server.url), { method: 'POST', headers: { authorization: `Bearer ${approver}` } });
      expect(grant.status).toBe(200);
      const removed = await callOperation(acme, 'delete_issues_remove_label', { ...args, approvalId: id });
      expect(removed.isError, JSON.stringify(removed.content)).toBeFalsy();
      expect(upstream.seen.filter((r) => r.method === 'DELETE')).toEqual([
        { method: 'DELETE', path: '/repos/octo-org/hello-world/issues/1347/labels/bug', operationId: 'issues/remove-label', tenant: 'acme', query: {}, body: undefined },
      ]);
      expect(upstream.refused).toEqual([]);
    } finally {
      await acme.close();
      await reader.close();
      await globex.close();
      await server.stop();
    }

    // Each call_operation call was audited as the operation it ran, not as call_operation.
    const lines = server.output().split('\n');
    // The off-schema answer was logged for the operator with where it broke the document.
    const contract = lines.filter((line) => line.includes('"code":"upstream_contract"')).map((line) => JSON.parse(line) as Json);
    expect(contract).toMatchObject([{ operation: 'GET /repos/{owner}/{repo}/issues/{issue_number}', issues: [{ path: ['number'] }] }]);
    const audit = lines
      .filter((line) => line.startsWith('{') && line.includes('"tool"'))
      .map((line) => JSON.parse(line) as Json)
      .filter((record) => record.kind === undefined && 'outcome' in record && 'requestId' in record);
    server = undefined;
    const outcomes = (tool: string) => audit.filter((record) => record.tool === tool).map((record) => [record.tenant, record.outcome]);
    expect(outcomes('get_issues_list_for_repo')).toEqual([
      ['acme', 'ok'],
      ['acme', 'invalid'],
    ]);
    expect(outcomes('get_issues_get')).toEqual([
      ['globex', 'ok'],
      ['globex', 'error'],
    ]);
    expect(audit.find((record) => record.tool === 'get_issues_get' && record.outcome === 'error')).toMatchObject({ errorCode: 'upstream_contract' });
    expect(outcomes('create_issues_create')).toContainEqual(['acme', 'ok']);
    expect(outcomes('delete_issues_remove_label')).toContainEqual(['acme', 'pending_approval']);
    expect(outcomes('delete_issues_remove_label').at(-1)).toEqual(['acme', 'ok']);
    expect(audit.filter((record) => record.tool === 'call_operation' && record.outcome === 'ok')).toEqual([]);
  }, SERVED);
});
