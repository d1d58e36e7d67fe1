/**
 * The tool-description lint (scripts/lint-tools/): it reads the tools as the server registers
 * them, each rule catches what it is for, and `npm run lint:tools` exits as documented.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { lintToolOf } from '../scripts/lint-tools/cli.js';
import { jaccard, lintTools, shinglesOf, type LintReport } from '../scripts/lint-tools/rules.js';
import { defineTool } from '../src/tool-model/define-tool.js';
import { tools } from '../src/tools/registry.js';

const run = promisify(execFile);

const tool = (name: string, description: string, params: Record<string, z.ZodType> = {}) =>
  defineTool({
    name,
    version: '1.0.0',
    title: name,
    description,
    access: 'read',
    scopes: ['probe:read'],
    inputSchema: z.strictObject(params),
    outputSchema: z.object({}),
    handler: () => ({}),
  });

const rulesOf = (report: LintReport, name: string) => report.findings.filter((f) => f.tool === name).map((f) => `${f.severity}:${f.rule}`).sort();

describe('tool-description lint', () => {
  it('reads every registered tool with the parameters its input schema lists', () => {
    for (const registered of tools) {
      const linted = lintToolOf(registered);
      expect(linted.name).toBe(registered.name);
      expect(linted.description).toBe(registered.description);
      expect(linted.params.map((p) => p.name).sort()).toEqual(Object.keys(registered.inputSchema.shape).sort());
    }
    expect(lintTools(tools.map(lintToolOf)).errors).toBe(0);
  });

  it('flags each rule on the tool that breaks it, and passes a good one', () => {
    const good = tool('search_invoices', 'Search the invoices of the caller by customer or number. Use when the user asks about a bill; returns the newest first.', {
      query: z.string().describe('Customer name or invoice number'),
    });
    const report = lintTools(
      [
        good,
        tool('invoices', 'Invoices.', { q: z.string() }),
        tool(`get_${'x'.repeat(70)}`, ''),
      ].map(lintToolOf),
    );
    expect(rulesOf(report, 'search_invoices')).toEqual([]);
    expect(rulesOf(report, 'invoices')).toEqual(['warning:description-short', 'warning:description-when', 'warning:name-verb-first', 'warning:param-description']);
    expect(rulesOf(report, `get_${'x'.repeat(70)}`)).toEqual(['error:description-missing', 'error:name-length']);
    expect(report).toMatchObject({ tools: 3, errors: 2, warnings: 4 });
  });

  it('flags two descriptions too alike to tell apart (Jaccard similarity of word pairs above 0.5)', () => {
    const a = 'Search the orders of the caller by customer name and return the newest first.';
    const b = 'Search the orders of the caller by customer name and return the oldest first.';
    expect(jaccard(shinglesOf(a), shinglesOf(b))).toBeGreaterThan(0.5);
    const report = lintTools([tool('search_orders', a), tool('find_orders', b), tool('get_weather', 'Get the weather forecast for a city. Use when the user plans a trip.')].map(lintToolOf));
    expect(report.findings.filter((f) => f.rule === 'description-overlap')).toEqual([
      expect.objectContaining({ severity: 'warning', tool: 'search_orders', other: 'find_orders' }),
    ]);
  });

  it('npm run lint:tools exits 0 without errors and prints the report as JSON', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/lint-tools/cli.ts', '--json']);
    expect(JSON.parse(stdout)).toMatchObject({ tools: tools.length, errors: 0 });
    const bad = await run(process.execPath, ['--import', 'tsx', 'scripts/lint-tools/cli.ts', '--nope']).catch((error: { code: number }) => error);
    expect(bad).toMatchObject({ code: 2 });
  });
});
