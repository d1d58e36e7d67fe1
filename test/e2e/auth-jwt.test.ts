/**
 * both transports + jwt, with a write tool behind each approval mode: generated, installed,
 * built, its own tests run (the generated CI commands), then started with `node dist/main.js`
 * against a JWKS this test serves on 127.0.0.1, and driven by real SDK Clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { tempDir } from '../support/temp-dir.js';
import { connectHttp, connectStdio, expectAllPassed, generate, HANG_MS, runCiCommands, type RunningServer, SERVED, SLOW, startHttp, structured } from './generated-repo.js';
import { ISSUER, startTestIssuer, type TestIssuer } from './test-issuer.js';

const AUDIENCE = 'billing-mcp';
// Tools take exactly the params their spec lists: these are the arguments the tests send.
const spec = {
  name: 'billing-mcp',
  transport: 'both',
  auth: 'jwt',
  tools: [
    { name: 'search_invoices', access: 'read', params: [{ name: 'query', type: 'string', description: 'Text to look for.', required: false }] },
    { name: 'create_credit_note', access: 'write', approval: 'client', params: [{ name: 'name', type: 'string', description: 'Name of the record.', required: true }] },
    { name: 'issue_refund', access: 'write', approval: 'human', scopes: ['refunds:write'], params: [{ name: 'name', type: 'string', description: 'Name of the record.', required: true }] },
  ],
};
const ALL_SCOPES = 'tools:read tools:write refunds:write';

let root: { path: string; remove: () => Promise<void> };
let dir: string;
let issuer: TestIssuer;
let server: RunningServer | undefined;

beforeAll(async () => {
  root = await tempDir('cms-e2e-jwt-');
  dir = join(root.path, 'billing-mcp');
  const config = join(root.path, 'spec.json');
  await writeFile(config, JSON.stringify(spec));
  await generate(dir, '--config', config);
  issuer = await startTestIssuer();
}, SLOW);
afterAll(async () => {
  await server?.stop();
  await issuer?.close();
  await root.remove();
}, SERVED);

const serverEnv = () => ({ MCP_TOKEN_ISSUER: ISSUER, MCP_TOKEN_AUDIENCE: AUDIENCE, MCP_TOKEN_JWKS_URL: issuer.jwksUrl, MCP_TOKEN_ALGORITHMS: 'ES256' });
const tokenFor = (tenant: string, subject: string, scope = ALL_SCOPES, extra: Record<string, unknown> = {}) =>
  issuer.token({ aud: AUDIENCE, sub: subject, tenant_id: tenant, scope, ...extra });

async function post(token: string | undefined): Promise<Response> {
  return fetch(server!.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'e2e', version: '1' } } }),
  });
}

describe('both + jwt', () => {
  it('builds and passes its own tests', async () => {
    const out = (await runCiCommands(dir))['npm test'];
    expectAllPassed(out);
    // Its own tests include the forged-token, approval, cross-tenant and canary-secret suites.
    for (const file of ['auth-jwt', 'approval', 'approvals-endpoint', 'cross-tenant', 'secrets', 'rollout']) expect(out).toContain(`test/${file}.test.ts`);
  }, SLOW);

  it('serves tokens signed by the JWKS, for both protocol eras, as the token\'s tenant', async () => {
    server = await startHttp(dir, serverEnv());
    for (const era of ['legacy', 'auto'] as const) {
      const acme = await connectHttp(server.url, tokenFor('acme', 'alice'), era);
      try {
        const { tools } = await acme.listTools();
        expect(tools.map((tool) => tool.name).sort()).toEqual(['create_credit_note', 'issue_refund', 'search_invoices']);
        expect(structured(await acme.callTool({ name: 'search_invoices', arguments: {} }))).toHaveProperty('total');
      } finally {
        await acme.close();
      }
    }
  }, SERVED);

  it('refuses bad tokens with 401 and the reason, and a token without any tool scope with 403', async () => {
    const cases: Array<[string | undefined, RegExp]> = [
      [undefined, /^Bearer realm="mcp"$/],
      [tokenFor('acme', 'alice', ALL_SCOPES, { exp: Math.floor(Date.now() / 1000) - 600 }), /expired/],
      [tokenFor('acme', 'alice', ALL_SCOPES, { aud: 'another-service' }), /wrong audience/],
      [tokenFor('acme', 'alice', ALL_SCOPES, { iss: 'https://evil.example' }), /wrong issuer/],
      [tokenFor('acme', 'alice', ALL_SCOPES, { tenant_id: undefined }), /missing claim \(tenant_id\)/],
      [`${tokenFor('acme', 'alice').slice(0, -6)}AAAAAA`, /bad signature/],
    ];
    for (const [token, challenge] of cases) {
      const response = await post(token);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(challenge);
    }
    const noScope = await post(tokenFor('acme', 'alice', 'openid'));
    expect(noScope.status).toBe(403);
    expect(noScope.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
  }, SERVED);

  it('runs a client-approval tool only once the user confirms it', async () => {
    const confirming = new Client({ name: 'e2e-confirm', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' }, capabilities: { elicitation: { form: {} } } });
    let asked = '';
    confirming.setRequestHandler('elicitation/create', async (request) => {
      asked = String(request.params.message);
      return { action: 'accept', content: { confirm: true } };
    });
    await confirming.connect(new StreamableHTTPClientTransport(new URL(server!.url), { requestInit: { headers: { Authorization: `Bearer ${tokenFor('acme', 'alice')}` } } }));
    const silent = await connectHttp(server!.url, tokenFor('acme', 'alice'), 'auto');
    try {
      const created = structured(await confirming.callTool({ name: 'create_credit_note', arguments: { name: 'Credit 12 EUR' } }));
      expect(JSON.stringify(created)).toContain('Credit 12 EUR');
      expect(asked).toContain('Credit 12 EUR');
      const refused = await silent.callTool({ name: 'create_credit_note', arguments: { name: 'Credit 99 EUR' } });
      expect(JSON.stringify(refused.content)).toContain('[approval_unavailable]');
    } finally {
      await confirming.close();
      await silent.close();
    }
  }, SERVED);

  it('parks a human-approval call until another subject of the tenant grants it, then runs it once', async () => {
    const alice = await connectHttp(server!.url, tokenFor('acme', 'alice'), 'auto');
    const admin = (token: string, path: string, method = 'GET') =>
      fetch(new URL(`/admin/approvals${path}`, server!.url), { method, headers: { authorization: `Bearer ${token}` } });
    try {
      const args = { name: 'Refund order 1042' };
      const parked = await alice.callTool({ name: 'issue_refund', arguments: args });
      const id = /Approval id: (apr_[\w-]+)/.exec(JSON.stringify(parked.content))?.[1];
      expect(id).toBeDefined();

      // Alice cannot approve her own call; an approver of another tenant cannot see it.
      expect((await admin(tokenFor('acme', 'alice', 'approvals:grant'), `/${id}/grant`, 'POST')).status).toBe(403);
      expect((await admin(tokenFor('globex', 'gus', 'approvals:grant'), `/${id}/grant`, 'POST')).status).toBe(404);
      const granted = await admin(tokenFor('acme', 'bob', 'approvals:grant'), `/${id}/grant`, 'POST');
      expect(granted.status).toBe(200);

      const swapped = await alice.callTool({ name: 'issue_refund', arguments: { name: 'Refund order 9999', approvalId: id } });
      expect(JSON.stringify(swapped.content)).toContain('[approval_mismatch]');
      expect(JSON.stringify(structured(await alice.callTool({ name: 'issue_refund', arguments: { ...args, approvalId: id } })))).toContain('Refund order 1042');
      const replay = await alice.callTool({ name: 'issue_refund', arguments: { ...args, approvalId: id } });
      expect(JSON.stringify(replay.content)).toContain('[approval_used]');
    } finally {
      await alice.close();
    }
  }, SERVED);

  it('keeps tenants apart: a token for globex never sees what acme wrote', async () => {
    const globex = await connectHttp(server!.url, tokenFor('globex', 'gus'), 'auto');
    try {
      const found = structured(await globex.callTool({ name: 'search_invoices', arguments: { query: 'Refund order 1042' } }));
      expect(JSON.stringify(found)).not.toContain('Refund order 1042');
      const smuggled = await globex.callTool({ name: 'search_invoices', arguments: { query: 'Refund', tenant_id: 'acme' } });
      expect(smuggled.isError).toBe(true);
    } finally {
      await globex.close();
    }
  }, SERVED);

  it('reloads its key material on SIGHUP, audits every decision, and stops cleanly', async () => {
    server!.signal('SIGHUP');
    const deadline = Date.now() + HANG_MS;
    while (!server!.output().includes('SIGHUP: reloading') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server!.output()).toContain('SIGHUP: reloading');
    expect((await post(tokenFor('acme', 'alice'))).status).toBe(200);

    expect(await server!.stop()).toBe(0);
    const records = server!
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes('"toolVersion"'))
      .map((line) => JSON.parse(line) as { tool: string; outcome: string; subject: string; tenant: string; approval: { decision: string } | null });
    server = undefined;
    const refunds = records.filter((record) => record.tool === 'issue_refund').map((record) => [record.subject, record.outcome, record.approval?.decision]);
    expect(refunds).toEqual(
      expect.arrayContaining([
        ['alice', 'pending_approval', 'requested'],
        ['bob', 'approval_granted', 'granted'],
        ['alice', 'denied', 'mismatch'],
        ['alice', 'ok', 'granted'],
        ['alice', 'denied', 'used'],
      ]),
    );
    expect(records.filter((record) => record.subject === 'gus').every((record) => record.tenant === 'globex')).toBe(true);
  }, SERVED);

  it('over stdio, acts as the tenant of MCP_ACCESS_TOKEN', async () => {
    const client = await connectStdio(dir, { ...serverEnv(), MCP_ACCESS_TOKEN: tokenFor('initech', 'desktop') });
    try {
      expect((await client.listTools()).tools).toHaveLength(3);
      const found = structured(await client.callTool({ name: 'search_invoices', arguments: { query: 'Refund order 1042' } }));
      expect(JSON.stringify(found)).not.toContain('Refund order 1042');
    } finally {
      await client.close();
    }
  }, SERVED);
});
