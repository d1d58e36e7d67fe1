/**
 * Test harness: the real app (config, pipeline, audit, backends, tools) served through the SDK's
 * createMcpHandler and driven by a real SDK Client in-process (docs/testing.md): no port, no
 * mock. The caller's principal is attached the way the HTTP transport attaches it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createMcpHandler, type CallToolResult, type ClientCapabilities, type ElicitRequest } from '@modelcontextprotocol/server';

import { createApp, type App } from '../../src/app.js';
import type { AuditRecord } from '../../src/audit/audit-record.js';
import { principalFromAuthInfo, toAuthInfo, type Principal } from '../../src/auth/principal.js';
import { loadConfig } from '../../src/config.js';
import type { NamedStage } from '../../src/pipeline/call-context.js';
import type { AnyPrompt } from '../../src/tool-model/define-prompt.js';
import type { AnyResource } from '../../src/tool-model/define-resource.js';
import type { AnyTool } from '../../src/tool-model/define-tool.js';
import { prompts as registeredPrompts } from '../../src/prompts/registry.js';
import { resources as registeredResources } from '../../src/resources/registry.js';
import { tools as registeredTools } from '../../src/tools/registry.js';
import { testCredential } from './test-credential.js';
import { startTestBackends, type TestBackends } from './test-backends.js';

export interface HarnessOptions {
  /** The caller's tenant (default `acme`). */
  tenant?: string;
  subject?: string;
  /** The caller's scopes (default: every scope any tool needs). */
  scopes?: string[];
  /** Extra environment for loadConfig (e.g. small rate limits). */
  env?: Record<string, string>;
  /** Serve these tools instead of the registry. */
  tools?: readonly AnyTool[];
  /** Run calls through these pipeline stages (default: the server's own). */
  stages?: readonly NamedStage[];
  /** Serve these resources and prompts instead of the registries. */
  resources?: readonly AnyResource[];
  prompts?: readonly AnyPrompt[];
  /** `modern` (2026-07-28, default) or `legacy` (2025-era `initialize`). */
  era?: 'modern' | 'legacy';
  /**
   * How the client answers a confirmation question (approval `client`): it declares form
   * elicitation and answers with this; without it, the client declares no elicitation at all.
   */
  confirm?: ConfirmAnswer;
}

/** What the user does with a confirmation form. */
export type ConfirmAnswer = { action: 'accept'; content: Record<string, string | number | boolean | string[]> } | { action: 'decline' } | { action: 'cancel' };
export const CONFIRM_YES: ConfirmAnswer = { action: 'accept', content: { confirm: true } };

/** Whether a form is the approval confirmation (src/pipeline/approve.ts): one boolean, `confirm`. */
function isConfirmationForm(params: ElicitRequest['params']): boolean {
  const properties = Object.entries('requestedSchema' in params ? params.requestedSchema.properties : {});
  return properties.length === 1 && properties[0]![0] === 'confirm' && properties[0]![1].type === 'boolean';
}

export interface ConnectOptions {
  confirm?: ConfirmAnswer;
  era?: 'modern' | 'legacy';
  /** input_required comes back to the test (request(..., { allowInputRequired: true })) instead of being answered. */
  manual?: boolean;
  /** More capabilities the client declares (e.g. `sampling`, `roots`), for questions the test answers by hand. */
  capabilities?: ClientCapabilities;
}

export interface Harness {
  client: Client;
  app: App;
  principal: Principal;
  /** What was started for the backends (test-backends.ts): e.g. the sample API of an http backend. */
  testBackends: TestBackends;
  /** Calls a tool and returns its result (typed as a plain CallToolResult). */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Every audit record written so far. */
  auditRecords(): Promise<AuditRecord[]>;
  /** A client for another principal against the same app (same backends, limits, audit). */
  connectAs(principal: Partial<Principal>, options?: ConnectOptions): Promise<Client>;
  close(): Promise<void>;
}

/** Every scope the tools (and the registered resources and prompts) need. */
export function allScopes(tools: readonly AnyTool[] = registeredTools, more: ReadonlyArray<{ scopes: readonly string[] }> = [...registeredResources, ...registeredPrompts]): string[] {
  return [...new Set([...tools, ...more].flatMap((item) => item.scopes))].sort();
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-test-'));
  const auditFile = join(dir, 'audit.jsonl');
  // The auth layer's settings (the harness attaches principals itself, so the credential is unused).
  const credential = await testCredential(dir, 'harness');
  // What the backends need in a test: a database, a local stand-in for an API (test-backends.ts).
  const backends = await startTestBackends();
  const config = loadConfig({
    ...credential.env,
    ...backends.env,
    AUDIT_LOG: auditFile,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const tools = options.tools ?? registeredTools;
  const app = await createApp(config, {
    tools,
    ...(options.stages ? { stages: options.stages } : {}),
    ...(options.resources ? { resources: options.resources } : {}),
    ...(options.prompts ? { prompts: options.prompts } : {}),
  }).catch(async (error: unknown) => {
    await backends.close();
    throw error;
  });
  const handler = createMcpHandler(({ authInfo }) => app.createServer(principalFromAuthInfo(authInfo)));

  const principalOf = (partial: Partial<Principal>): Principal => ({
    tenantId: partial.tenantId ?? 'acme',
    subject: partial.subject ?? 'tester',
    clientId: partial.clientId ?? 'test-client',
    scopes: partial.scopes ?? allScopes(tools, [...(options.resources ?? registeredResources), ...(options.prompts ?? registeredPrompts)]),
  });
  const clients: Client[] = [];
  const connectAs: Harness['connectAs'] = async (partial, connectOptions = {}) => {
    const authInfo = toAuthInfo(principalOf(partial));
    const transport = new StreamableHTTPClientTransport(new URL('http://mcp.test/mcp'), {
      fetch: (url, init) => handler.fetch(new Request(url, init), { authInfo }),
    });
    const era = connectOptions.era ?? options.era;
    const confirm = connectOptions.confirm ?? options.confirm;
    const client = new Client(
      { name: 'test-harness', version: '1.0.0' },
      {
        ...(era === 'legacy' ? {} : { versionNegotiation: { mode: 'auto' as const } }),
        capabilities: { ...(confirm ? { elicitation: { form: {} } } : {}), ...connectOptions.capabilities },
        // manual: input_required comes back to the test (request(..., { allowInputRequired: true })).
        ...(connectOptions.manual ? { inputRequired: { autoFulfill: false } } : {}),
      },
    );
    // The answer is for approval confirmations; any other form (a tool's own question) is
    // declined, as a user who does not know it would, so a handler asking it goes on without it.
    if (confirm) client.setRequestHandler('elicitation/create', async (request) => (isConfirmationForm(request.params) ? confirm : { action: 'decline' }));
    await client.connect(transport);
    clients.push(client);
    return client;
  };

  const principal = principalOf({ tenantId: options.tenant, subject: options.subject, scopes: options.scopes });
  const client = await connectAs(principal);
  return {
    client,
    app,
    principal,
    testBackends: backends,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    async auditRecords() {
      await app.audit.flush();
      let text = '';
      try {
        text = readFileSync(auditFile, 'utf8');
      } catch {
        return [];
      }
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AuditRecord);
    },
    connectAs,
    async close() {
      for (const each of clients) await each.close();
      await handler.close();
      await app.close();
      await backends.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The text of a tool result's first content block. */
export function textOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}
