/** What runs in a freshly written repo: the first commit and the dependency install. */
import { GENERATOR_NAME, GENERATOR_VERSION } from '../version.js';

/** execa is loaded when a step runs: commands that spawn nothing should not pay for it. */
const loadExeca = () => import('execa').then((m) => m.execa);

export async function gitInitAndCommit(dir: string): Promise<void> {
  const execa = await loadExeca();
  await execa('git', ['init', '--quiet', '--initial-branch=main'], { cwd: dir });
  await execa('git', ['add', '--all'], { cwd: dir });
  // A machine without a git identity (a CI runner, a container) still gets its first commit.
  const identity = (await hasGitIdentity(dir))
    ? []
    : ['-c', `user.name=${GENERATOR_NAME}`, '-c', `user.email=${GENERATOR_NAME}@users.noreply.invalid`];
  await execa('git', [...identity, 'commit', '--quiet', '--no-verify', '-m', `Generate with ${GENERATOR_NAME} ${GENERATOR_VERSION}`], {
    cwd: dir,
  });
}

async function hasGitIdentity(dir: string): Promise<boolean> {
  const execa = await loadExeca();
  const email = await execa('git', ['config', 'user.email'], { cwd: dir, reject: false });
  return email.exitCode === 0 && email.stdout.trim() !== '';
}

export class InstallError extends Error {
  constructor(message: string, readonly output: string) {
    super(message);
  }
}

export async function npmInstall(dir: string): Promise<void> {
  const execa = await loadExeca();
  const result = await execa('npm', ['install', '--no-fund', '--no-audit'], { cwd: dir, reject: false, all: true });
  if (result.exitCode !== 0) {
    const tail = (result.all ?? '').split('\n').slice(-20).join('\n');
    throw new InstallError(`npm install failed in ${dir} (exit ${result.exitCode})`, tail);
  }
}

export async function gitAvailable(): Promise<boolean> {
  const execa = await loadExeca();
  const result = await execa('git', ['--version'], { reject: false });
  return result.exitCode === 0;
}

/**
 * The generator writes each tool's input contract; output schemas live in the tool files,
 * so the repo's own contract script records them once its dependencies are installed.
 */
export async function recordContract(dir: string): Promise<void> {
  const execa = await loadExeca();
  const result = await execa('npm', ['run', '--silent', 'contract', '--', '--update'], { cwd: dir, reject: false, all: true });
  if (result.exitCode !== 0) throw new InstallError(`npm run contract -- --update failed in ${dir} (exit ${result.exitCode})`, result.all ?? '');
}
