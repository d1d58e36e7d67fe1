/** `mcp-gen import openapi <file|url>`: an OpenAPI document -> one tool per selected operation. */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { EXIT_OK } from '../../user-error.js';
import type { OpenApiImport } from '../../commands/import-openapi.js';
import type { Output } from '../output.js';
import { shellQuote } from '../next-steps.js';

interface ImportOpenApiOptions {
  dir: string;
  dryRun?: boolean;
  diff?: boolean;
  allowExternal?: boolean;
  mode?: string;
  yes?: boolean;
}

export function importOpenApiCommand(output: Output, setExit: (code: number) => void): Command {
  return new Command('openapi')
    .description(
      "Make a tool of each operation of an OpenAPI document (3.0, 3.1 or Swagger 2.0; JSON or YAML) that calls the API through the http backend, with the tenant's own credential; curate them in mcp-gen.json's openapi block and import again",
    )
    .argument('[file|url]', "the document (default: mcp-gen.json's openapi.source, to import it again)")
    .option('-C, --dir <path>', 'the generated repository', '.')
    .option('--allow-external', "read $refs to other files or URLs, and a document given as a URL (off: a document could make this process read files or call hosts)")
    .option('--mode <mode>', 'tools: one tool per operation; catalog: a governed catalog of three tools (search_operations, describe_operation, call_operation); auto: the catalog above openapi.catalogThreshold (default 40) operations. Recorded as openapi.mode')
    .option('-y, --yes', 'never prompt: mode auto follows the threshold')
    .option('--dry-run', 'say which mode, list the operations it would serve (access, approval) and the changes, and write nothing')
    .option('--diff', 'with --dry-run, print unified diffs too')
    .action(async (source: string | undefined, options: ImportOpenApiOptions) => {
      setExit(await importOpenApi(source, options, output));
    });
}

async function importOpenApi(source: string | undefined, options: ImportOpenApiOptions, output: Output): Promise<number> {
  const [{ readRepoState }, { planImportOpenApi, importLint }, { reportLeftToYou, showOrWrite }, { lintAdvice }] = await Promise.all([
    import('../../upgrade/repo-state.js'),
    import('../../commands/import-openapi.js'),
    import('./repo-changes.js'),
    import('../../lint/lint-repo.js'),
  ]);
  const repo = await readRepoState(resolve(options.dir));
  const chooseCatalog = output.interactive && !options.yes ? (await import('../prompts.js')).askCatalog : undefined;
  const plan = await planImportOpenApi(repo, { source, cwd: process.cwd(), allowExternal: options.allowExternal, mode: options.mode, chooseCatalog });
  const { imported } = plan;
  printImport(imported, imported.result.findings, output);
  for (const line of lintAdvice(importLint(imported), undefined, { seeAll: seeAllCommand(options.dir) })) output.err(line);
  if (!(await showOrWrite(repo, plan.changes, options, output))) {
    output.out('Dry run: nothing was written.');
    return EXIT_OK;
  }
  if (imported.added.length > 0) output.out(`\nAdded ${imported.added.join(', ')}.`);
  if (imported.removed.length > 0) output.out(`Removed ${imported.removed.join(', ')} (their entries stay in contracts/tools.lock.json until the contract is updated).`);
  if (imported.addedOperations.length > 0) output.out(`Added ${counted(imported.addedOperations.length, 'operation')} to the catalog${listed(imported.addedOperations)}.`);
  if (imported.removedOperations.length > 0) {
    output.out(`Removed ${counted(imported.removedOperations.length, 'operation')} from the catalog${listed(imported.removedOperations)} (their entries stay in contracts/tools.lock.json until the contract is updated).`);
  }
  const code = reportLeftToYou(plan.changes, output);
  const base = imported.result.serverUrl ? ` Point HTTP_API_BASE_URL at the API (the document says ${imported.result.serverUrl}) and` : ' Point HTTP_API_BASE_URL at the API and';
  output.out(`Next:${base} give each tenant its credential in HTTP_API_CREDENTIALS; then npm test and npm run contract (a changed or removed operation is a breaking change).`);
  return code;
}

const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
/** A few names, or none when there are many (a catalog can gain hundreds at once). */
const listed = (names: readonly string[]) => (names.length <= 10 ? `: ${names.join(', ')}` : '');

/** `mcp-gen lint`, run where the user is, for the repo at `dir`. */
export function seeAllCommand(dir: string): string {
  return dir === '.' ? 'mcp-gen lint' : `mcp-gen lint -C ${shellQuote(dir)}`;
}

/** Each tool an import makes, with its access, approval and operation; then the notes. create-mcp-server --openapi prints the same. */
export function printImport(imported: OpenApiImport, findings: readonly string[], output: Output): void {
  const tools = imported.result.tools;
  const source = String((imported.raw.openapi as { source: string }).source);
  if (imported.mode === 'catalog') {
    output.out(`Mode: catalog (${imported.reason}): the tools search_operations, describe_operation and call_operation serve`);
    output.out(`${tools.length} operation${tools.length === 1 ? '' : 's'} from ${source}, each called with its own scopes, access, approval, rate limit and audit record:`);
  } else {
    output.out(`Mode: tools (${imported.reason}): one tool per operation.`);
    output.out(`${tools.length} tool${tools.length === 1 ? '' : 's'} from ${source}:`);
  }
  const width = Math.max(...tools.map(({ tool }) => tool.name.length), 4);
  for (const { tool } of tools) {
    const approval = tool.approval === 'none' ? '' : `, approval ${tool.approval}`;
    output.out(`  ${tool.name.padEnd(width)}  ${tool.access}${approval}  ${tool.http.method} ${tool.http.path}`);
  }
  for (const line of findings) output.err(`note: ${line}`);
}
