/**
 * The built generator renders with templates precompiled at build time; running from source
 * compiles them on demand. Both must give the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/spec/parse.js';
import { renderProject as fromSource } from '../../src/render/render-project.js';

describe('precompiled templates', () => {
  it('the build renders exactly what the source renders', async () => {
    const built = (await import(new URL('../../dist/render/render-project.js', import.meta.url).href)) as {
      renderProject: typeof fromSource;
    };
    const { loadLayer } = (await import(new URL('../../dist/render/layers.js', import.meta.url).href)) as {
      loadLayer: (id: string) => Promise<{ files: Array<{ path: string; contents: string }>; slices: Map<string, string>; precompiled?: Record<string, unknown> }>;
    };
    // Every template of this build is in the module of the layer it is loaded with: the
    // renderer's lookup by source hash hits.
    const { readdir } = await import('node:fs/promises');
    const { createHash } = await import('node:crypto');
    const hash = (source: string) => createHash('sha256').update(source).digest('hex');
    const modules = new URL('../../dist/render/precompiled/', import.meta.url);
    const layerIds = (await readdir(modules, { recursive: true })).map((f) => f.split('\\').join('/')).filter((f) => f.endsWith('.cjs')).map((f) => f.slice(0, -'.cjs'.length));
    const covered: string[] = [];
    for (const id of layerIds) {
      const layer = await loadLayer(id);
      const templates = [
        ...layer.files.filter((f) => f.path.endsWith('.hbs')).map((f) => [f.path, f.contents] as const),
        ...[...layer.slices].map(([slot, source]) => [`slices/${slot}.hbs`, source] as const),
      ];
      for (const [path, source] of templates) {
        expect(layer.precompiled, `${id}/${path} is not precompiled: run npm run build`).toHaveProperty([hash(source)]);
        covered.push(`${id}/${path}`);
      }
    }
    const dir = new URL('../../templates/', import.meta.url);
    const all = (await readdir(dir, { recursive: true })).map((f) => f.split('\\').join('/')).filter((f) => f.endsWith('.hbs'));
    expect(all.length).toBeGreaterThan(10);
    expect(covered.sort()).toEqual(all.sort());
    for (const transport of ['stdio', 'http', 'both'] as const) {
      const spec = parseSpec({ name: 'same', transport, tools: [{ name: 'get_a' }, { name: 'create_b', access: 'write' }] });
      const [a, b] = await Promise.all([fromSource(spec), built.renderProject(spec)]);
      expect([...b.entries()]).toEqual([...a.entries()]);
    }
  });
});

describe('templates manifest', () => {
  it('the build reads each layer as the source walks it: files in order, slices, data and file classes', async () => {
    const { loadLayer: fromWalk, TEMPLATES_DIR } = await import('../../src/render/layers.js');
    const built = (await import(new URL('../../dist/render/layers.js', import.meta.url).href)) as {
      loadLayer: typeof fromWalk;
      packagedTemplatesManifest: (dir: string) => unknown;
      TEMPLATES_DIR: string;
    };
    expect(built.packagedTemplatesManifest(built.TEMPLATES_DIR), 'no dist/render/templates-manifest.json: run npm run build').toBeDefined();
    const { readdir } = await import('node:fs/promises');
    const layerIds = (await readdir(TEMPLATES_DIR, { recursive: true }))
      .map((f) => f.split('\\').join('/'))
      .filter((f) => f.endsWith('/layer.json'))
      .map((f) => f.slice(0, -'/layer.json'.length));
    expect(layerIds).toContain('tool');
    for (const id of layerIds) {
      const [walked, listed] = await Promise.all([fromWalk(id), built.loadLayer(id)]);
      const shape = (layer: typeof walked) => ({ id: layer.id, data: layer.data, files: layer.files, slices: [...layer.slices] });
      expect(shape(listed), id).toEqual(shape(walked));
      // Every path a layer writes, and every glob as a path, gets the same class either way.
      const paths = [...walked.files.map((f) => f.path.replace(/\.hbs$/, '')), ...walked.data.scaffold, ...walked.data.managed, 'src/x.ts', '.env'];
      for (const path of paths) expect(listed.classOf(path), `${id}: ${path}`).toBe(walked.classOf(path));
    }
  });
});
