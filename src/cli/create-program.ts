/**
 * `create-mcp-server [dir]`: flags / prompts / --config -> spec -> plan -> apply, then the
 * first commit, the install and the next steps. Returns an exit code; never exits itself.
 */
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { AUTH_KINDS, BACKEND_KINDS, TRANSPORTS } from '../spec/project-spec.js';
import { parseSpec } from '../spec/parse.js';
import type { CompleteProjectSpec } from '../spec/tool-defaults.js';
import { lintAdvice, lintSpec } from '../lint/lint-repo.js';
import { planCreate } from '../commands/create.js';
import { formatListing } from '../apply/print-changes.js';
import { writeChanges } from '../apply/write-changes.js';
import { gitAvailable, gitInitAndCommit, InstallError, npmInstall, recordContract } from '../apply/setup-steps.js';
import { GENERATOR_NAME, GENERATOR_VERSION } from '../version.js';
import { EXIT_FAILURE, EXIT_OK } from '../user-error.js';
import { reportError } from './report-error.js';
import { packageNameFromDir, specInputFrom, type CreateFlags } from './spec-input.js';
import { defaultTools } from './default-tools.js';
import { nextSteps, shellQuote } from './next-steps.js';
import { terminalOutput, type Output } from './output.js';
import { addPostgresImportOptions, checkPostgresSource, POSTGRES_FLAG_OF, postgresImportFlags, type PostgresImportFlags } from './postgres-import-flags.js';
import { SpecError } from '../spec/issues.js';

interface CreateOptions extends CreateFlags, PostgresImportFlags {
  yes?: boolean;
  postgresImport?: string;
  install: boolean;
  git: boolean;
  dryRun?: boolean;
  force?: boolean;
  openapi?: string;
  openapiMode?: string;
  allowExternal?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function program(output: Output): Command {
  const command = new Command('create-mcp-server')
    .description('Generate a production MCP server repository: auth, tenant isolation, rate limits, audit, health, tests.')
    .version(GENERATOR_VERSION, '-V, --version')
    .argument('[dir]', 'directory to create (default: asked, or "mcp-server" with --yes)')
    .option('--name <name>', 'npm package name (default: from the directory name)')
    .option('--description <text>', 'one line: what the server gives access to')
    .addOption(new Option('-t, --transport <kind>', `how clients connect: ${TRANSPORTS.join(' | ')} (default: http)`))
    .addOption(new Option('-a, --auth <kind>', `how clients authenticate: ${AUTH_KINDS.join(' | ')} (default: api-key)`))
    .option('-b, --backend <kind>', `a backend the tools reach, repeatable: ${BACKEND_KINDS.join(' | ')} (default: sample)`, collect)
    .option('--tool <name[:read|:write][(params)]>', 'a tool to generate, repeatable, e.g. "search_customers:read(query:string?, limit:integer?)"; without a parameter list it takes none (default: three sample tools)', collect)
    .option('--postgres-import <source>', 'tools over the tables of a PostgreSQL database: DATABASE_URL or a schema-only dump (as mcp-gen import postgres; choose tables with the flags below, or in --config\'s postgresImport)');
  return addPostgresImportOptions(command, 'with --postgres-import: ')
    .option('-c, --config <spec.json>', 'read the whole spec from a JSON file (flags given too override its fields)')
    .option('--openapi <file|url>', 'a tool for each operation of this OpenAPI document (3.0, 3.1, Swagger 2.0), calling the API through the http backend (instead of the sample tools)')
    .option('--openapi-mode <mode>', 'with --openapi: tools (one per operation), catalog (a governed catalog: search_operations, describe_operation, call_operation) or auto (the catalog above 40 operations)')
    .option('--allow-external', "with --openapi: read $refs to other files or URLs, and a document given as a URL")
    .option('-y, --yes', 'use defaults for everything not given; never prompt')
    .option('--no-install', 'do not run npm install')
    .option('--no-git', 'do not git init and commit')
    .option('--dry-run', 'print the files that would be written, and write nothing')
    .option('--force', 'write into a non-empty directory (files it generates are overwritten)')
    .addHelpText(
      'after',
      `
Examples:
  $ npm create mcp-server                       # asks for everything
  $ create-mcp-server crm-mcp --yes --transport both --tool search_customers:read --tool create_note:write
  $ create-mcp-server crm-mcp --config spec.json --dry-run
  $ DATABASE_URL=postgres://me@db/crm create-mcp-server crm-mcp --yes --postgres-import DATABASE_URL --table customers --table countries --shared countries --writes

Exit codes: 0 done, 2 input refused (nothing written), 1 failure.`,
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => output.out(s.trimEnd()), writeErr: (s) => output.err(s.trimEnd()) });
}

