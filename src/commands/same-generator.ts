/**
 * add-tool and add-backend re-render the whole repo with this generator's templates. On a repo
 * another version wrote, that would bring in the new templates without the upgrade's
 * migrations and report (a tool file still at its old path, a registry pointing at the new
 * one), so both ask for `mcp-gen upgrade` first.
 */
// One function a file of semver, not the whole package: the index loads all ~50 of its modules.
import gt from 'semver/functions/gt.js';
import lt from 'semver/functions/lt.js';
import valid from 'semver/functions/valid.js';
import { GENERATOR_VERSION } from '../version.js';
import type { RepoState } from '../upgrade/repo-state.js';
import { EXIT_FAILURE, UserError } from '../user-error.js';

/** The generator version that last wrote the repo, when mcp-gen.json names a valid one. */
export function generatorVersionOf(repo: Pick<RepoState, 'rawSpec'>): string | undefined {
  const made = (repo.rawSpec as { generator?: { version?: unknown } } | null)?.generator?.version;
  return typeof made === 'string' && valid(made) ? made : undefined;
}

/** Written by an older generator: what this version expects of the repo's layout may not hold yet. */
export function olderGenerator(repo: Pick<RepoState, 'rawSpec'>): string | undefined {
  const made = generatorVersionOf(repo);
  return made && lt(made, GENERATOR_VERSION) ? made : undefined;
}

export function requireSameGenerator(repo: RepoState): void {
  const made = generatorVersionOf(repo);
  if (!made || made === GENERATOR_VERSION) return;
  if (gt(made, GENERATOR_VERSION)) {
    throw new UserError(`this repo was made by create-mcp-server ${made}, newer than this mcp-gen (${GENERATOR_VERSION}); use ${made} or later. Nothing was written.`, { exitCode: EXIT_FAILURE });
  }
  throw new UserError(
    `this repo was made by create-mcp-server ${made} and this mcp-gen is ${GENERATOR_VERSION}: run mcp-gen upgrade first (it merges the new templates and runs their migrations), commit, then try again. Nothing was written.`,
    { exitCode: EXIT_FAILURE },
  );
}
