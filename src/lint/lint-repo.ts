/**
 * What `mcp-gen lint` and the generator (after create and add-tool) lint: the tools of a spec,
 * with what their files say where a repo has them. Users edit descriptions in the tool files
 * (src/tools/*.ts are theirs), so a description or parameter description written there as a
 * plain string wins over mcp-gen.json; one the file builds some other way is taken from the spec.
 *
 * The rules themselves are ./tool-rules.ts: a link to the module generated repos carry
 * (templates/base/scripts/lint-tools/rules.ts), which their `npm run lint:tools` runs on the
 * tools the server really registers.
 */
import { callParams, type CompleteProjectSpec, type CompleteToolSpec } from '../spec/tool-defaults.js';
import { toolFileName } from '../spec/project-spec.js';
import { formatReport, lintTools, type LintFinding, type LintReport, type LintTool } from './tool-rules.js';

export { formatReport, lintTools, type LintFinding, type LintReport, type LintTool } from './tool-rules.js';

/** The path of a tool's file in a generated repo. */
export const toolFilePath = (name: string) => `src/tools/${toolFileName(name)}.ts`;

/** A tool as the spec (and, when given, its file's text) describes it. */
export function lintToolOf(tool: CompleteToolSpec, fileText?: string): LintTool {
  const fromFile = fileText === undefined ? undefined : definedIn(fileText);
  return {
    name: tool.name,
    title: tool.title,
    description: fromFile?.description ?? tool.description,
    params: callParams(tool).map((param) => ({
      name: param.name,
      description: fileText === undefined ? param.description : (paramDescription(fileText, param.name) ?? param.description),
    })),
    source: fileText === undefined ? 'mcp-gen.json' : toolFilePath(tool.name),
  };
}

/** Lints every tool of a spec; `readFile` gives a tool file's text, undefined when it has none. */
export async function lintSpec(spec: CompleteProjectSpec, readFile?: (path: string) => Promise<string | undefined>): Promise<LintReport> {
  const tools = await Promise.all(spec.tools.map(async (tool) => lintToolOf(tool, await readFile?.(toolFilePath(tool.name)))));
  return lintTools(tools);
}

/** Up to this many findings, a command's advice lists them one by one; past it, it sums them up. */
export const ADVICE_LISTED = 12;

export interface AdviceOptions {
  /** The command that lists them all (default `mcp-gen lint`). */
  seeAll?: string;
}

/**
 * The report for the end of `create`, `add-tool` and an import (only `names`' findings, when
 * given); nothing when clean. A few findings are listed; many (an imported API's hundreds) are
 * counted by rule, errors first, each rule with its first finding, then the command that lists
 * them all.
 */
export function lintAdvice(report: LintReport, names?: readonly string[], options: AdviceOptions = {}): string[] {
  const findings = names ? report.findings.filter((f) => names.includes(f.tool) || (f.other !== undefined && names.includes(f.other))) : report.findings;
  if (findings.length === 0) return [];
  const errors = findings.filter((f) => f.severity === 'error').length;
  const lines = formatReport({ tools: names?.length ?? report.tools, errors, warnings: findings.length - errors, findings });
  const head = 'Tool descriptions to improve (mcp-gen lint; models pick and call tools by them):';
  if (findings.length <= ADVICE_LISTED) return [head, ...lines.map((line) => `  ${line}`)];
  const byRule = new Map<string, { first: LintFinding; count: number }>();
  for (const finding of findings) {
    const entry = byRule.get(finding.rule) ?? { first: finding, count: 0 };
    entry.count += 1;
    byRule.set(finding.rule, entry);
  }
  const rules = [...byRule].sort(([a, x], [b, y]) =>
    x.first.severity !== y.first.severity ? (x.first.severity === 'error' ? -1 : 1) : y.count - x.count || a.localeCompare(b),
  );
  const width = Math.max(...rules.map(([rule]) => rule.length));
  const digits = Math.max(...rules.map(([, { count }]) => String(count).length));
  return [
    head,
    `  ${lines.at(-1)!.replace(/\.$/, '')}; by rule, each with its first:`,
    ...rules.flatMap(([rule, { first, count }]) => [
      `    ${rule.padEnd(width)}  ${String(count).padStart(digits)} ${first.severity}${count === 1 ? '' : 's'}`,
      `      ${first.tool}: ${first.message}`,
    ]),
    `  all ${findings.length}: ${options.seeAll ?? 'mcp-gen lint'} (--json to filter them)`,
  ];
}

const STRING = String.raw`("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')`;

/** The `description:` of the `defineTool({ … })` call, when it is a plain string literal. */
function definedIn(text: string): { description?: string } {
  const start = text.indexOf('defineTool(');
  if (start < 0) return {};
  const match = new RegExp(String.raw`^\s*description:\s*${STRING}\s*,?\s*$`, 'm').exec(text.slice(start));
  const description = match ? literal(match[1]!) : undefined;
  return description === undefined ? {} : { description };
}

/** The `.describe('…')` of `<name>: z.…` in the file's input schema, when written that way. */
function paramDescription(text: string, name: string): string | undefined {
  const start = text.indexOf('const inputSchema');
  if (start < 0) return undefined;
  const end = text.indexOf('\n});', start);
  const schema = text.slice(start, end < 0 ? undefined : end);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const declaration = new RegExp(String.raw`(?:^|[\s{,])["']?${escaped}["']?:\s*z\.[^\n]*`, 'm').exec(schema);
  if (!declaration) return undefined;
  const described = new RegExp(String.raw`\.describe\(${STRING}\)`).exec(declaration[0]);
  return described ? literal(described[1]!) : '';
}

/** A JS string literal's value ("…" as JSON; '…' with its quotes swapped). */
function literal(source: string): string | undefined {
  try {
    if (source.startsWith('"')) return JSON.parse(source) as string;
    const body = source.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"');
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return undefined;
  }
}
