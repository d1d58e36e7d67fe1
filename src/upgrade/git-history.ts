/**
 * The merge base of a file the repo kept no base for (one an older generator wrote as
 * scaffold, merged now): the manifest still holds the sha256 of what was generated, so the
 * version of the file with that hash is looked for in the repo's git history.
 */
import { createHash } from 'node:crypto';

/** Versions of one file git is asked about, newest first: enough for years of commits to it. */
const MAX_VERSIONS = 500;

export async function findInHistory(dir: string, path: string, sha256: string): Promise<string | undefined> {
  const { execa } = await import('execa');
  const log = await execa('git', ['log', '--all', '--format=', '--raw', '--no-abbrev', '--no-renames', `-n${MAX_VERSIONS}`, '--', path], {
    cwd: dir,
    reject: false,
  });
  if (log.exitCode !== 0) return undefined;
  const blobs = new Set<string>();
  for (const line of log.stdout.split('\n')) {
    // :100644 100644 <old blob> <new blob> M\t<path>
    const match = /^:\d+ \d+ ([0-9a-f]+) ([0-9a-f]+) /.exec(line);
    if (!match) continue;
    for (const blob of [match[1]!, match[2]!]) if (!/^0+$/.test(blob)) blobs.add(blob);
  }
  for (const blob of blobs) {
    const show = await execa('git', ['cat-file', 'blob', blob], { cwd: dir, reject: false, stripFinalNewline: false, encoding: 'utf8' });
    if (show.exitCode === 0 && createHash('sha256').update(show.stdout).digest('hex') === sha256) return show.stdout;
  }
  return undefined;
}