export async function runCreate(argv: readonly string[], output: Output = terminalOutput()): Promise<number> {
  const cmd = program(output);
  try {
    cmd.parse([...argv], { from: 'user' });
    return await create(cmd.args[0], cmd.opts<CreateOptions>(), output);
  } catch (err) {
    return reportError(err, output);
  }
}

async function create(dirArg: string | undefined, options: CreateOptions, output: Output): Promise<number> {
  const interactive = output.interactive && !options.yes;
  // The prompts (and @clack/prompts with them) load only when there is someone to ask.
  const prompts = interactive ? await import('./prompts.js') : undefined;
  const dir = dirArg ?? (prompts ? await prompts.askForDirectory() : 'mcp-server');
  const input = await specInputFrom(options);
  let raw = input.raw;
  // Imported operations are the tools: no sample tools to ask about or add.
  if (options.openapi !== undefined) raw.tools ??= [];
  if (prompts) raw = await prompts.askForSpec(raw, dir);
  else {
    if (!options.yes && !output.interactive) output.err('note: no terminal to ask on; using defaults for what was not given (--yes silences this)');
    raw.name ??= packageNameFromDir(dir);
    // Importing tables: their tools instead of the sample ones.
    raw.tools ??= options.postgresImport !== undefined || raw['postgresImport'] !== undefined ? [] : defaultTools();
  }
  if (options.openapi === undefined) {
    const given = [options.openapiMode !== undefined && '--openapi-mode', options.allowExternal && '--allow-external'].filter((flag): flag is string => Boolean(flag));
    if (given.length > 0) throw new SpecError(given.map((flag) => `${flag}: applies to an import of an OpenAPI document; add --openapi <file|url>`));
  }
  let importMigration: string | undefined;
  const tableFlags = postgresImportFlags(options);
  if (options.postgresImport !== undefined || raw['postgresImport'] !== undefined) {
    const { expandPostgresImport } = await import('../commands/import-postgres.js');
    const source = options.postgresImport;
    checkPostgresSource(source, '--postgres-import');
    ({ raw, migration: importMigration } = await expandPostgresImport(raw, {
      source,
      cwd: process.cwd(),
      target: resolve(dir),
      databaseUrl: process.env['DATABASE_URL'],
      flags: tableFlags,
      flagOf: POSTGRES_FLAG_OF,
    }));
  } else if (Object.keys(tableFlags).length > 0) {
    throw new SpecError(
      Object.keys(tableFlags).map((field) => `${POSTGRES_FLAG_OF[field]}: applies to an import of PostgreSQL tables; add --postgres-import <DATABASE_URL|dump.sql> (or a --config with postgresImport)`),
    );
  }
  if (options.openapi !== undefined) {
    const [{ withOpenApiTools }, { printImport }] = await Promise.all([import('../commands/import-openapi.js'), import('./mcp-gen/import-openapi-command.js')]);
    const imported = await withOpenApiTools(
      raw,
      { source: options.openapi, cwd: process.cwd(), allowExternal: options.allowExternal, mode: options.openapiMode, modeFlag: '--openapi-mode', chooseCatalog: prompts?.askCatalog },
      resolve(dir),
      input.label,
    );
    raw = imported.raw as typeof raw;
    // The import's own notes; its tools are linted below with the rest.
    printImport(imported, imported.result.findings, output);
  }
  const spec = parseSpec(raw, input.label);
  // The files are rendered from the spec, so linting the spec lints what is written.
  const advice = lintAdvice(await lintSpec(spec), undefined, { seeAll: `mcp-gen lint -C ${shellQuote(dir)}` });

  const { target, changes, bytes } = await planCreate(spec, dir, { force: Boolean(options.force) });
  if (importMigration !== undefined) {
    const { nextMigrationPath } = await import('../commands/import-postgres.js');
    const path = nextMigrationPath(changes.changes.map((c) => c.path));
    changes.changes.push({ path, class: 'scaffold', action: 'create', contents: importMigration, reason: 'row-level security and grants for the imported tables' });
  }
  if (options.dryRun) {
    output.out(formatListing(changes, { target, bytes }));
    for (const line of advice) output.err(line);
    output.out('Dry run: nothing was written.');
    return EXIT_OK;
  }

  await output.step(`Writing ${changes.changes.length} files to ${dir}`, () => writeChanges(target, changes.changes));
  // The files are written: an interrupt from here on leaves them, so it says what is left to run.
  const stopped = interruptedSetup(dir, { install: Boolean(options.install), git: Boolean(options.git) }, output);
  try {
    return await setUp(spec, dir, target, options, output, advice);
  } finally {
    stopped.release();
  }
}

