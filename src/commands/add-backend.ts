/**
 * add-backend: (repo state, backend kind) -> the update plan that adds it. Writes nothing.
 * The backend joins mcp-gen.json; the re-render adds its adapter layer, regenerates the
 * backend index, and merges its settings into config, package.json and the docs.
 */
import { parseSpec } from '../spec/parse.js';
import { SpecError, formatPath } from '../spec/issues.js';
import type { CompleteProjectSpec } from '../spec/tool-defaults.js';
import { renderProject } from '../render/render-project.js';
import { planUpdate, type UpdatePlan } from '../upgrade/plan-update.js';
import type { RepoState } from '../upgrade/repo-state.js';
import { requireSameGenerator } from './same-generator.js';

export async function planAddBackend(repo: RepoState, kind: string): Promise<{ spec: CompleteProjectSpec; plan: UpdatePlan }> {
  requireSameGenerator(repo);
  const current = parseSpec(repo.rawSpec, (path) => `mcp-gen.json: ${formatPath(path)}`);
  if (current.backends.some((b) => b.kind === kind)) {
    throw new SpecError([`<kind>: "${kind}" is already a backend of this repo`]);
  }
  const raw = repo.rawSpec as Record<string, unknown>;
  const spec = parseSpec({ ...raw, backends: [...current.backends, { kind }] }, (path) =>
    path[0] === 'backends' && path[1] === current.backends.length ? `<kind>` : `mcp-gen.json: ${formatPath(path)}`,
  );
  return { spec, plan: await planUpdate(await renderProject(spec), repo) };
}
