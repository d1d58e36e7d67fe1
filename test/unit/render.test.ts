import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSpec } from '../../src/spec/parse.js';
import { outputPath } from '../../src/render/render-project.js';
import { renderRepo } from '../../src/commands/render-repo.js';
import { TEMPLATES_DIR } from '../../src/render/layers.js';
import { dependencyVersions } from '../../src/render/dependency-versions.js';
import { BASE_ARCHIVE, sha256 } from '../../src/upgrade/state-files.js';
import { decodeBaseArchive } from '../../src/upgrade/base-archive.js';
import { GENERATOR_VERSION } from '../../src/version.js';
import { toolsLock } from '../../src/contract/tools-lock.js';
import { inputZodSchema, inputZodSource } from '../../src/spec/param-zod.js';
import { z } from 'zod';

const fixtures = fileURLToPath(new URL('../fixtures/templates/', import.meta.url));
const spec = parseSpec({
  name: 'crm-mcp',
  title: 'CRM',
  transport: 'both',
  tools: [
    { name: 'crm.search_accounts', access: 'read' },
    { name: 'create_note', access: 'write', params: [{ name: 'text', type: 'string', description: 'Say "hi"' }] },
  ],
});

describe('rendering (fixture templates)', () => {
  it('layers folders, renders .hbs, copies plain files and renames special paths', async () => {
    const tree = await renderRepo(spec, { templatesDir: fixtures });
    const files = tree.paths().filter((p) => !p.startsWith('.mcp-gen/'));
    expect(files).toEqual([
      '.gitignore',
      'README.md',
      'auth.ts',
      'bin/run.sh',
      'compose.yaml',
      'contracts/tools.lock.json',
      'http.ts',
      'mcp-gen.json',
      'package.json',
      'sample.ts',
      'src/plain.ts',
      'src/registry.ts',
      'src/tools/create_note.ts',
      'src/tools/crm/search_accounts.ts',
      'stdio.ts',
    ]);
    expect(tree.get('README.md')!.contents).toBe('# CRM\n\n- crm.search_accounts (read)\n- create_note (write)\n');
    expect(tree.get('src/plain.ts')!.contents).toBe('export const plain = "{{not a template}}";\n');
    expect(tree.get('auth.ts')!.contents).toBe('export const auth = "api-key";\n');
    expect(tree.get('bin/run.sh')!.mode).toBe(0o755);
    expect(tree.get('src/registry.ts')!.contents).toBe(
      'import { crmSearchAccounts } from "./tools/crm/search_accounts.js";\nimport { createNote } from "./tools/create_note.js";\n',
    );
    expect(tree.get('src/tools/create_note.ts')!.contents).toBe(
      'export const createNote = { name: "create_note", input: z.strictObject({\n  text: z.string().describe("Say \\"hi\\""),\n}) };\n',
    );
  });

  it('selects only the layers the spec asks for', async () => {
    const stdioOnly = await renderRepo({ ...spec, transport: 'stdio', auth: 'none' }, { templatesDir: fixtures });
    expect(stdioOnly.has('stdio.ts')).toBe(true);
    expect(stdioOnly.has('http.ts')).toBe(false);
    expect(stdioOnly.get('auth.ts')!.contents).toBe('export const auth = "none";\n');
    // The deploy layer (compose, Kubernetes) only for HTTP servers with authentication.
    expect(stdioOnly.has('compose.yaml')).toBe(false);
    const httpNone = await renderRepo({ ...spec, transport: 'http', auth: 'none' }, { templatesDir: fixtures });
    expect(httpNone.has('compose.yaml')).toBe(false);
    const httpApiKey = await renderRepo({ ...spec, transport: 'http', auth: 'api-key' }, { templatesDir: fixtures });
    expect(httpApiKey.get('compose.yaml')!.contents).toBe('name: crm-mcp\n');
  });

  it('computes package.json from the layers, with versions from one place, sorted', async () => {
    const tree = await renderRepo(spec, { templatesDir: fixtures });
    const pkg = JSON.parse(tree.get('package.json')!.contents);
    expect(pkg.name).toBe('crm-mcp');
    expect(pkg.dependencies).toEqual({
      '@modelcontextprotocol/server': dependencyVersions['@modelcontextprotocol/server'],
      zod: dependencyVersions.zod,
    });
    expect(Object.keys(pkg.devDependencies)).toEqual(['typescript', 'vitest']);
    expect(pkg.scripts).toEqual({ build: 'tsc' });
  });

  it('classifies files and records manifest hashes and merge bases', async () => {
    const tree = await renderRepo(spec, { templatesDir: fixtures });
    const manifest = JSON.parse(tree.get('.mcp-gen/manifest.json')!.contents);
    expect(manifest.files['src/tools/create_note.ts'].class).toBe('scaffold');
    expect(manifest.files['src/registry.ts'].class).toBe('managed');
    expect(manifest.files['README.md'].class).toBe('merged');
    expect(manifest.files['README.md'].sha256).toBe(sha256(tree.get('README.md')!.contents));
    expect(manifest.files['mcp-gen.json']).toBeUndefined();
    const bases = decodeBaseArchive(Buffer.from(tree.get(BASE_ARCHIVE)!.contents, 'base64'));
    expect(bases.get('README.md')).toBe(tree.get('README.md')!.contents);
    expect(bases.has('src/registry.ts')).toBe(false);
    expect(bases.has('src/tools/create_note.ts')).toBe(false);
    const state = JSON.parse(tree.get('mcp-gen.json')!.contents);
    expect(state.$schema).toBe('./.mcp-gen/mcp-gen.schema.json');
    expect(state.tools.map((t: { name: string }) => t.name)).toEqual(['crm.search_accounts', 'create_note']);
    // mcp-gen.json is the spec the repo was rendered from: read back, it is the same spec.
    const { $schema: _schema, generator, ...answers } = state;
    expect(generator).toEqual({ version: GENERATOR_VERSION, migrations: [] });
    expect(parseSpec(answers)).toEqual(spec);
  });

  it('is deterministic: the same spec renders byte-identical trees', async () => {
    const a = await renderRepo(spec, { templatesDir: fixtures });
    const b = await renderRepo(parseSpec(JSON.parse(JSON.stringify(spec))), { templatesDir: fixtures });
    expect([...b.entries()]).toEqual([...a.entries()]);
  });

  it('names the template when a variable is misspelt (strict mode)', async () => {
    const { compileTemplate } = await import('../../src/render/handlebars-env.js');
    expect(() => compileTemplate('{{project.titel}}', 'base/README.md.hbs')({ project: {} })).toThrow(
      /template base\/README\.md\.hbs: "titel" not defined/,
    );
  });

  it('maps template paths', () => {
    expect(outputPath('a/_gitignore', {})).toBe('a/.gitignore');
    expect(outputPath('src/x.ts.hbs', {})).toBe('src/x.ts');
    expect(() => outputPath('src/__tool__.ts', {})).toThrow(/outside the tool layer/);
  });
});

