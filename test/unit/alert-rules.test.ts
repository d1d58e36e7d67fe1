/**
 * The Prometheus alert rules a deployed server ships (deploy/prometheus/alerts.yaml, and the same
 * group as a PrometheusRule in deploy/kubernetes/), for every deployed variant: promtool accepts
 * them and their unit tests pass (`promtool check rules`, `promtool test rules`, as the generated
 * CI runs them), the PrometheusRule holds exactly the same rules, kustomize applies it and the
 * canary leaves it out. That every metric they name is really served is checked in the generated
 * repo itself (templates/deploy/test/alert-rules.test.ts), against a running server.
 *
 * Needs promtool on PATH (Debian: `apt-get install prometheus`; .ci/run installs it).
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

import { renderProject } from '../../src/render/render-project.js';
import { parseSpec } from '../../src/spec/parse.js';
import { tempDir } from '../support/temp-dir.js';

const run = promisify(execFile);

const read = { name: 'search_customers', access: 'read', description: 'Search customers by name or email.', params: [{ name: 'query', type: 'string', required: false }] };
const variants = [
  { transport: 'http', auth: 'api-key', backends: ['sample'], approval: 'none' },
  { transport: 'http', auth: 'api-key', backends: ['postgres', 'http'], approval: 'human' },
  { transport: 'both', auth: 'jwt', backends: ['http'], approval: 'client' },
  { transport: 'http', auth: 'oauth', backends: ['sample'], approval: 'human' },
];

let scratch: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  scratch = await tempDir('cms-alerts-');
  await run('promtool', ['--version']).catch(() => {
    throw new Error('promtool is not installed: apt-get install prometheus (Debian), or see .ci/run');
  });
});
afterAll(() => scratch?.remove());

describe.each(variants)('alert rules of a $transport + $auth server with $backends, approval $approval', ({ transport, auth, backends, approval }) => {
  const name = `alerts-${transport}-${auth}-${backends.join('-')}-${approval}`;
  const rendered = renderProject(
    parseSpec({
      name,
      transport,
      auth,
      backends: backends.map((kind) => ({ kind })),
      tools: [read, { name: 'create_note', access: 'write', approval, params: [{ name: 'text', type: 'string' }] }],
    }),
  );
  const text = async (path: string) => {
    const file = (await rendered).get(path);
    if (!file) throw new Error(`${name}: no ${path}`);
    return file.contents;
  };

  it('pass promtool check rules and every alert unit test (promtool test rules)', async () => {
    const dir = join(scratch.path, name);
    await mkdir(dir, { recursive: true });
    for (const file of ['alerts.yaml', 'alerts.test.yaml']) await writeFile(join(dir, file), await text(`deploy/prometheus/${file}`));
    const check = await run('promtool', ['check', 'rules', 'alerts.yaml'], { cwd: dir });
    const alerts = [...(await text('deploy/prometheus/alerts.yaml')).matchAll(/- alert: (\S+)/g)].map((m) => m[1]);
    expect(check.stdout).toContain(`SUCCESS: ${alerts.length} rules found`);
    const tested = await run('promtool', ['test', 'rules', 'alerts.test.yaml'], { cwd: dir });
    expect(tested.stdout).toContain('SUCCESS');
    // One unit test per alert; the approvals alert only where a tool waits for a human.
    const tests = parseYaml(await text('deploy/prometheus/alerts.test.yaml')).tests as Array<{ alert_rule_test: Array<{ alertname: string }> }>;
    expect(tests.flatMap((t) => t.alert_rule_test.map((a) => a.alertname)).sort()).toEqual([...alerts].sort());
    expect(alerts.includes('McpApprovalsPendingTooLong')).toBe(approval === 'human');
    expect(alerts).toEqual(expect.arrayContaining(['McpToolErrorRateHigh', 'McpToolLatencyP99High', 'McpMemoryNearLimit', 'McpTenantRateLimited', 'McpAuthFailureSpike', 'McpAuditSinkDown', 'McpBackendNotReady']));
  });

  it('are applied by kustomize as a PrometheusRule with the same rules, and not again by the canary', async () => {
    const rules = parseYaml(await text('deploy/prometheus/alerts.yaml'));
    const prometheusRule = parseYaml(await text('deploy/kubernetes/prometheusrule.yaml'));
    expect(prometheusRule.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(prometheusRule.kind).toBe('PrometheusRule');
    expect(prometheusRule.spec).toEqual(rules);
    expect(parseYaml(await text('deploy/kubernetes/kustomization.yaml')).resources).toContain('prometheusrule.yaml');
    const canary = parseYaml(await text('deploy/kubernetes/canary/kustomization.yaml'));
    const deleted = canary.patches.filter((p: { patch: string }) => p.patch.startsWith('$patch: delete')).map((p: { patch: string }) => parseYaml(p.patch));
    expect(deleted).toContainEqual({ $patch: 'delete', apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name } });
  });

  it('are checked by the generated CI with a pinned promtool', async () => {
    const ci = await text('.github/workflows/ci.yml');
    expect(ci).toMatch(/prom\/prometheus:v\d+\.\d+\.\d+ check rules alerts\.yaml/);
    expect(ci).toMatch(/prom\/prometheus:v\d+\.\d+\.\d+ test rules alerts\.test\.yaml/);
  });
});
