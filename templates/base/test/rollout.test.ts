/**
 * Per-tenant tool rollout (MCP_TOOL_ROLLOUT / MCP_TOOL_ROLLOUT_FILE): a tool disabled for a
 * tenant is absent from its tools/list and refused if called anyway.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { StartupError } from '../src/startup-error.js';
import { startHarness, textOf, type Harness } from './support/harness.js';
import { testCredential } from './support/test-credential.js';
import { echo, limited, probeTools } from './support/probe-tools.js';
import { eventually } from './support/wait.js';

let harness: Harness | undefined;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-rollout-'));
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const rollout = (rules: unknown) => ({ MCP_TOOL_ROLLOUT: JSON.stringify(rules) });
const listed = async (tenantId: string) => {
  const client = await harness!.connectAs({ tenantId });
  return (await client.listTools()).tools.map((tool) => tool.name).sort();
};

describe('tool rollout', () => {
  it('lists only the tools enabled for each tenant', async () => {
    harness = await startHarness({ tools: probeTools, env: rollout({ default: [echo.name], tenants: { acme: 'all', globex: [] } }) });
    expect(await listed('acme')).toEqual(probeTools.map((tool) => tool.name).sort());
    expect(await listed('globex')).toEqual([]);
    expect(await listed('initech')).toEqual([echo.name]); // not listed: the default
  });

  it('refuses a call to a disabled tool', async () => {
    harness = await startHarness({ tools: probeTools, env: rollout({ tenants: { globex: [limited.name] } }) });
    const globex = await harness.connectAs({ tenantId: 'globex' });
    // Not registered for globex: the protocol's unknown-tool error.
    await expect(globex.callTool({ name: echo.name, arguments: { message: 'hi' } })).rejects.toThrow(/probe\.echo/);
    // And the pipeline refuses it too, for a server built before the tool was disabled (stdio).
    const refused = await harness.app.pipeline.call(echo, { message: 'hi' }, { tenantId: 'globex', subject: 's', clientId: 'c', scopes: ['probe:read'] }, {
      signal: new AbortController().signal,
      canConfirm: false,
    });
    expect(textOf(refused as never)).toMatch(/^\[tool_disabled\]/);
    expect((await harness.auditRecords()).at(-1)).toMatchObject({ tenant: 'globex', tool: echo.name, outcome: 'denied', errorCode: 'tool_disabled' });
  });

  it('serves every tool to every tenant without a rollout', async () => {
    harness = await startHarness({ tools: probeTools });
    expect(await listed('anyone')).toEqual(probeTools.map((tool) => tool.name).sort());
  });

  it('re-reads a rollout file when it changes, and on SIGHUP; a broken file keeps the last rollout', async () => {
    const file = join(dir, 'rollout.json');
    writeFileSync(file, JSON.stringify({ default: [] }));
    harness = await startHarness({ tools: probeTools, env: { MCP_TOOL_ROLLOUT_FILE: file } });
    expect(await listed('acme')).toEqual([]);

    writeFileSync(file, JSON.stringify({ default: [echo.name] }));
    await eventually('the changed rollout file to be read', async () => (await listed('acme')).length > 0, 100);
    expect(await listed('acme')).toEqual([echo.name]);

    writeFileSync(file, JSON.stringify({ default: 'all' }));
    harness.app.reload(); // what SIGHUP does
    expect(await listed('acme')).toHaveLength(probeTools.length);

    writeFileSync(file, '{ "default": [ broken');
    harness.app.reload();
    expect(await listed('acme')).toHaveLength(probeTools.length);
  });

  it('refuses to start with a rollout that names a tool this server does not serve', async () => {
    const credential = await testCredential(dir, 'acme');
    const config = loadConfig({ ...credential.env, LOG_LEVEL: 'silent', ...rollout({ tenants: { acme: ['probe.echo', 'delete_everything'] } }) });
    await expect(createApp(config, { tools: probeTools })).rejects.toThrow(StartupError);
    await expect(createApp(config, { tools: probeTools })).rejects.toThrow(/delete_everything/);
  });

  it('refuses a malformed rollout at start-up, naming the variable', async () => {
    const credential = await testCredential(dir, 'acme');
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig({ ...credential.env, ...env });
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ MCP_TOOL_ROLLOUT: '{ nope' })[0]).toMatch(/^MCP_TOOL_ROLLOUT="\{ nope": not valid JSON/);
    expect(problems(rollout({ tenants: { 'not a tenant!': 'all' } }))[0]).toMatch(/^MCP_TOOL_ROLLOUT=.*tenant id/);
    expect(problems(rollout({ everyone: 'all' }))[0]).toMatch(/^MCP_TOOL_ROLLOUT=.*everyone/);
    expect(problems({ MCP_TOOL_ROLLOUT: '{}', MCP_TOOL_ROLLOUT_FILE: 'x.json' })).toContain('MCP_TOOL_ROLLOUT and MCP_TOOL_ROLLOUT_FILE are both set: set only one');
    expect(problems({ MCP_TOOL_ROLLOUT_FILE: join(dir, 'absent-rollout.json') })[0]).toMatch(/^MCP_TOOL_ROLLOUT_FILE=.*cannot read the file \(ENOENT\)/);
  });
});
