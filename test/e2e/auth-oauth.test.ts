/**
 * http + oauth, with a human-approval write tool, a prompt and a per-tenant tool rollout: generated,
 * installed, built, its own tests run (the generated CI commands), then started with
 * `node dist/main.js` as an OAuth resource server for an authorization server this test stands
 * in for (its JWKS on 127.0.0.1), and driven by real SDK Clients and `npm run approvals`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { tempDir } from '../support/temp-dir.js';
import { connectHttp, expectAllPassed, generate, runCiCommands, type RunningServer, SERVED, SLOW, startHttp, structured } from './generated-repo.js';
import { ISSUER, startTestIssuer, type TestIssuer } from './test-issuer.js';

const spec = {
  name: 'support-mcp',
  transport: 'http',
  auth: 'oauth',
  tools: [
    // A limit of its own: the generated Redis rate-limit test must pick a tool under RATE_LIMIT_TOOL_PER_MINUTE.
    { name: 'search_tickets', access: 'read', rateLimit: { perMinute: 20 } },
    { name: 'close_ticket', access: 'write', approval: 'human', params: [{ name: 'name', type: 'string', description: 'Name of the record.', required: true }] },
  ],
  // Its scope is served too: in the metadata and challenges, and in the generated tests' expectations of them.
  prompts: [{ name: 'ticket_brief', arguments: [{ name: 'ticket' }], message: 'Brief me on ticket {ticket}.' }],
};

let root: { path: string; remove: () => Promise<void> };
let dir: string;
let issuer: TestIssuer;
let server: RunningServer | undefined;
/** Where clients reach it, TLS terminated in front: what tokens must name, not the local port. */
const resource = 'https://support.example.com/mcp';

beforeAll(async () => {
  root = await tempDir('cms-e2e-oauth-');
  dir = join(root.path, 'support-mcp');
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

const tokenFor = (tenant: string, subject: string, scope = 'tools:read tools:write', extra: Record<string, unknown> = {}) =>
  issuer.token({ aud: resource, sub: subject, client_id: 'e2e-client', tenant_id: tenant, scope, ...extra });

describe('http + oauth', () => {
  it('builds and passes its own tests', async () => {
    const out = (await runCiCommands(dir))['npm test'];
    expectAllPassed(out);
    for (const file of ['auth-oauth', 'approval', 'approvals-endpoint', 'cross-tenant', 'secrets', 'rollout']) expect(out).toContain(`test/${file}.test.ts`);
  }, SLOW);

  it('publishes its protected-resource metadata and points every 401 at it', async () => {
    server = await startHttp(dir, {
      MCP_TOKEN_ISSUER: ISSUER,
      MCP_OAUTH_RESOURCE: resource,
      MCP_TOKEN_JWKS_URL: issuer.jwksUrl,
      MCP_TOKEN_ALGORITHMS: 'ES256',
      MCP_TOOL_ROLLOUT: JSON.stringify({ tenants: { globex: ['search_tickets'] } }),
    });

    const metadata = await fetch(new URL('/.well-known/oauth-protected-resource/mcp', server.url));
    expect(metadata.status).toBe(200);
    expect(await metadata.json()).toEqual({
      resource,
      authorization_servers: [ISSUER],
      scopes_supported: ['prompts:read', 'tools:read', 'tools:write', 'approvals:grant'],
      bearer_methods_supported: ['header'],
    });
    const anonymous = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('resource_metadata="https://support.example.com/.well-known/oauth-protected-resource/mcp"');
  }, SERVED);

  it('accepts tokens for this resource only (RFC 8707), for both protocol eras', async () => {
    for (const era of ['legacy', 'auto'] as const) {
      const client = await connectHttp(server!.url, tokenFor('acme', 'alice'), era);
      try {
        expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['close_ticket', 'search_tickets']);
      } finally {
        await client.close();
      }
    }
    const elsewhere = tokenFor('acme', 'alice', 'tools:read', { aud: 'https://other-mcp.example.com/mcp' });
    await expect(connectHttp(server!.url, elsewhere, 'auto')).rejects.toThrow();
    const response = await fetch(server!.url, { method: 'POST', headers: { authorization: `Bearer ${elsewhere}`, 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/wrong audience.*resource_metadata=/);
  }, SERVED);

  it('holds back what the rollout does not give a tenant', async () => {
    const globex = await connectHttp(server!.url, tokenFor('globex', 'gus'), 'auto');
    try {
      expect((await globex.listTools()).tools.map((tool) => tool.name)).toEqual(['search_tickets']);
      await expect(globex.callTool({ name: 'close_ticket', arguments: { name: 'x' } })).rejects.toThrow();
    } finally {
      await globex.close();
    }
  }, SERVED);

  it('parks a close_ticket call until an approver grants it with npm run approvals', async () => {
    const alice = await connectHttp(server!.url, tokenFor('acme', 'alice'), 'auto');
    const approvals = (...args: string[]) =>
      execa('npm', ['run', '--silent', 'approvals', '--', ...args, '--url', new URL(server!.url).origin], {
        cwd: dir,
        reject: false,
        env: { MCP_APPROVER_CREDENTIAL: tokenFor('acme', 'bob', 'approvals:grant') },
      });
    try {
      const parked = await alice.callTool({ name: 'close_ticket', arguments: { name: 'Ticket 77' } });
      const id = /Approval id: (apr_[\w-]+)/.exec(JSON.stringify(parked.content))?.[1];
      expect(id).toBeDefined();
      const listed = await approvals('list');
      expect(listed.exitCode).toBe(0);
      expect(listed.stdout).toContain(id);
      expect(listed.stdout).toContain('Ticket 77');
      expect((await approvals('grant', id!)).exitCode).toBe(0);
      const closed = await alice.callTool({ name: 'close_ticket', arguments: { name: 'Ticket 77', approvalId: id } });
      expect(JSON.stringify(structured(closed))).toContain('Ticket 77');
    } finally {
      await alice.close();
    }
    expect(await server!.stop()).toBe(0);
    const decisions = server!
      .output()
      .split('\n')
      .filter((line) => line.includes('"approval_granted"'));
    server = undefined;
    expect(decisions).toHaveLength(1);
    expect(JSON.parse(decisions[0]!)).toMatchObject({ subject: 'bob', tenant: 'acme', tool: 'close_ticket', approval: { decision: 'granted' } });
  }, SERVED);
});
