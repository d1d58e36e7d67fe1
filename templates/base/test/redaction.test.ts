/**
 * Redaction: the detectors and path rules, and a canary run proving that secrets and personal
 * data a caller sends never reach the logs, the audit trail or (with REDACT_TOOL_OUTPUT) the model.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';

import { createApp } from '../src/app.js';
import { principalFromAuthInfo, toAuthInfo } from '../src/auth/principal.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/observability/logger.js';
import { defineTool } from '../src/tool-model/define-tool.js';
import { ibanValid, luhnValid, redactText } from '../src/redaction/detectors.js';
import { Redactor } from '../src/redaction/redactor.js';
import { startTestBackends } from './support/test-backends.js';
import { testCredential } from './support/test-credential.js';

describe('detectors', () => {
  it.each([
    ['an API key of this server', `key mcp_0123456789ab_${'A'.repeat(43)} here`, 'key [redacted:api_key] here'],
    ['an Anthropic key', 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345', '[redacted:api_key]'],
    ['an AWS access key id', 'id AKIAABCDEFGHIJKLMNOP', 'id [redacted:api_key]'],
    ['a GitHub token', `ghp_${'a1'.repeat(18)}`, '[redacted:api_key]'],
    ['a JWT', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlX2J5dGVz', '[redacted:jwt]'],
    ['a bearer token', 'Authorization: Bearer abcdef0123456789', 'Authorization: Bearer [redacted:token]'],
    ['credentials in a URL', 'postgres://admin:hunter2@db.internal:5432/crm', 'postgres://[redacted:credentials]@db.internal:5432/crm'],
    ['a password assignment', 'password=hunter2 retry', 'password=[redacted:secret] retry'],
    ['an email address', 'write to jane.doe@example.co.uk today', 'write to [redacted:email] today'],
    ['a card number (Luhn)', 'card 4111 1111 1111 1111 exp', 'card [redacted:card] exp'],
    ['an IBAN (mod 97)', 'IBAN GB82WEST12345698765432', 'IBAN [redacted:iban]'],
    ['a US SSN', 'ssn 078-05-1120', 'ssn [redacted:ssn]'],
  ])('redacts %s', (_kind, text, expected) => {
    expect(redactText(text)).toBe(expected);
  });

  it.each([
    ['a number that fails Luhn', 'order 4111 1111 1111 1112'],
    ['a UUID', 'request 12345678-1234-1234-1234-123456789012'],
    ['an IBAN-shaped string that fails mod 97', 'GB82WEST12345698765433'],
    ['plain words', 'the password policy changed'],
  ])('leaves %s alone', (_kind, text) => {
    expect(redactText(text)).toBe(text);
  });

  it('checks card and IBAN checksums', () => {
    expect(luhnValid('4242424242424242')).toBe(true);
    expect(luhnValid('4242424242424241')).toBe(false);
    expect(ibanValid('DE89370400440532013000')).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
  });
});

describe('Redactor', () => {
  it('redacts secret keys at any depth, configured paths, and detected values, without changing its input', () => {
    const redactor = new Redactor(['ssn', 'customer.address.street', 'items.*.note']);
    const input = {
      query: 'mail jane@example.com',
      apiKey: 'opaque-value',
      nested: { Client_Secret: 'opaque', list: [{ password: 'x' }] },
      customer: { ssn: '123', address: { street: 'Main St 1', city: 'Springfield' } },
      items: [{ a: { note: 'private' } }, { b: { note: 'private' } }],
      count: 4111111111111111,
    };
    expect(redactor.value(input)).toEqual({
      query: 'mail [redacted:email]',
      apiKey: '[redacted]',
      nested: { Client_Secret: '[redacted]', list: [{ password: '[redacted]' }] },
      customer: { ssn: '[redacted]', address: { street: '[redacted]', city: 'Springfield' } },
      items: [{ a: { note: '[redacted]' } }, { b: { note: '[redacted]' } }],
      count: 4111111111111111,
    });
    expect(input.apiKey).toBe('opaque-value');
  });

  it('rewrites a JSON log line, keeping the ids the server wrote', () => {
    const line = `${JSON.stringify({ level: 30, time: 1700000000000, requestId: '4111-1111-1111-1111', msg: 'from jane@example.com' })}\n`;
    expect(new Redactor().logLine(line)).toBe(
      `${JSON.stringify({ level: 30, time: 1700000000000, requestId: '4111-1111-1111-1111', msg: 'from [redacted:email]' })}\n`,
    );
  });
});

describe('canary secrets', () => {
  const CANARIES = {
    apiKey: `mcp_c0ffee00c0de_${'Canary0'.repeat(6)}x`,
    vendorKey: 'sk-ant-api03-CanaryCanaryCanaryCanary42',
    jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.Q2FuYXJ5U2lnbmF0dXJl',
    card: '4111-1111-1111-1111',
    email: 'canary.person@example.org',
    password: 'Canary-Passw0rd',
    dsn: 'postgres://canary:CanaryDbSecret@db.internal/app',
    configured: 'canary-private-note',
  };

  it('never reach the logs, the audit trail or the model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcp-canary-test-'));
    const auditFile = join(dir, 'audit.jsonl');
    let logs = '';
    const capture = { write: (line: string) => (logs += line) };
    const echoAll = defineTool({
      name: 'canary.echo',
      version: '1.0.0',
      title: 'Echo everything',
      description: 'Logs its input and returns it.',
      access: 'read',
      scopes: [],
      inputSchema: z.object({ payload: z.record(z.string(), z.unknown()) }),
      outputSchema: z.object({ payload: z.record(z.string(), z.unknown()), text: z.string() }),
      handler: (input, ctx) => {
        // Structured, and pasted into the message: detectors find secrets in text; configured
        // paths (REDACT_PATHS) apply to structured fields only, so `notes` stays out of the text.
        const { notes: _notes, ...detectable } = input.payload;
        ctx.log.info({ input }, `echoing ${JSON.stringify(detectable)}`);
        return { payload: input.payload, text: `card ${CANARIES.card} of ${CANARIES.email}` };
      },
    });
    const fail = defineTool({
      name: 'canary.fail',
      version: '1.0.0',
      title: 'Fails',
      description: 'Throws with a secret in its error.',
      access: 'read',
      scopes: [],
      inputSchema: z.object({}),
      outputSchema: z.object({}),
      handler: () => {
        throw new Error(`cannot connect to ${CANARIES.dsn} with ${CANARIES.apiKey}`);
      },
    });

    const credential = await testCredential(dir, 'acme');
    const backends = await startTestBackends();
    onTestFinished(() => backends.close());
    const config = loadConfig({ ...credential.env, ...backends.env, AUDIT_LOG: auditFile, LOG_LEVEL: 'trace', REDACT_TOOL_OUTPUT: 'true', REDACT_PATHS: 'notes' });
    const redactor = new Redactor(config.redaction.paths);
    const app = await createApp(config, { tools: [echoAll, fail], logger: createLogger('trace', 'canary', redactor, capture) });
    const handler = createMcpHandler(({ authInfo }) => app.createServer(principalFromAuthInfo(authInfo)));
    const authInfo = toAuthInfo({ tenantId: 'acme', subject: 'alice', clientId: 'canary-client', scopes: [] });
    const client = new Client({ name: 'canary', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(
      new StreamableHTTPClientTransport(new URL('http://mcp.test/mcp'), { fetch: (url, init) => handler.fetch(new Request(url, init), { authInfo }) }),
    );
    try {
      const payload = {
        key: CANARIES.apiKey,
        text: `use ${CANARIES.vendorKey} and Bearer ${CANARIES.jwt}`,
        card: CANARIES.card,
        contact: CANARIES.email,
        password: CANARIES.password,
        dsn: CANARIES.dsn,
        notes: CANARIES.configured,
      };
      const echoed = await client.callTool({ name: echoAll.name, arguments: { payload } });
      const failed = await client.callTool({ name: fail.name, arguments: {} });
      await app.close();

      const outputs = { logs, audit: readFileSync(auditFile, 'utf8'), echoed: JSON.stringify(echoed), failed: JSON.stringify(failed) };
      for (const [where, text] of Object.entries(outputs)) {
        for (const [canary, value] of Object.entries(CANARIES)) {
          expect(text.includes(value), `${canary} found in ${where}`).toBe(false);
        }
      }
      // Redacted, not dropped: the records and results still say what happened.
      expect(outputs.audit).toContain('[redacted:api_key]');
      expect(outputs.logs).toContain('[redacted:credentials]');
      expect(echoed.isError).toBeFalsy();
      expect(JSON.stringify(echoed.structuredContent)).toContain('[redacted:card]');
    } finally {
      await client.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
