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
    const precompiled = (await import(new URL('../../dist/render/precompiled-templates.js', import.meta.url).href)) as {
      default: Record<string, unknown>;
    };
    // Every template of this build is there: the renderer's lookup by source hash hits.
    const { readdir, readFile } = await import('node:fs/promises');
    const { createHash } = await import('node:crypto');
    const dir = new URL('../../templates/', import.meta.url);
    const templates = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.hbs'));
    expect(templates.length).toBeGreaterThan(10);
    for (const file of templates) {
      const hash = createHash('sha256').update(await readFile(new URL(file, dir), 'utf8')).digest('hex');
      expect(precompiled.default, `${file} is not precompiled: run npm run build`).toHaveProperty([hash]);
    }
    for (const transport of ['stdio', 'http', 'both'] as const) {
      const spec = parseSpec({ name: 'same', transport, tools: [{ name: 'get_a' }, { name: 'create_b', access: 'write' }] });
      const [a, b] = await Promise.all([fromSource(spec), built.renderProject(spec)]);
      expect([...b.entries()]).toEqual([...a.entries()]);
    }
  });
});
