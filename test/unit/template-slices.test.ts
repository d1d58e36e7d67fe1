/**
 * Slices (src/render/slices.ts): a layer's `slices/<slot>.hbs` are composed by other templates,
 * in layer order, and never written as files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseSpec } from '../../src/spec/parse.js';
import { renderProject } from '../../src/render/render-project.js';

let dir: string;
const files: Record<string, string> = {
  'base/README.md.hbs': '# {{project.name}}\n{{> notes/env}}\n---\n{{> auth/api-key:notes/env}}{{> auth/jwt:notes/env}}end\n',
  'base/slices/notes/env.hbs': 'base line\n',
  'transport/http/slices/notes/env.hbs': 'http line\n',
  'transport/stdio/empty.txt': '',
  'auth/api-key/slices/notes/env.hbs': 'api-key line for {{project.name}}\n',
  'auth/jwt/slices/notes/env.hbs': 'jwt line\n',
  'auth/none/empty.txt': '',
  'auth/token/empty.txt': '',
  'base/backends.md.hbs': '{{> notes/backend}}',
  'backend/sample/slices/notes/backend.hbs': 'sample\n',
  'backend/http/slices/notes/backend.hbs': 'http\n',
  'backend/sample/slices/tool/handler.hbs': 'sample handler of {{tool.name}}\n',
  'backend/postgres/slices/tool/handler.hbs': 'postgres handler of {{tool.name}}\n',
  'backend/http/empty.txt': '',
  'deploy/empty.txt': '',
  'tool/src/tools/__tool__.ts.hbs': '{{> (concat "backend/" tool.backend ":tool/handler")}}',
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slices-'));
  for (const [path, contents] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), contents);
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const spec = (over: object) =>
  parseSpec({ name: 'sliced', transport: 'http', auth: 'api-key', tools: [{ name: 'get_a' }], ...over });

describe('template slices', () => {
  it('composes a slot from every selected layer, in layer order', async () => {
    const tree = await renderProject(spec({}), { templatesDir: dir });
    expect(tree.get('README.md')!.contents).toBe(
      '# sliced\nbase line\nhttp line\napi-key line for sliced\n---\napi-key line for sliced\nend\n',
    );
    const stdio = await renderProject(spec({ transport: 'stdio', auth: 'jwt' }), { templatesDir: dir });
    expect(stdio.get('README.md')!.contents).toBe('# sliced\nbase line\njwt line\n---\njwt line\nend\n');
  });

  it('composes backends in a fixed order, whatever order the spec lists them in', async () => {
    for (const kinds of [['sample', 'http'], ['http', 'sample']]) {
      const tree = await renderProject(spec({ backends: kinds.map((kind) => ({ kind })) }), { templatesDir: dir });
      expect(tree.get('backends.md')!.contents).toBe('sample\nhttp\n');
    }
  });

  it('renders one layer with layer:slot, and nothing when that layer is not selected', async () => {
    const none = await renderProject(spec({ auth: 'none' }), { templatesDir: dir });
    expect(none.get('README.md')!.contents).toBe('# sliced\nbase line\nhttp line\n---\nend\n');
  });

  it('names a slice at render time with concat', async () => {
    const tree = await renderProject(
      spec({
        backends: [{ kind: 'sample' }, { kind: 'postgres' }, { kind: 'http' }],
        tools: [{ name: 'get_a' }, { name: 'get_b', backend: 'postgres' }, { name: 'get_c', backend: 'http' }],
      }),
      { templatesDir: dir },
    );
    expect(tree.get('src/tools/get_a.ts')!.contents).toBe('sample handler of get_a\n');
    expect(tree.get('src/tools/get_b.ts')!.contents).toBe('postgres handler of get_b\n');
    // A layer may leave a known slot empty.
    expect(tree.get('src/tools/get_c.ts')!.contents).toBe('');
  });

  it('never writes a slice as a file', async () => {
    const tree = await renderProject(spec({}), { templatesDir: dir });
    expect(tree.paths().filter((p) => p.includes('slices') || p.startsWith('notes'))).toEqual([]);
  });

  it('refuses a slot no layer provides, naming the template', async () => {
    await writeFile(join(dir, 'base/TYPO.md.hbs'), '{{> notes/evn}}\n');
    try {
      await expect(renderProject(spec({}), { templatesDir: dir })).rejects.toThrow(
        /template base\/TYPO\.md\.hbs: The partial notes\/evn could not be found/,
      );
    } finally {
      await rm(join(dir, 'base/TYPO.md.hbs'));
    }
  });
});