describe('contract lock', () => {
  it('holds the JSON Schema the SDK lists for each tool, sorted by name', () => {
    const lock = toolsLock(spec);
    expect(Object.keys(lock.tools)).toEqual(['create_note', 'crm.search_accounts']);
    expect(lock.tools.create_note).toEqual({
      version: '1.0.0',
      title: 'Create note',
      description: "Create note. Creates a record in the caller's tenant and returns it.",
      access: 'write',
      inputSchema: {
        type: 'object',
        properties: { text: { type: 'string', description: 'Say "hi"' } },
        required: ['text'],
        additionalProperties: false,
      },
    });
  });

  it('builds the same schema from source text as from the live zod object', () => {
    const params = spec.tools.flatMap((t) => t.params);
    const fromSource = new Function('z', `return ${inputZodSource(params)}`)(z) as z.ZodObject;
    expect(z.toJSONSchema(fromSource)).toEqual(z.toJSONSchema(inputZodSchema(params)));
  });
});

describe('the real templates', () => {
  it('name only dependencies whose versions are pinned in dependency-versions.ts', async () => {
    const layers: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const e of await readdir(dir, { withFileTypes: true })) {
        if (e.isDirectory()) await walk(join(dir, e.name));
        else if (e.name === 'layer.json') layers.push(join(dir, e.name));
      }
    };
    await walk(TEMPLATES_DIR);
    expect(layers.length).toBeGreaterThan(0);
    for (const file of layers) {
      const data = JSON.parse(await readFile(file, 'utf8'));
      for (const dep of [...(data.dependencies ?? []), ...(data.devDependencies ?? [])]) {
        expect(dependencyVersions, `${file} names ${dep}`).toHaveProperty([dep]);
      }
    }
  });

  it('render deterministically for every transport and auth', async () => {
    for (const transport of ['stdio', 'http', 'both'] as const) {
      for (const auth of ['none', 'api-key'] as const) {
        const s = parseSpec({ name: 'x', transport, auth, tools: [{ name: 'get_a' }, { name: 'create_b', access: 'write' }] });
        const a = await renderRepo(s);
        const b = await renderRepo(s);
        expect([...a.entries()]).toEqual([...b.entries()]);
        expect(a.has('src/tools/get_a.ts')).toBe(true);
      }
    }
  });
});
