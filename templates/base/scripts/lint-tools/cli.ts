/**
 * npm run lint:tools              lint the tools this server registers (CI runs this)
 * npm run lint:tools -- --json    the report as JSON
 * npm run lint:tools -- --strict  fail on warnings too
 *
 * Names, descriptions and parameter descriptions are what a model chooses tools by and fills
 * their arguments from; ./rules.ts says what is checked and why. This reads the tools as the
 * server registers them (src/tools/registry.ts), the input schemas as clients list them.
 *
 * Exit codes: 0 clean or warnings only, 1 errors (or warnings with --strict), 2 bad usage.
 */
import { parseArgs } from 'node:util';

import type { AnyTool } from '../../src/tool-model/define-tool.js';
import { tools } from '../../src/tools/registry.js';
import { formatReport, lintTools, type LintTool } from './rules.js';

/** A registered tool as the lint sees it: its parameters from the JSON Schema clients get. */
export function lintToolOf(tool: AnyTool): LintTool {
  const schema = tool.inputSchema['~standard'].jsonSchema.input({ target: 'draft-2020-12' }) as {
    properties?: Record<string, { description?: string }>;
  };
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    params: Object.entries(schema.properties ?? {}).map(([name, property]) => ({ name, description: property.description })),
  };
}

function main(argv: string[]): number {
  let options;
  try {
    options = parseArgs({ args: argv, options: { json: { type: 'boolean' }, strict: { type: 'boolean' } } }).values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nUsage: npm run lint:tools -- [--json] [--strict]\n`);
    return 2;
  }
  const report = lintTools(tools.map(lintToolOf));
  if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stderr.write(`${formatReport(report).join('\n')}\n`);
  return report.errors > 0 || (options.strict && report.warnings > 0) ? 1 : 0;
}

// Run as a script, not when a test imports lintToolOf.
if (process.argv[1]?.replace(/\\/g, '/').endsWith('scripts/lint-tools/cli.ts')) process.exitCode = main(process.argv.slice(2));
