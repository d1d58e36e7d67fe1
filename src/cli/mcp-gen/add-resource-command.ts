/** `mcp-gen add-resource <name>`: flags -> a resource spec -> changes -> written. */
import { Command } from 'commander';
import { resolve } from 'node:path';
import { BACKEND_KINDS, toolFileName } from '../../spec/project-spec.js';
import { readRepoState } from '../../upgrade/repo-state.js';
import { planAddItem } from '../../commands/add-item.js';
import { EXIT_OK } from '../../user-error.js';
import type { Output } from '../output.js';
import { commonFields, flagLabel, type ItemOptions } from './add-item-options.js';
import { reportLeftToYou, showOrWrite } from './repo-changes.js';

interface AddResourceOptions extends ItemOptions {
  uri?: string;
  uriTemplate?: string;
  mimeType?: string;
  backend?: string;
}

const FLAG_OF: Record<string, string> = {
  name: '<name>',
  uri: '--uri',
  uriTemplate: '--uri-template',
  mimeType: '--mime-type',
  backend: '--backend',
  title: '--title',
  description: '--description',
  scopes: '--scopes',
  rateLimit: '--rate-limit',
};

export function addResourceCommand(output: Output, setExit: (code: number) => void): Command {
  return new Command('add-resource')
    .description('Add a resource the model can read: its file and test (yours to edit), the registry, README and RUNBOOK entries')
    .argument('<name>', 'resource name: 1-128 characters of A-Z a-z 0-9 _ . -')
    .option('--uri <uri>', 'one resource at this URI, like crm://catalog')
    .option('--uri-template <template>', 'a family of resources, each {variable} filled in by the client, like crm://customers/{id}')
    .option('--mime-type <type>', 'what its contents are (default: application/json)')
    .option('--backend <kind>', `the backend its read uses: ${BACKEND_KINDS.join(' | ')} (default: the repo's first)`)
    .option('--title <text>', 'human-readable title (default: from the name)')
    .option('--description <text>', 'what it holds and when to read it')
    .option('--scopes <list>', 'comma list of scopes a caller needs (default: resources:read)')
    .option('--rate-limit <perMinute>', "this resource's own limit per tenant per minute")
    .option('-C, --dir <path>', 'the generated repository', '.')
    .option('--dry-run', 'print what would change, and write nothing')
    .option('--diff', 'with --dry-run, print unified diffs too')
    .action(async (name: string, options: AddResourceOptions) => {
      setExit(await addResource(name, options, output));
    });
}

async function addResource(name: string, options: AddResourceOptions, output: Output): Promise<number> {
  const repo = await readRepoState(resolve(options.dir));
  const resource = commonFields(name, options, 'reads');
  if (options.uri !== undefined) resource.uri = options.uri;
  if (options.uriTemplate !== undefined) resource.uriTemplate = options.uriTemplate;
  if (options.mimeType !== undefined) resource.mimeType = options.mimeType;
  if (options.backend !== undefined) resource.backend = options.backend;
  const label = (path: readonly PropertyKey[]) => (path.length === 0 ? '--uri or --uri-template' : flagLabel(FLAG_OF)(path));
  const { spec, changes } = await planAddItem(repo, 'resources', resource, label);
  if (!(await showOrWrite(repo, changes, options, output))) {
    output.out('Dry run: nothing was written.');
    return EXIT_OK;
  }
  const added = spec.resources[spec.resources.length - 1]!;
  output.out(`\nAdded the resource ${added.name} (${added.uri ?? added.uriTemplate}, ${added.mimeType}, scopes ${added.scopes.join(', ')}).`);
  const code = reportLeftToYou(changes, output);
  output.out(`Next: write its read in src/resources/${toolFileName(added.name)}.ts, then npm test.`);
  return code;
}
