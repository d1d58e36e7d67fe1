/**
 * What the docs state as fact, stated once: the Node.js floor, the Inspector version, the
 * generated README's title. Each is checked where a reader meets it.
 */
import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseSpec } from '../../src/spec/parse.js';
import { renderRepo } from '../../src/commands/render-repo.js';
import { nextSteps } from '../../src/cli/next-steps.js';
import { INSPECTOR_MAJOR, NODE_FLOOR } from '../../src/render/dependency-versions.js';

const root = (path: string) => readFile(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');
const specFor = (transport: string) => parseSpec({ name: 'crm-mcp', transport, tools: [{ name: 'search_customers' }] });

describe('the Node.js floor is one number', () => {
  it('in the root README and package.json, and in the generated package.json and README', async () => {
    const tree = await renderRepo(specFor('both'));
    const found = {
      rootReadme: /\(Node >= (\d+\.\d+)\)/.exec(await root('README.md'))?.[1],
      rootPackage: /^>=(\d+\.\d+)$/.exec(JSON.parse(await root('package.json')).engines.node)?.[1],
      generatedPackage: /^>=(\d+\.\d+)$/.exec(JSON.parse(tree.get('package.json')!.contents).engines.node)?.[1],
      generatedReadme: /^Node\.js (\d+\.\d+) or later\.$/m.exec(tree.get('README.md')!.contents)?.[1],
    };
    expect(found).toEqual({ rootReadme: NODE_FLOOR, rootPackage: NODE_FLOOR, generatedPackage: NODE_FLOOR, generatedReadme: NODE_FLOOR });
    // No other Node.js version is given as a requirement in the generated README.
    expect(tree.get('README.md')!.contents).not.toMatch(/\(Node (\d+(\.\d+)?) or later\)/);
  });
});

describe('the MCP Inspector is one version', () => {
  it.each(['stdio', 'http', 'both'])('%s: next steps, README, RUNBOOK and npm run inspect agree', async (transport) => {
    const spec = specFor(transport);
    const tree = await renderRepo(spec);
    const versions = (text: string) => [...text.matchAll(/@modelcontextprotocol\/inspector@([\w.-]+)/g)].map((m) => m[1]);
    const sources = {
      nextSteps: versions(nextSteps(spec, '/tmp/crm-mcp', true)),
      readme: versions(tree.get('README.md')!.contents),
      runbook: versions(tree.get('RUNBOOK.md')!.contents),
      inspectScript: versions(JSON.parse(tree.get('package.json')!.contents).scripts.inspect),
    };
    for (const [where, found] of Object.entries(sources)) {
      expect(found.length, where).toBeGreaterThan(0);
      expect(new Set(found), where).toEqual(new Set([INSPECTOR_MAJOR]));
    }
  });
});

describe('the generated README', () => {
  it('is titled with the package name, not a guess at its words', async () => {
    const tree = await renderRepo(specFor('http'));
    expect(tree.get('README.md')!.contents.split('\n')[0]).toBe('# crm-mcp');
    expect(JSON.parse(tree.get('mcp-gen.json')!.contents).title).toBe('crm-mcp');
  });

  it('keeps a title the spec gives', async () => {
    const tree = await renderRepo(parseSpec({ name: 'crm-mcp', title: 'CRM for Claude', tools: [{ name: 'search_customers' }] }));
    expect(tree.get('README.md')!.contents.split('\n')[0]).toBe('# CRM for Claude');
  });
});
