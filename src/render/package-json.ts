/** The generated package.json, computed as data from the layers (never templated text). */
import { dependencyVersions, NODE_FLOOR, type GeneratedDependency } from './dependency-versions.js';
import type { Layer } from './layers.js';
import type { CompleteProjectSpec } from '../spec/tool-defaults.js';

export function packageJson(spec: CompleteProjectSpec, layers: readonly Layer[]): string {
  const scripts: Record<string, string> = {};
  const deps = new Set<string>();
  const devDeps = new Set<string>();
  for (const layer of layers) {
    Object.assign(scripts, layer.data.scripts);
    layer.data.dependencies.forEach((d) => deps.add(d));
    layer.data.devDependencies.forEach((d) => devDeps.add(d));
  }
  for (const d of deps) devDeps.delete(d);
  const pkg = {
    name: spec.name,
    version: '0.1.0',
    private: true,
    description: spec.description,
    type: 'module',
    engines: { node: `>=${NODE_FLOOR}` },
    scripts,
    dependencies: pinned(deps),
    devDependencies: pinned(devDeps),
    // npm 11 asks about install scripts; esbuild's is only a download fallback it does not need.
    allowScripts: { esbuild: false },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

function pinned(names: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...names].sort()) {
    const version = dependencyVersions[name as GeneratedDependency];
    if (!version) throw new Error(`template names ${name}, which has no version in src/render/dependency-versions.ts`);
    out[name] = version;
  }
  return out;
}
