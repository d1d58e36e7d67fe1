/**
 * The MCP conformance suite against a generated server, both protocol eras.
 *
 * The server is generated from conformance/spec.json (HTTP, auth `none`: the suite sends no
 * credential) with the fixture tools a generator spec can declare, and its test_error_handling
 * handler is written as a user would write one (throwing a ToolError). Each leg runs the suite
 * with a checked-in baseline of expected failures: the suite itself fails on any other failure
 * or warning and on a baseline entry that passes; this test also fails when a baselined
 * scenario fails in a check other than the ones named below, and when the protocol-level
 * scenarios did not all run and pass.
 */
import { execa } from 'execa';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generate, npmRun, SLOW, startHttp, type RunningServer } from '../e2e/generated-repo.js';
import { tempDir } from '../support/temp-dir.js';
import { stressTools, type StressTools } from './support/stress-tools.js';

const here = fileURLToPath(new URL('./conformance/', import.meta.url));

interface Check {
  id: string;
  status: string;
  errorMessage?: string;
}

/** Scenario -> the checks it may fail (any, for a scenario that does not apply at all). */
type Allowed = Record<string, readonly string[] | 'any'>;

const ALLOWED_2025: Allowed = Object.fromEntries(
  [
    'logging-set-level',
    'completion-complete',
    'resources-list',
    'resources-read-text',
    'resources-read-binary',
    'resources-templates-read',
    'resources-subscribe',
    'resources-unsubscribe',
    'prompts-list',
    'prompts-get-simple',
    'prompts-get-with-args',
    'prompts-get-embedded-resource',
    'prompts-get-with-image',
    'tools-call-image',
    'tools-call-audio',
    'tools-call-embedded-resource',
    'tools-call-mixed-content',
    'tools-call-with-logging',
    'tools-call-with-progress',
    'tools-call-sampling',
    'tools-call-elicitation',
    'elicitation-sep1034-defaults',
    'elicitation-sep1330-enums',
  ].map((name) => [name, 'any' as const]),
);
ALLOWED_2025['server-sse-multiple-streams'] = ['server-sse-multiple-streams-session'];

const ALLOWED_2026: Allowed = {
  ...Object.fromEntries(
    [
      'completion-complete',
      'resources-list',
      'resources-read-text',
      'resources-read-binary',
      'resources-templates-read',
      'prompts-list',
      'prompts-get-simple',
      'prompts-get-with-args',
      'prompts-get-embedded-resource',
      'prompts-get-with-image',
      'tools-call-image',
      'tools-call-audio',
      'tools-call-embedded-resource',
      'tools-call-mixed-content',
      'tools-call-with-progress',
      'input-required-result-basic-elicitation',
      'input-required-result-basic-sampling',
      'input-required-result-basic-list-roots',
      'input-required-result-request-state',
      'input-required-result-multiple-input-requests',
      'input-required-result-multi-round',
      'input-required-result-missing-input-response',
      'input-required-result-non-tool-request',
      'input-required-result-result-type',
      'input-required-result-tampered-state',
      'input-required-result-capability-check',
      'input-required-result-ignore-extra-params',
      'json-schema-2020-12',
      'http-custom-header-server-validation',
      'tasks-lifecycle',
      'tasks-capability-negotiation',
      'tasks-wire-fields',
      'tasks-request-state-removal',
      'tasks-mrtr-input',
      'tasks-request-headers',
      'tasks-dispatch-and-envelope',
      'tasks-required-task-error',
      'tasks-mrtr-composition',
    ].map((name) => [name, 'any' as const]),
  ),
  'server-stateless': [
    'sep-2575-server-rejects-undeclared-capability',
    'sep-2575-missing-capability-http-400',
    'sep-2575-http-server-no-independent-requests-on-stream',
    'sep-2575-server-no-log-without-loglevel',
    'sep-2575-server-sends-tools-list-changed-on-subscription',
  ],
  'sep-2164-resource-not-found': ['sep-2164-error-code', 'sep-2164-data-uri'],
  caching: ['sep-2549-prompts-list-caching-hints', 'sep-2549-resources-list-caching-hints', 'sep-2549-resources-templates-list-caching-hints'],
};

/** Protocol-level scenarios: each must have run, with every check passing. */
const MUST_PASS_2025 = ['server-initialize', 'ping', 'tools-list', 'tools-call-simple-text', 'tools-call-error', 'dns-rebinding-protection'];
const MUST_PASS_2026 = ['tools-list', 'tools-call-simple-text', 'tools-call-error', 'dns-rebinding-protection', 'http-header-validation', 'input-required-result-unsupported-methods', 'input-required-result-validate-input'];

let tools: StressTools;
let root: string;
let removeRoot: () => Promise<void>;
let server: RunningServer | undefined;

