/**
 * The MCP Inspector's CLI, as a user runs it against a generated server: `tools/list` and
 * `tools/call` over stdio and over HTTP with an API key, resources and prompts, and the refusal of
 * a bad key.
 */
import { execa } from 'execa';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { HANG_MS, startHttp, type RunningServer } from '../e2e/generated-repo.js';
import { tempDir } from '../support/temp-dir.js';
import { createKey } from './support/keys.js';
import { stressTools, type StressTools } from './support/stress-tools.js';

const repo = inject('stressRepo');
let tools: StressTools;
let scratch: string;
let removeScratch: () => Promise<void>;
let keysFile: string;
let key: string;
let globexKey: string;
let server: RunningServer | undefined;

beforeAll(async () => {
  tools = await stressTools();
  ({ path: scratch, remove: removeScratch } = await tempDir('cms-inspector-'));
  keysFile = join(scratch, 'keys.json');
  key = await createKey(repo, keysFile, 'acme', 'tools:read,tools:write,resources:read,prompts:read');
  globexKey = await createKey(repo, keysFile, 'globex', 'tools:read,resources:read,prompts:read');
  server = await startHttp(repo, { MCP_API_KEYS_FILE: keysFile, AUDIT_LOG: join(scratch, 'audit.jsonl'), LOG_LEVEL: 'warn' });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await removeScratch?.();
});

/** Runs the Inspector CLI; its catalog file stays in the scratch directory. */
function inspector(args: string[]) {
  return execa(tools.node, [tools.inspector, '--cli', ...args], {
    cwd: repo,
    all: true,
    reject: false,
    timeout: HANG_MS, // only a hang: the CLI may start slowly on a busy machine
    env: { MCP_CATALOG_PATH: join(scratch, 'inspector-catalog.json') },
  });
}

function json(output: string): Record<string, unknown> {
  const start = output.indexOf('{');
  return JSON.parse(output.slice(start)) as Record<string, unknown>;
}

interface ListedTool {
  name: string;
  annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean };
  inputSchema?: { properties?: Record<string, unknown> };
}

describe('MCP Inspector CLI against a generated server', () => {
  it('over HTTP with an API key: tools/list, then tools/call', async () => {
    const http = [server!.url, '--transport', 'http', '--header', `Authorization: Bearer ${key}`];
    const listed = await inspector([...http, '--method', 'tools/list']);
    expect(listed.exitCode, listed.all).toBe(0);
    const toolsListed = json(listed.stdout).tools as ListedTool[];
    expect(toolsListed.map((t) => t.name).sort()).toEqual(['create_note', 'search_customers']);
    expect(toolsListed.find((t) => t.name === 'search_customers')?.annotations?.readOnlyHint).toBe(true);
    expect(toolsListed.find((t) => t.name === 'create_note')?.annotations?.destructiveHint).toBe(true);

    const called = await inspector([...http, '--method', 'tools/call', '--tool-name', 'search_customers', '--tool-arg', 'query=coyote', '--tool-arg', 'limit=5']);
    expect(called.exitCode, called.all).toBe(0);
    const result = json(called.stdout) as { isError?: boolean; structuredContent?: { total?: number; records?: Array<{ id: string }> } };
    expect(result.isError).not.toBe(true);
    // acme's seed data: the customer and a note about it.
    expect(result.structuredContent?.records?.map((r) => r.id)).toEqual(['cus_acme_002', 'note_acme_01']);
  });

  it('over HTTP: resources/list, a resource and a template resource read, prompts/get with arguments; another tenant gets not found', async () => {
    const http = (as: string) => [server!.url, '--transport', 'http', '--header', `Authorization: Bearer ${as}`];
    const listed = await inspector([...http(key), '--method', 'resources/list']);
    expect(listed.exitCode, listed.all).toBe(0);
    expect((json(listed.stdout).resources as Array<{ uri: string }>).map((r) => r.uri)).toEqual(['crm://customers']);
    const templates = await inspector([...http(key), '--method', 'resources/templates/list']);
    expect(templates.exitCode, templates.all).toBe(0);
    expect((json(templates.stdout).resourceTemplates as Array<{ uriTemplate: string }>).map((t) => t.uriTemplate)).toEqual(['crm://customers/{id}']);

    const all = await inspector([...http(key), '--method', 'resources/read', '--uri', 'crm://customers']);
    expect(all.exitCode, all.all).toBe(0);
    expect(JSON.stringify(json(all.stdout))).toContain('cus_acme_001');
    const one = await inspector([...http(key), '--method', 'resources/read', '--uri', 'crm://customers/cus_acme_001']);
    expect(one.exitCode, one.all).toBe(0);
    const contents = json(one.stdout).contents as Array<{ text: string; mimeType: string }>;
    expect(contents[0]?.mimeType).toBe('application/json');
    expect(JSON.parse(contents[0]!.text)).toMatchObject({ record: { id: 'cus_acme_001' } });
    // The same URI with globex's key: acme's record does not exist for globex.
    const other = await inspector([...http(globexKey), '--method', 'resources/read', '--uri', 'crm://customers/cus_acme_001']);
    expect(other.exitCode).not.toBe(0);
    expect(other.all).toContain('[not_found]');

    const prompt = await inspector([...http(key), '--method', 'prompts/get', '--prompt-name', 'customer_brief', '--prompt-args', 'customer=cus_acme_001']);
    expect(prompt.exitCode, prompt.all).toBe(0);
    expect(json(prompt.stdout).messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Brief me on customer cus_acme_001.' } }]);
  });

  it('over HTTP, a wrong key is refused and nothing is listed', async () => {
    const refused = await inspector([server!.url, '--transport', 'http', '--header', 'Authorization: Bearer mcp_wrong_0000000000000000000000', '--method', 'tools/list']);
    expect(refused.exitCode).not.toBe(0);
    // The Inspector reads the 401 as "this server wants OAuth", which a CLI run cannot do.
    expect(refused.all).toMatch(/auth_required|401|unauthori[sz]ed/i);
    expect(refused.all).not.toContain('search_customers');
  });

  it('over stdio, the server acting with its MCP_API_KEY: tools/list, then tools/call', async () => {
    const stdio = ['-e', 'MCP_TRANSPORT=stdio', '-e', `MCP_API_KEYS_FILE=${keysFile}`, '-e', `MCP_API_KEY=${key}`, '-e', 'LOG_LEVEL=warn', '--', 'node', 'dist/main.js'];
    const listed = await inspector([...stdio.slice(0, -3), '--method', 'tools/list', ...stdio.slice(-3)]);
    expect(listed.exitCode, listed.all).toBe(0);
    expect((json(listed.stdout).tools as ListedTool[]).map((t) => t.name).sort()).toEqual(['create_note', 'search_customers']);

    const called = await inspector([...stdio.slice(0, -3), '--method', 'tools/call', '--tool-name', 'search_customers', '--tool-arg', 'query=road runner', ...stdio.slice(-3)]);
    expect(called.exitCode, called.all).toBe(0);
    const result = json(called.stdout) as { structuredContent?: { records?: Array<{ id: string }> } };
    expect(result.structuredContent?.records?.map((r) => r.id)).toEqual(['cus_acme_001']);
  });
});
