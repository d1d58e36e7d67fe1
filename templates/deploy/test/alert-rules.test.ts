/**
 * deploy/prometheus/alerts.yaml against the server as it really is: every metric its rules and
 * their unit tests (alerts.test.yaml) name is one /metrics serves, and every alert links to a
 * RUNBOOK.md section that exists. A renamed metric or section fails here; the rules' own logic is
 * checked by `promtool test rules deploy/prometheus/alerts.test.yaml` (CI runs it).
 */
import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { containerMemoryLimit, Metrics } from '../src/observability/metrics.js';
import { startHarness, type Harness } from './support/harness.js';

const rules = readFileSync('deploy/prometheus/alerts.yaml', 'utf8');
const ruleTests = readFileSync('deploy/prometheus/alerts.test.yaml', 'utf8');

/** Metric names in PromQL or series selectors: ours (mcp_) and Node's process metrics. */
function metricNames(text: string): Set<string> {
  return new Set([...text.matchAll(/\b((?:mcp|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1]!));
}

/** Names a Prometheus text exposition declares (`# TYPE name kind`), with a histogram's series. */
function exposedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const [, name, kind] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (kind === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

describe('alert rules', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness();
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('name only metrics the server serves on /metrics', async () => {
    const served = exposedNames((await harness.app.metrics.render()).body);
    // The memory limit is only exported inside a container with one: render it as there.
    const inContainer = new Metrics({ tenantLabel: false }, { memoryLimitBytes: 512 * 1024 * 1024 });
    for (const name of exposedNames((await inContainer.render()).body)) served.add(name);
    const named = new Set([...metricNames(rules), ...metricNames(ruleTests)]);
    expect(named.size).toBeGreaterThan(5);
    for (const name of named) expect(served, `${name} is served on /metrics`).toContain(name);
  });

  it('link every alert to a RUNBOOK.md section that exists', () => {
    const runbook = readFileSync('RUNBOOK.md', 'utf8');
    // GitHub's heading anchors: lower case, punctuation dropped, spaces as dashes.
    const anchors = new Set([...runbook.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-')));
    const alerts = [...rules.matchAll(/- alert: (\S+)/g)].map((m) => m[1]!);
    const links = [...rules.matchAll(/runbook_url: RUNBOOK\.md#(\S+)/g)].map((m) => m[1]!);
    expect(links).toHaveLength(alerts.length);
    for (const anchor of links) expect(anchors, `RUNBOOK.md#${anchor}`).toContain(anchor);
    // One unit test per alert.
    for (const alert of alerts) expect(ruleTests, `alerts.test.yaml tests ${alert}`).toContain(`alertname: ${alert}`);
  });
});

describe('the container memory limit', () => {
  const reader = (files: Record<string, string>) => (path: string) => {
    if (!(path in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return files[path]!;
  };

  it('is read from cgroup v2, then v1, and absent when there is none', () => {
    expect(containerMemoryLimit(reader({ '/sys/fs/cgroup/memory.max': '536870912\n' }))).toBe(536_870_912);
    expect(containerMemoryLimit(reader({ '/sys/fs/cgroup/memory.max': 'max\n' }))).toBeUndefined();
    expect(containerMemoryLimit(reader({ '/sys/fs/cgroup/memory/memory.limit_in_bytes': '268435456' }))).toBe(268_435_456);
    // cgroup v1 without a limit: 2^63 rounded down to a page.
    expect(containerMemoryLimit(reader({ '/sys/fs/cgroup/memory/memory.limit_in_bytes': '9223372036854771712' }))).toBeUndefined();
    expect(containerMemoryLimit(reader({}))).toBeUndefined();
  });
});
