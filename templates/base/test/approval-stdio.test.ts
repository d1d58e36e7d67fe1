/**
 * Approval `client` on a connection the server keeps, as over stdio: one server for the
 * connection's whole life (serveStdio, here on an in-memory wire). A 2025-era client is asked
 * with an elicitation request; a 2026-07-28 one declares its capabilities with each request and
 * is asked with an input_required answer.
 */
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport, type CallToolResult } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { afterEach, describe, expect, it } from 'vitest';

import { startHarness, textOf, type Harness } from './support/harness.js';
import { createApprovalProbes } from './support/probe-tools.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('approval "client" over a kept connection (stdio)', () => {
  it.each([
    ['2025-11-25', {}],
    ['2026-07-28', { versionNegotiation: { mode: 'auto' as const } }],
  ])('asks a %s client, then runs the call once it says yes', async (era, negotiation) => {
    const probes = createApprovalProbes();
    harness = await startHarness({ tools: probes.tools });
    const app = harness.app;
    const principal = { tenantId: 'acme', subject: 'alice', clientId: 'desktop', scopes: ['probe:read', 'probe:write'] };
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const served = serveStdio(() => app.createServer(principal), { transport: serverSide });
    const client = new Client({ name: 'desktop', version: '1.0.0' }, { ...negotiation, capabilities: { elicitation: { form: {} } } });
    let asked = '';
    client.setRequestHandler('elicitation/create', async (request) => {
      asked = String(request.params.message);
      return { action: 'accept', content: { confirm: true } };
    });
    await client.connect(clientSide);
    try {
      expect(client.getNegotiatedProtocolVersion()).toBe(era);
      const result = (await client.callTool({ name: probes.confirmed.name, arguments: { note: 'over stdio' } })) as CallToolResult;
      expect(result.isError, textOf(result)).toBeFalsy();
      expect(asked).toContain('over stdio');
      expect(probes.ran).toEqual([{ tool: probes.confirmed.name, tenant: 'acme', note: 'over stdio' }]);
    } finally {
      await client.close();
      await served.close();
    }
  });
});
