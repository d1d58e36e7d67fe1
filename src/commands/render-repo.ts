/**
 * What a command writes for a spec: the project's files (render) plus the state the repo keeps
 * about itself (mcp-gen.json, the manifest, the merge bases: src/upgrade/state-files.ts).
 */
import { renderProject, type RenderOptions } from '../render/render-project.js';
import type { FileTree } from '../render/file-tree.js';
import type { CompleteProjectSpec } from '../spec/tool-defaults.js';
import { addStateFiles, type PreviousState } from '../upgrade/state-files.js';

/** `previous`: the repo's `.mcp-gen/base.json.gz` and manifest; the archive is reused when its bases are unchanged. */
export async function renderRepo(spec: CompleteProjectSpec, options: RenderOptions = {}, previous?: PreviousState): Promise<FileTree> {
  const tree = await renderProject(spec, options);
  await addStateFiles(tree, spec, spec.generator?.migrations ?? [], previous);
  return tree;
}
