/**
 * stdio end to end: spawn the real entry point (src/main.ts through tsx, so no build is needed)
 * and talk to it with the SDK's Client, as a desktop host would.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AuditRecord } from '../src/audit/audit-record.js';
import { tools } from '../src/tools/registry.js';
import { testCredential } from './support/test-credential.js';

describe('stdio transport', () => {
  let dir: string;
  let client: Client | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-stdio-test-'));
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const spawnServer = async (era: 'modern' | 'legacy', env: Record<string, string> = {}) => {
    const credential = await testCredential(dir, 'globex');
    const auditFile = join(dir, 'audit.jsonl');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', 'src/main.ts'],
      cwd: process.cwd(),
      env: { ...credential.env, MCP_TRANSPORT: 'stdio', AUDIT_LOG: auditFile, LOG_LEVEL: 'warn', ...env },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    client = new Client({ name: 'stdio-test', version: '1.0.0' }, era === 'modern' ? { versionNegotiation: { mode: 'auto' } } : {});
    await client.connect(transport);
    return { client, auditFile, stderr: () => stderr };
  };

  it.each(['modern', 'legacy'] as const)('serves the registered tools (%s era), audited to AUDIT_LOG', async (era) => {
    const { client, auditFile } = await spawnServer(era);
    const { tools: listed } = await client.listTools();
    expect(listed.map((tool) => tool.name)).toEqual(tools.map((tool) => tool.name));

    const first = tools[0];
    if (!first) return;
    // Whether {} is valid for this tool or not, the answer is a tool result, and it is audited.
    const result = await client.callTool({ name: first.name, arguments: {} });
    expect(Array.isArray(result.content)).toBe(true);
    await client.close();
    const records = auditRecordsIn(auditFile);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ tool: first.name, tenant: 'globex' });
  });

  it('refuses a call of a tool this tenant does not have as unknown, and audits it as over HTTP', async () => {
    const [withheld, ...others] = tools;
    if (!withheld) return;
    // The rollout keeps the first tool from globex: for this caller it does not exist.
    const rollout = { default: 'all', tenants: { globex: others.map((tool) => tool.name) } };
    const { client, auditFile } = await spawnServer('modern', { MCP_TOOL_ROLLOUT: JSON.stringify(rollout) });
    await expect(client.callTool({ name: 'delete_everything', arguments: { confirm: 'sk-live-0123456789abcdef0123' } })).rejects.toThrow(/delete_everything/);
    await expect(client.callTool({ name: withheld.name, arguments: {} })).rejects.toThrow(withheld.name);
    await client.close();

    const records = auditRecordsIn(auditFile);
    expect(records.map((r) => [r.tool, r.outcome, r.errorCode])).toEqual([
      ['delete_everything', 'denied', 'unknown_tool'],
      [withheld.name, 'denied', 'unknown_tool'],
    ]);
    expect(records[0]).toMatchObject({ tenant: 'globex', toolVersion: '', latencyMs: 0, backendCalls: [] });
    // Arguments are redacted like any other record's.
    expect(JSON.stringify(records[0]!.arguments)).not.toContain('sk-live-0123456789abcdef0123');
  });

  it('refuses an argument named __proto__ as an unknown argument, as it refuses constructor', async () => {
    const { client } = await spawnServer('modern');
    const first = tools[0];
    if (!first) return;
    for (const key of ['__proto__', 'constructor']) {
      // As JSON.parse makes it: an own key, sent as such.
      const args = JSON.parse(`{"${key}": {"polluted": true}}`) as Record<string, unknown>;
      const result = await client.callTool({ name: first.name, arguments: args });
      expect(result.isError, key).toBe(true);
      expect(JSON.stringify(result.content), key).toContain(`[invalid_arguments]`);
      expect(JSON.stringify(result.content), key).toContain(`Unrecognized key: \\"${key}\\"`);
    }
  });
});

function auditRecordsIn(auditFile: string): AuditRecord[] {
  return readFileSync(auditFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditRecord);
}
