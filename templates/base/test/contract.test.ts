/**
 * The published contract. contracts/tools.lock.json records each tool's version and schemas;
 * this test runs the same check as `npm run contract` (and CI): a change a client would notice
 * needs the right version bump (breaking -> major) and a recorded lock, and the calls known
 * clients make (contracts/consumers/*.json) must still be accepted. It also checks that what
 * tools/list serves is exactly what the code declares, in both protocol eras.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { tools } from '../src/tools/registry.js';
import { checkContract } from '../scripts/contract/check-contract.js';
import { currentContract, readLock } from '../scripts/contract/contract-doc.js';
import { startHarness, type Harness } from './support/harness.js';

describe('contract check (npm run contract)', () => {
  it('holds: no version bump missing, no consumer broken, the lock up to date', () => {
    const report = checkContract(tools, readLock());
    expect(report.violations.map((v) => v.message)).toEqual([]);
    expect(report.consumerBreaks.map((b) => `${b.consumer}: ${b.message}`)).toEqual([]);
    expect(report.findings.map((f) => f.message), 'record the change: npm run contract -- --update').toEqual([]);
  });

  it('catches a breaking change shipped without a major version bump', () => {
    const [first, ...rest] = tools;
    expect(first).toBeDefined();
    // The same tool, same version, with a new required parameter: old calls would now fail.
    const changed = { ...first!, inputSchema: first!.inputSchema.extend({ mustNowBeSent: z.string() }) };
    const report = checkContract([changed, ...rest], readLock());
    expect(report.findings.some((f) => f.tool === first!.name && f.class === 'breaking')).toBe(true);
    expect(report.violations.map((v) => v.tool)).toContain(first!.name);
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
    const declared = currentContract(tools);
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
