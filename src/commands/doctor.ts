/**
 * doctor: what is wrong in a generated repo, each with how to fix it. Reads only.
 */
import { readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { parseSpec } from '../spec/parse.js';
import { formatPath, SpecError } from '../spec/issues.js';
import { toolFileName } from '../spec/project-spec.js';
import { GENERATOR_VERSION } from '../version.js';
import { LOCK_FILE } from '../contract/tools-lock.js';
import { isStateFile, sha256, BASE_ARCHIVE, LEGACY_BASE_DIR, type ManifestEntry } from '../upgrade/state-files.js';
import { olderGenerator } from './same-generator.js';
import type { RepoState } from '../upgrade/repo-state.js';
import gt from 'semver/functions/gt.js';
import valid from 'semver/functions/valid.js';

export interface Problem {
  check: 'spec' | 'manifest' | 'managed-edited' | `unregistered-${ItemKind}` | `missing-${ItemKind}-file` | 'lock' | 'conflict-markers' | 'missing-base' | 'generator-version';
  path?: string;
  message: string;
  fix: string;
}

const CONFLICT_MARKER = /^(<{7}|>{7}) /m;

export async function diagnose(repo: RepoState): Promise<Problem[]> {
  const problems: Problem[] = [];
  let expected: Record<ItemKind, string[]> | undefined;
  try {
    const spec = parseSpec(repo.rawSpec, (path) => `mcp-gen.json: ${formatPath(path)}`);
    const files = (items: ReadonlyArray<{ name: string }>) => items.map((item) => `${toolFileName(item.name)}.ts`);
    expected = { tool: files(spec.tools), resource: files(spec.resources), prompt: files(spec.prompts) };
    const made = spec.generator?.version;
    if (made && valid(made) && gt(made, GENERATOR_VERSION)) {
      problems.push({
        check: 'generator-version',
        message: `made by create-mcp-server ${made}, newer than this mcp-gen (${GENERATOR_VERSION})`,
        fix: `use create-mcp-server ${made} or later`,
      });
    }
    const older = olderGenerator(repo);
    if (older) {
      // Where tool files live (and what the contract script is) follows the generator version:
      // judged by this version's rules, an older repo shows problems an upgrade resolves.
      problems.push({
        check: 'generator-version',
        message: `made by create-mcp-server ${older}, older than this mcp-gen (${GENERATOR_VERSION}): the checks of tool files and of the contract follow ${GENERATOR_VERSION}'s layout, so they were skipped`,
        fix: 'run mcp-gen upgrade first (it merges the new templates and runs their migrations), commit, then run mcp-gen doctor again',
      });
      expected = undefined;
    }
    problems.push(...(await lockProblems(repo, spec.tools.map((t) => t.name))));
  } catch (err) {
    if (!(err instanceof SpecError)) throw err;
    for (const line of err.problems) problems.push({ check: 'spec', path: 'mcp-gen.json', message: line, fix: 'correct mcp-gen.json (its $schema helps editors)' });
  }

  if (Object.keys(repo.manifest).length === 0) {
    problems.push({ check: 'manifest', path: '.mcp-gen/manifest.json', message: 'missing or empty', fix: 'restore it from git' });
  }
  for (const [path, entry] of Object.entries(repo.manifest).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (isStateFile(path)) continue;
    const disk = await repo.readDisk(path);
    if (disk === undefined) continue;
    if (entry.class === 'managed' && sha256(disk) !== entry.sha256) {
      problems.push({ check: 'managed-edited', path, message: 'generated file edited by hand; the next mcp-gen change will regenerate it', fix: 'move the change into mcp-gen.json, a tool file or a merged file, or restore it from git' });
    }
    if (entry.class === 'merged' && (await repo.readBase(path)) === undefined) {
      problems.push({ check: 'missing-base', path, message: `no merge base in ${BASE_ARCHIVE}; an upgrade cannot merge this file three ways`, fix: `restore ${BASE_ARCHIVE} (before 0.5.0: ${LEGACY_BASE_DIR}/) from git` });
    }
    if (holdsConflictMarkers(entry, disk)) {
      problems.push({ check: 'conflict-markers', path, message: 'holds unresolved conflict markers (<<<<<<< / >>>>>>>)', fix: 'resolve the conflict and remove the markers' });
    }
  }

  if (expected) for (const kind of ITEM_KINDS) problems.push(...(await itemFileProblems(repo, kind, expected[kind])));
  return problems;
}

type ItemKind = 'tool' | 'resource' | 'prompt';
const ITEM_KINDS: readonly ItemKind[] = ['tool', 'resource', 'prompt'];
const ITEM_FOLDER: Record<ItemKind, string> = { tool: 'src/tools', resource: 'src/resources', prompt: 'src/prompts' };
const DEFINE: Record<ItemKind, string> = { tool: 'defineTool(', resource: 'defineResource(', prompt: 'definePrompt(' };

/** Files of tools (resources, prompts) that mcp-gen.json does not list, and ones it lists that are gone. */
async function itemFileProblems(repo: RepoState, kind: ItemKind, files: readonly string[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  const folder = ITEM_FOLDER[kind];
  // Recursive: a dotted name lives in a folder per namespace (crm.search -> crm/search.ts).
  const listed = await readdir(join(repo.dir, folder), { recursive: true }).catch(() => [] as string[]);
  const onDisk = listed.map((f) => f.split(sep).join('/')).filter((f) => f.endsWith('.ts') && f !== 'registry.ts');
  for (const file of onDisk.filter((f) => !files.includes(f)).sort()) {
    // A module of the user's beside them (helpers, shared schemas) is not one of them.
    if (!(await repo.readDisk(`${folder}/${file}`))?.includes(DEFINE[kind])) continue;
    const fix = kind === 'tool' ? 'add it with mcp-gen add-tool (and move your code in), or delete it' : `add it to mcp-gen.json's ${kind}s and run mcp-gen upgrade (your file stays), or delete it`;
    problems.push({ check: `unregistered-${kind}`, path: `${folder}/${file}`, message: `a ${kind} file that is not in mcp-gen.json, so not registered or served`, fix });
  }
  for (const file of files.filter((f) => !onDisk.includes(f))) {
    problems.push({ check: `missing-${kind}-file`, path: `${folder}/${file}`, message: `a ${kind} in mcp-gen.json has no file; the build fails`, fix: `restore it from git, or remove the ${kind} from mcp-gen.json` });
  }
  return problems;
}

/** Conflict markers left in a file the user owns or merges (managed files are regenerated anyway). */
function holdsConflictMarkers(entry: ManifestEntry, disk: string): boolean {
  return entry.class !== 'managed' && CONFLICT_MARKER.test(disk);
}

/** The repo's files still holding unresolved conflict markers: what `upgrade --check` reports. */
export async function conflictMarkerPaths(repo: RepoState): Promise<string[]> {
  const paths: string[] = [];
  for (const [path, entry] of Object.entries(repo.manifest).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (isStateFile(path)) continue;
    const disk = await repo.readDisk(path);
    if (disk !== undefined && holdsConflictMarkers(entry, disk)) paths.push(path);
  }
  return paths;
}

async function lockProblems(repo: RepoState, tools: string[]): Promise<Problem[]> {
  const text = await repo.readDisk(LOCK_FILE);
  const fix = 'run npm run contract -- --update after bumping versions, and commit the lock';
  if (text === undefined) return [{ check: 'lock', path: LOCK_FILE, message: 'missing', fix }];
  let locked: string[];
  try {
    locked = Object.keys((JSON.parse(text) as { tools: Record<string, unknown> }).tools ?? {});
  } catch (err) {
    return [{ check: 'lock', path: LOCK_FILE, message: `not valid JSON (${(err as Error).message})`, fix: 'restore it from git' }];
  }
  const problems: Problem[] = [];
  for (const name of tools.filter((t) => !locked.includes(t))) problems.push({ check: 'lock', path: LOCK_FILE, message: `stale: tool ${name} is not in the lock`, fix });
  for (const name of locked.filter((t) => !tools.includes(t))) problems.push({ check: 'lock', path: LOCK_FILE, message: `stale: the lock holds ${name}, which is no longer a tool (removing a tool is a breaking change)`, fix });
  return problems;
}
