/**
 * The published contract. contracts/tools.lock.json records each tool's version and schemas;
 * this test runs the same check as `npm run contract` (and CI): a change a client would notice
 * needs the right version bump (breaking -> major) and a recorded lock, and the calls known
 * clients make (contracts/consumers/*.json) must still be accepted. It also checks that what
 * tools/list serves is exactly what the code declares, in both protocol eras.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { prompts } from '../src/prompts/registry.js';
import { resources } from '../src/resources/registry.js';
import { tools } from '../src/tools/registry.js';
import { checkContract } from '../scripts/contract/check-contract.js';
import { currentContract, readLock } from '../scripts/contract/contract-doc.js';
import { startHarness, type Harness } from './support/harness.js';
import { briefing, leakyNotes, probePrompts, probeResources, tenantNote } from './support/probe-resources.js';

describe('contract check (npm run contract)', () => {
  it('holds: no version bump missing, no consumer broken, the lock up to date', () => {
    const report = checkContract({ tools, resources, prompts }, readLock());
    expect(report.violations.map((v) => v.message)).toEqual([]);
    expect(report.consumerBreaks.map((b) => `${b.consumer}: ${b.message}`)).toEqual([]);
    expect(report.findings.map((f) => f.message), 'record the change: npm run contract -- --update').toEqual([]);
  });

  it('catches a breaking change shipped without a major version bump', () => {
    const [first, ...rest] = tools;
    expect(first).toBeDefined();
    // The same tool, same version, with a new required parameter: old calls would now fail.
    const changed = { ...first!, inputSchema: first!.inputSchema.extend({ mustNowBeSent: z.string() }) };
    const report = checkContract({ tools: [changed, ...rest], resources, prompts }, readLock());
    expect(report.findings.some((f) => f.tool === first!.name && f.class === 'breaking')).toBe(true);
    expect(report.violations.map((v) => v.tool)).toContain(first!.name);
  });
});

describe('contract check: resources and prompts', () => {
  // Probes, so the rules are checked whatever this repo serves: a lock of them as they are now.
  const catalog = { tools: [], resources: probeResources, prompts: probePrompts };
  const lock = () => structuredClone(currentContract(catalog));

  it('holds against a lock of what is served', () => {
    const report = checkContract(catalog, lock());
    expect([...report.findings, ...report.violations].map((item) => item.message)).toEqual([]);
  });

  it("catches a resource's changed URI and a prompt's new required argument shipped without a major version bump", () => {
    const moved = { ...tenantNote, uriTemplate: 'probe://notes/{tenant}/{id}' };
    const demanding = { ...briefing, arguments: briefing.arguments.extend({ deadline: z.string() }) };
    const report = checkContract({ tools: [], resources: [moved, leakyNotes], prompts: [demanding] }, lock());
    expect(report.findings.filter((f) => f.class === 'breaking').map((f) => f.message)).toEqual([
      'probe.briefing: new required argument "deadline": clients not sending it would be refused (breaking)',
      'probe.tenant_note: URI changed from probe://tenants/{tenant}/notes/{id} to probe://notes/{tenant}/{id}: clients reading the old one would get "not found" (breaking)',
    ]);
    expect(report.violations.map((v) => v.tool).sort()).toEqual(['probe.briefing', 'probe.tenant_note']);
  });

  it('lets a new optional argument through with a minor bump', () => {
    const gentle = { ...briefing, version: '1.1.0', arguments: briefing.arguments.extend({ audience: z.string().optional() }) };
    const report = checkContract({ tools: [], resources: probeResources, prompts: [gentle] }, lock());
    expect(report.findings.map((f) => `${f.class} ${f.path}`)).toEqual(['minor arguments.audience']);
    expect(report.violations).toEqual([]);
  });
});

describe.each(['modern', 'legacy'] as const)('tools/list serves the declared contract (%s era)', (era) => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('lists exactly the registered tools, with their schemas and annotations', async () => {
    harness = await startHarness({ era });
    const { tools: listed } = await harness.client.listTools();
    expect(listed.map((tool) => tool.name).sort()).toEqual(tools.map((tool) => tool.name).sort());
    const declared = currentContract({ tools, resources, prompts });
    for (const tool of tools) {
      const advertised = listed.find((each) => each.name === tool.name)!;
      const { $schema: _dialect, ...inputSchema } = advertised.inputSchema as Record<string, unknown>;
      expect(inputSchema, tool.name).toEqual(declared.tools[tool.name]?.inputSchema);
      expect(advertised.title).toBe(tool.title);
      expect(advertised.annotations?.readOnlyHint).toBe(tool.access === 'read');
      expect(advertised.annotations?.destructiveHint).toBe(tool.access === 'write');
    }
  });
});
