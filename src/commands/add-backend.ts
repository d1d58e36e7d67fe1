/**
 * add-backend: (repo state, backend kind) -> the changes that add it. Writes nothing.
 * The backend joins mcp-gen.json; the re-render adds its adapter layer, regenerates the
 * backend index, and merges its settings into config, package.json and the docs.
 */
import { SpecError } from '../spec/issues.js';
import type { RepoState } from '../upgrade/repo-state.js';
import { currentSpec, inMcpGenJson, respec, type Respec } from './respec.js';

export async function planAddBackend(repo: RepoState, kind: string): Promise<Respec> {
  return respec(repo, () => {
    const current = currentSpec(repo);
    if (current.backends.some((b) => b.kind === kind)) {
      throw new SpecError([`<kind>: "${kind}" is already a backend of this repo`]);
    }
    return {
      raw: { ...(repo.rawSpec as Record<string, unknown>), backends: [...current.backends, { kind }] },
      label: (path) => (path[0] === 'backends' && path[1] === current.backends.length ? `<kind>` : inMcpGenJson(path)),
    };
  });
}
