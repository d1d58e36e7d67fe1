/**
 * The checks a user runs in a generated repo, run for them: doctor's findings and the repo's
 * own contract check (`npm run contract`, the code its tests and CI run). doctor reports
 * them; upgrade runs them on what it wrote, and --check before it says "up to date".
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RepoState } from '../upgrade/repo-state.js';
import { diagnose, type Problem } from './doctor.js';

export interface RepoChecks {
  problems: Problem[];
  /** False when the contract check could not run: no node_modules, or a problem that stops it. */
  contractChecked: boolean;
}

/** `repo`: the repo as it is now (read after any write). */
export async function checkRepo(repo: RepoState, options: { contract: boolean }): Promise<RepoChecks> {
  const { dir } = repo;
  const problems = await diagnose(repo);
  const blocked = problems.some((p) => p.check === 'spec' || p.check.endsWith('-file') && p.check.startsWith('missing-') || p.check === 'generator-version');
  if (!options.contract || blocked || !existsSync(join(dir, 'node_modules'))) return { problems, contractChecked: false };
  const contract = await contractProblem(dir);
  return { problems: contract ? [...problems, contract] : problems, contractChecked: true };
}

/** Runs `npm run contract` in the repo; a failure becomes a problem naming what it found. */
async function contractProblem(dir: string): Promise<Problem | undefined> {
  const { execa } = await import('execa');
  const check = await execa('npm', ['run', '--silent', 'contract'], { cwd: dir, reject: false, all: true });
  if (check.exitCode === 0) return undefined;
  const lines = (check.all ?? '').split('\n').filter((l) => l.trim() && !l.startsWith('npm warn'));
  const findings = lines.filter((l) => /^(breaking|minor|patch|VERSION|CONSUMER) /.test(l));
  const detail = findings.length > 0 ? findings : lines.slice(-5);
  return {
    check: 'lock',
    path: 'contracts/tools.lock.json',
    message: `the contract check fails:\n      ${detail.join('\n      ')}`,
    fix: 'bump the versions it names, then npm run contract -- --update (after an upgrade that changed package.json, run npm install first)',
  };
}
