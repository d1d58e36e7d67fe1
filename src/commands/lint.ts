/**
 * `mcp-gen lint`: the tool-description lint over a generated repo's mcp-gen.json and tool files
 * (src/lint/). No install needed: it reads text, it does not load the tools; the repo's own
 * `npm run lint:tools` runs the same rules on the tools the server registers.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { lintSpec, type LintReport } from '../lint/lint-repo.js';
import { parseSpec } from '../spec/parse.js';
import type { RepoState } from '../upgrade/repo-state.js';

export async function lintRepo(repo: RepoState): Promise<LintReport> {
  // A spec that does not parse is refused as bad input (SpecError, exit 2) before anything is linted.
  const spec = parseSpec(repo.rawSpec);
  return lintSpec(spec, async (path) => readFile(join(repo.dir, path), 'utf8').catch(() => undefined));
}
