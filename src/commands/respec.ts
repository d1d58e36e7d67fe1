/**
 * The path every command that changes a generated repo's spec takes (add-tool, add-backend,
 * upgrade): edit the spec -> parse it -> render the repo -> plan the changes against the disk.
 * Writes nothing.
 */
import type { FileTree } from '../render/file-tree.js';
import type { ChangeList } from '../apply/changes.js';
import { parseSpec } from '../spec/parse.js';
import { formatPath, type FieldLabeler } from '../spec/issues.js';
import type { CompleteProjectSpec } from '../spec/tool-defaults.js';
import { planUpdate } from '../upgrade/plan-update.js';
import type { RepoState } from '../upgrade/repo-state.js';
import { BASE_ARCHIVE } from '../upgrade/state-files.js';
import { renderRepo } from './render-repo.js';
import { requireSameGenerator } from './same-generator.js';

export interface SpecEdit {
  /** The edited spec, as raw input (mcp-gen.json's shape). */
  raw: unknown;
  /** Names a refused field for the reader; default: its place in mcp-gen.json. */
  label?: FieldLabeler;
  /** The generator that writes the repo, when not the one the spec names (upgrade). */
  generator?: CompleteProjectSpec['generator'];
  /** Runs on the new render before it is planned (upgrade's `after` migrations). */
  afterRender?: (tree: FileTree) => Promise<void>;
}

export interface Respec {
  spec: CompleteProjectSpec;
  changes: ChangeList;
}

export const inMcpGenJson: FieldLabeler = (path) => `mcp-gen.json: ${formatPath(path)}`;

export async function respec(repo: RepoState, edit: (repo: RepoState) => SpecEdit | Promise<SpecEdit>): Promise<Respec> {
  const { raw, label = inMcpGenJson, generator, afterRender } = await edit(repo);
  const parsed = parseSpec(raw, label);
  const spec: CompleteProjectSpec = generator ? { ...parsed, generator } : parsed;
  const archive = await repo.readDisk(BASE_ARCHIVE);
  const tree = await renderRepo(spec, {}, archive === undefined ? undefined : { archive: Buffer.from(archive, 'base64'), manifest: repo.manifest });
  await afterRender?.(tree);
  return { spec, changes: await planUpdate(tree, repo) };
}

/**
 * The repo's spec as it is, for an edit of it: only on a repo this generator version wrote
 * (add-tool and add-backend re-render with this version's templates; see same-generator.ts).
 */
export function currentSpec(repo: RepoState): CompleteProjectSpec {
  requireSameGenerator(repo);
  return parseSpec(repo.rawSpec, inMcpGenJson);
}
