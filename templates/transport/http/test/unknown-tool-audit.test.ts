/**
 * A call to a tool the tenant does not have (no such tool, or one its rollout withholds) gets
 * the protocol's unknown-tool error from the SDK, and leaves an audit record: probing for tools
 * is visible after the fact, like every other call.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { echo, limited, probeTools } from './support/probe-tools.js';
import { startHttpServer, type TestHttpServer } from './support/http-server.js';

describe('calls to tools the tenant does not have', () => {
  let server: TestHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('are refused as unknown and audited as denied, once each; known calls are audited once as usual', async () => {
    // The credential is acme's; the rollout gives acme only probe.limited.
    server = await startHttpServer({
      tools: probeTools,
      scopes: ['probe:read', 'probe:write'],
      env: { MCP_TOOL_ROLLOUT: JSON.stringify({ default: 'all', tenants: { acme: [limited.name] } }) },
    });
    for (const era of ['modern', 'legacy'] as const) {
      const client = await server.connect({ era });
      await expect(client.callTool({ name: 'delete_everything', arguments: { confirm: 'sk-live-0123456789abcdef0123' } })).rejects.toThrow(/delete_everything/);
      await expect(client.callTool({ name: echo.name, arguments: { message: 'hi' } })).rejects.toThrow(/probe\.echo/);
      expect((await client.callTool({ name: limited.name, arguments: {} })).isError, era).toBeFalsy();
    }

    const records = await server.auditRecords();
    expect(records.map((r) => [r.tool, r.outcome, r.errorCode])).toEqual([
      ['delete_everything', 'denied', 'unknown_tool'],
      ['probe.echo', 'denied', 'unknown_tool'],
      [limited.name, 'ok', null],
      ['delete_everything', 'denied', 'unknown_tool'],
      ['probe.echo', 'denied', 'unknown_tool'],
      [limited.name, 'ok', null],
    ]);
    expect(records[0]).toMatchObject({ tenant: 'acme', toolVersion: '', latencyMs: 0 });
    // Arguments are redacted like any other record's.
    expect(JSON.stringify(records[0]!.arguments)).not.toContain('sk-live-0123456789abcdef0123');
  });
});