beforeAll(async () => {
  tools = await stressTools();
  ({ path: root, remove: removeRoot } = await tempDir());
  const dir = join(root, 'conformance-fixtures');
  await generate(dir, '--config', join(here, 'spec.json'), '--no-git');
  await writeErrorFixture(join(dir, 'src', 'tools', 'test_error_handling.ts'));
  await npmRun(dir, 'build');
  server = await startHttp(dir, {
    AUDIT_LOG: join(root, 'audit.jsonl'),
    LOG_LEVEL: 'warn',
    // The suite sends a few hundred calls in seconds; limits stay on, above that.
    RATE_LIMIT_TENANT_PER_MINUTE: '100000',
    RATE_LIMIT_TOOL_PER_MINUTE: '100000',
    RATE_LIMIT_CLIENT_PER_MINUTE: '100000',
    RATE_LIMIT_TENANT_REQUESTS_PER_MINUTE: '100000',
  });
}, SLOW * 2);

afterAll(async () => {
  await server?.stop();
  await removeRoot?.();
});

/** What a user does to make test_error_handling fail on purpose: throw a ToolError in its handler. */
async function writeErrorFixture(file: string): Promise<void> {
  let source = await readFile(file, 'utf8');
  const handler = source.indexOf('  async handler(input, ctx) {');
  expect(handler, `scaffolded handler not found in ${file}`).toBeGreaterThan(0);
  source = `${source.slice(0, handler)}  async handler(input, ctx) {
    ctx.log.debug({ input }, 'failing on purpose (conformance fixture)');
    throw new ToolError('test_error', 'This tool intentionally returns an error for testing.');
  },
});
`;
  source = source
    .replace(/import \{ defineTool \} from '..\/tool-model\/define-tool.js';/, "import { defineTool, ToolError } from '../tool-model/define-tool.js';")
    .replace(/import \{ sampleRecordSchema, searchTextFrom \} from/, 'import { sampleRecordSchema } from');
  expect(source).toContain('ToolError }');
  await writeFile(file, source);
}

async function runLeg(cli: string, args: string[], outDir: string): Promise<{ output: string; exitCode: number | undefined }> {
  const result = await execa(tools.node, [cli, 'server', '--url', server!.url, ...args, '-o', outDir], { all: true, reject: false, timeout: 600_000 });
  return { output: result.all ?? '', exitCode: result.exitCode };
}

/** scenario -> its checks, from the suite's output directory. */
async function readResults(outDir: string): Promise<Map<string, Check[]>> {
  const results = new Map<string, Check[]>();
  for (const entry of await readdir(outDir)) {
    const scenario = entry.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T.*$/, '');
    results.set(scenario, JSON.parse(await readFile(join(outDir, entry, 'checks.json'), 'utf8')) as Check[]);
  }
  return results;
}

function verify(results: Map<string, Check[]>, allowed: Allowed, mustPass: string[]): void {
  const unexpected: string[] = [];
  for (const [scenario, checks] of results) {
    for (const check of checks) {
      if (['SUCCESS', 'INFO', 'SKIPPED'].includes(check.status)) continue;
      const allow = allowed[scenario];
      if (allow === 'any' || allow?.includes(check.id)) continue;
      unexpected.push(`${scenario} / ${check.id}: ${check.status} ${check.errorMessage ?? ''}`);
    }
  }
  expect(unexpected).toEqual([]);
  for (const scenario of mustPass) {
    const checks = results.get(scenario) ?? [];
    expect(checks.length, `${scenario} did not run`).toBeGreaterThan(0);
    expect(
      checks.filter((c) => c.status !== 'SUCCESS').map((c) => `${c.id}: ${c.status}`),
      `${scenario} must pass`,
    ).toEqual([]);
  }
}

describe('MCP conformance suite against a generated server', () => {
  it('2025-11-25 (conformance 0.1.16): every scenario a tools server can serve passes', async () => {
    const out = join(root, 'results-2025');
    const leg = await runLeg(tools.conformance2025, ['--expected-failures', join(here, 'expected-failures.2025-11-25.yml')], out);
    expect(leg.exitCode, leg.output.slice(-4000)).toBe(0);
    verify(await readResults(out), ALLOWED_2025, MUST_PASS_2025);
  }, 600_000);

  it('2026-07-28 (conformance 0.2.0-alpha.12, --requirements 2026-07-28): every scenario a tools server can serve passes', async () => {
    const out = join(root, 'results-2026');
    const leg = await runLeg(
      tools.conformance2026,
      ['--requirements', '2026-07-28', '--expected-failures', join(here, 'expected-failures.2026-07-28.yml')],
      out,
    );
    expect(leg.exitCode, leg.output.slice(-4000)).toBe(0);
    const results = await readResults(out);
    verify(results, ALLOWED_2026, MUST_PASS_2026);
    // The stateless-era scenario ran its protocol checks, and they passed.
    expect((results.get('server-stateless') ?? []).filter((c) => c.status === 'SUCCESS').length).toBeGreaterThanOrEqual(20);
  }, 600_000);
});