/** After the files are written: install, record the contract, commit, and say what comes next. */
async function setUp(spec: CompleteProjectSpec, dir: string, target: string, options: CreateOptions, output: Output, advice: string[]): Promise<number> {
  // Install before the first commit, so package-lock.json (which CI's `npm ci` needs) is in it.
  let installed = false;
  let installFailure: InstallError | undefined;
  if (options.install) {
    try {
      await output.step('Installing dependencies (npm install)', () => npmInstall(target));
      await output.step('Recording the tool contract (npm run contract -- --update)', () => recordContract(target));
      installed = true;
    } catch (err) {
      if (!(err instanceof InstallError)) throw err;
      installFailure = err;
    }
  }
  if (options.git) {
    if (await gitAvailable()) await output.step('Creating the first git commit', () => gitInitAndCommit(target));
    else output.err('warning: git is not installed; skipped git init (use --no-git to silence this)');
  }
  if (installFailure) {
    output.err(`error: ${installFailure.message}\n${installFailure.output}`);
    output.err(`The repository is written; fix the problem above and run npm install in ${dir}.`);
    return EXIT_FAILURE;
  }
  output.out(`\nCreated ${spec.name} in ${dir}: ${spec.tools.length} tool${spec.tools.length === 1 ? '' : 's'}, ${spec.transport} transport, ${spec.auth} auth.\n`);
  if (advice.length > 0) output.err(`${advice.join('\n')}\n  Edit them in src/tools/, then check with npm run lint:tools (CI runs it).\n`);
  output.out(nextSteps(spec, target, installed));
  return EXIT_OK;
}

/**
 * SIGINT / SIGTERM while create installs or commits: the repository is written but not set up
 * (no node_modules, no recorded contract, no first commit). Says so, with the commands that
 * finish it, and exits as the shell expects (130 / 143); npm, a child, stops with it.
 */
function interruptedSetup(dir: string, steps: { install: boolean; git: boolean }, output: Output): { release: () => void } {
  if (!steps.install && !steps.git) return { release: () => {} };
  const onSignal = (signal: NodeJS.Signals) => {
    const cd = `cd ${shellQuote(dir)}`;
    const finish = [
      ...(steps.install ? ['npm install', 'npm run contract -- --update'] : []),
      ...(steps.git ? ['git init', 'git add -A', `git commit -m "Generate with ${GENERATOR_NAME} ${GENERATOR_VERSION}"`] : []),
    ];
    output.err(`\ninterrupted by ${signal}: the repository is written in ${dir} but not set up.`);
    output.err(`To finish it: ${[cd, ...finish].join(' && ')}\nOr remove ${dir} and run create-mcp-server again.`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
