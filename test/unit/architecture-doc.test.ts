/**
 * docs/architecture.md is the repository's map: the citations point at it, and what it names
 * exists (files, migrations), so a rename that leaves it behind fails here.
 */
import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIGRATIONS } from '../../src/upgrade/migrations.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFile(join(ROOT, path), 'utf8');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { recursive: true, withFileTypes: true });
  // A link is a file too (src/lint/tool-rules.ts links to the template's lint rules).
  return entries.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => join(e.parentPath, e.name).slice(ROOT.length));
}

describe('docs/architecture.md', () => {
  it('is what sources and docs cite, and the README links it', async () => {
    const files = [...(await filesUnder('src')), ...(await filesUnder('templates')), ...(await filesUnder('test')).filter((f) => !f.startsWith('test/fixtures/')), 'README.md'];
    const citing: string[] = [];
    for (const file of files) if ((await read(file)).includes('DESIGN' + '.md')) citing.push(file);
    expect(citing).toEqual([]);
    expect(await read('README.md')).toContain('[docs/architecture.md](docs/architecture.md)');
  });

  it('names only files that exist', async () => {
    const doc = await read('docs/architecture.md');
    const known = new Set([...(await filesUnder('src')), ...(await filesUnder('templates'))].map((f) => f.replace(/\.hbs$/, '')).flatMap((f) => [f, basename(f)]));
    const named = [...doc.matchAll(/`((?:src\/)?[\w/.-]+\.ts)`/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(15);
    const missing = named.filter((f) => !known.has(f) && ![...known].some((k) => k.endsWith(`/${f}`)));
    expect(missing).toEqual([]);
  });

  it('lists every migration', async () => {
    const doc = await read('docs/architecture.md');
    for (const migration of MIGRATIONS) expect(doc).toContain(`\`${migration.id}\``);
  });
});
