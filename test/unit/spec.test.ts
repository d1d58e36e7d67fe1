import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/spec/parse.js';
import { SpecError } from '../../src/spec/issues.js';
import { parseParamList } from '../../src/spec/param-syntax.js';
import { titleFromName } from '../../src/spec/tool-defaults.js';

const tool = (name: string, extra: Record<string, unknown> = {}) => ({ name, ...extra });
const spec = (extra: Record<string, unknown> = {}) => ({ name: 'crm-mcp', tools: [tool('search_customers')], ...extra });

function problems(input: unknown): string[] {
  try {
    parseSpec(input);
  } catch (err) {
    if (err instanceof SpecError) return err.problems;
    throw err;
  }
  throw new Error('expected the spec to be refused');
}

describe('spec validation', () => {
  it('accepts a minimal spec and fills every default', () => {
    const s = parseSpec(spec());
    expect(s).toMatchObject({ transport: 'http', auth: 'api-key', backends: [{ kind: 'sample' }], title: 'crm-mcp' });
    expect(s.tools[0]).toMatchObject({
      name: 'search_customers',
      title: 'Search customers',
      access: 'read',
      version: '1.0.0',
      scopes: ['tools:read'],
      backend: 'sample',
    });
    // No params means none: nothing the spec did not ask for (it once got query and limit).
    expect(s.tools[0]!.params).toEqual([]);
  });

  it('names an unknown transport and what is allowed', () => {
    expect(problems(spec({ transport: 'ftp' }))).toEqual(['transport: "ftp" is not allowed; expected one of stdio, http, both']);
  });

  it('accepts every auth model, and names the allowed ones for an unknown', () => {
    for (const auth of ['none', 'api-key', 'jwt', 'oauth']) expect(parseSpec(spec({ auth })).auth).toBe(auth);
    expect(problems(spec({ auth: 'kerberos' }))[0]).toMatch(/^auth: "kerberos" is not allowed; expected one of none, api-key, jwt, oauth/);
  });

  it('defaults a tool\'s approval to none, and takes client or human on a write tool', () => {
    expect(parseSpec(spec()).tools[0]!.approval).toBe('none');
    const s = parseSpec(spec({ tools: [tool('create_a', { access: 'write', approval: 'client' }), tool('create_b', { access: 'write', approval: 'human' })] }));
    expect(s.tools.map((t) => t.approval)).toEqual(['client', 'human']);
  });

  it('refuses approval on a read tool, naming the field', () => {
    expect(problems(spec({ tools: [tool('get_a', { approval: 'client' })] }))).toEqual([
      'tools[0].approval: "client" is not allowed on a read tool; approval applies to write tools only (use "none", or make the tool access "write")',
    ]);
    expect(problems(spec({ tools: [tool('create_a', { access: 'write', approval: 'always' })] }))[0]).toBe(
      'tools[0].approval: "always" is not allowed; expected one of none, client, human',
    );
  });

  it('takes a read tool\'s cache and any tool\'s response budget, and refuses a cache on a write tool', () => {
    const s = parseSpec(spec({ tools: [tool('get_a', { cache: { ttlSeconds: 60 }, maxResponseTokens: 4000 }), tool('get_b')] }));
    expect(s.tools[0]).toMatchObject({ cache: { ttlSeconds: 60 }, maxResponseTokens: 4000 });
    expect(s.tools[1]!.cache).toBeUndefined();
    expect(s.tools[1]!.maxResponseTokens).toBeUndefined();
    expect(problems(spec({ tools: [tool('create_a', { access: 'write', cache: { ttlSeconds: 60 } })] }))).toEqual([
      'tools[0].cache: is not allowed on a write tool; only read tools are cached (a write drops the cached answers of its tenant instead)',
    ]);
    expect(problems(spec({ tools: [tool('get_a', { cache: { ttlSeconds: 0 }, maxResponseTokens: 10 })] }))).toEqual([
      'tools[0].cache.ttlSeconds: 0 Too small: expected number to be >=1',
      'tools[0].maxResponseTokens: 10 Too small: expected number to be >=100',
    ]);
  });

  it('refuses human approval where no approver could grant it', () => {
    const human = [tool('create_a', { access: 'write', approval: 'human' })];
    expect(problems(spec({ tools: human, transport: 'stdio' }))).toEqual([
      'tools[0].approval: "human" needs the http transport (approvers grant calls through its admin endpoint); use transport "http" or "both", or approval "client"',
    ]);
    expect(problems(spec({ tools: human, auth: 'none' }))).toEqual([
      'tools[0].approval: "human" needs an auth model that tells callers apart (the approver must not be the caller); use auth api-key, jwt or oauth',
    ]);
    const clash = [tool('create_a', { access: 'write', approval: 'human', params: [{ name: 'approvalId', type: 'string' }] })];
    expect(problems(spec({ tools: clash }))[0]).toMatch(/^tools\[0\]\.params\[0\]\.name: "approvalId" is reserved/);
  });

  it.each(['has space', 'semi;colon', '', 'x'.repeat(65), 'ünïcode'])('refuses the tool name %j', (name) => {
    const [line] = problems(spec({ tools: [tool(name)] }));
    expect(line).toContain('tools[0].name:');
    expect(line).toContain('must be 1-64 characters of A-Z a-z 0-9 _ . -');
  });

  it('accepts tool names with dots, dashes and 64 characters (the lint refuses longer ones), and prompt names of 128', () => {
    expect(() => parseSpec(spec({ tools: [tool('crm.search-accounts'), tool('get_' + 'x'.repeat(60))] }))).not.toThrow();
    expect(problems(spec({ tools: [tool('get_' + 'x'.repeat(61))] }))[0]).toContain('must be 1-64 characters');
    expect(() => parseSpec(spec({ prompts: [{ name: 'brief_' + 'x'.repeat(122) }] }))).not.toThrow();
  });

  it('names the size of a list that is too long, not its items', () => {
    const tools = Array.from({ length: 501 }, (_, i) => tool(`get_${i}`));
    expect(problems(spec({ tools }))).toEqual(['tools: 501 items; expected at most 500']);
  });

  it('refuses duplicate tools, naming both', () => {
    expect(problems(spec({ tools: [tool('get_a'), tool('get_b'), tool('get_a')] }))).toEqual([
      'tools[2].name: "get_a" is a duplicate of tools[0]; tool names must be unique',
    ]);
  });

  it('refuses names that would collide on disk or in TypeScript', () => {
    expect(problems(spec({ tools: [tool('crm.get'), tool('crm..get')] }))[0]).toMatch(/share the file src\/tools\/crm\/get\.ts/);
    // A namespace folder and a tool of the namespace's name live side by side: crm/get.ts, crm.ts.
    expect(parseSpec(spec({ tools: [tool('crm.get'), tool('crm'), tool('crm-list')] })).tools).toHaveLength(3);
    expect(problems(spec({ tools: [tool('get.a'), tool('get_a')] }))[0]).toMatch(/share the TypeScript name getA/);
  });

  it('reports every problem at once, one line each', () => {
    const lines = problems({ name: 'Bad Name', transport: 'ftp', tools: [tool('a b', { access: 'delete' })], extra: 1 });
    expect(lines).toHaveLength(5);
    expect(lines).toEqual(
      expect.arrayContaining([
        '(spec): unknown field "extra"',
        expect.stringMatching(/^name: "Bad Name" must be a valid npm package name/),
        'transport: "ftp" is not allowed; expected one of stdio, http, both',
        'tools[0].access: "delete" is not allowed; expected one of read, write',
        expect.stringMatching(/^tools\[0\]\.name: "a b" must be/),
      ]),
    );
  });

  it('requires at least one tool and names missing fields', () => {
    expect(problems({ name: 'x', tools: [] })).toEqual(['tools: 0 items; expected at least 1']);
    expect(problems({ tools: [tool('get_x')] })).toEqual(['name: is required (string)']);
  });

  it('checks parameters: names, types, duplicates', () => {
    const lines = problems(
      spec({
        tools: [
          tool('get_x', {
            params: [
              { name: '1bad', type: 'string' },
              { name: 'ok', type: 'date' },
            ],
          }),
        ],
      }),
    );
    expect(lines).toEqual([
      'tools[0].params[0].name: "1bad" must be an identifier: a letter or _, then letters, digits or _ (at most 64)',
      'tools[0].params[1].type: "date" is not allowed; expected one of string, number, integer, boolean, string[], object, array',
    ]);
    // Cross-field rules run once every field is valid on its own.
    const dup = [
      { name: 'ok2', type: 'string' },
      { name: 'ok2', type: 'number' },
    ];
    expect(problems(spec({ tools: [tool('get_x', { params: dup })] }))).toEqual(['tools[0].params[1].name: "ok2" is listed twice']);
  });

  it('refuses a tool backend the spec does not have', () => {
    expect(problems(spec({ tools: [tool('get_x', { backend: 'postgres' })] }))).toEqual([
      'tools[0].backend: "postgres" is not one of this spec\'s backends (sample)',
    ]);
    expect(problems(spec({ tools: [tool('get_x', { backend: 'mysql' })] }))[0]).toMatch(/^tools\[0\]\.backend: "mysql" is not allowed/);
  });
});

describe('http bindings (imported tools)', () => {
  const bound = (extra: Record<string, unknown> = {}, http: Record<string, unknown> = {}) =>
    spec({
      backends: [{ kind: 'http' }],
      tools: [
        tool('get_pet', {
          params: [{ name: 'pet_id', type: 'string', format: 'uuid' }, { name: 'kind', type: 'string', enum: ['cat', 'dog'], required: false, default: 'cat' }],
          http: { method: 'GET', path: '/pets/{petId}', params: { pet_id: { in: 'path', name: 'petId' }, kind: { in: 'query', name: 'kind' } }, ...http },
          ...extra,
        }),
      ],
    });

  it('takes a binding with enum, default and format parameters', () => {
    const parsed = parseSpec(bound());
    expect(parsed.tools[0]!.http).toEqual({ method: 'GET', path: '/pets/{petId}', params: { pet_id: { in: 'path', name: 'petId' }, kind: { in: 'query', name: 'kind' } }, fixed: [] });
  });

  it('refuses a binding that does not say where each parameter goes, or leaves a placeholder empty', () => {
    expect(problems(bound({}, { params: { pet_id: { in: 'path', name: 'id' } } }))).toEqual([
      'tools[0].params[1].name: "kind" is not in http.params: say where the API takes it',
      'tools[0].http.path: {petId} has no parameter (in: "path") or fixed value',
      'tools[0].http.params: path parameter "id" is not a {placeholder} of /pets/{petId}',
    ]);
    expect(problems(bound({ access: 'write' }))).toEqual(['tools[0].access: must be "read" for an http GET (a GET or HEAD reads; other methods change data)']);
    expect(problems(bound({}, { method: 'DELETE' }))).toEqual(['tools[0].access: must be "write" for an http DELETE (a GET or HEAD reads; other methods change data)']);
    expect(problems({ ...bound(), backends: [{ kind: 'sample' }, { kind: 'http' }] })).toEqual([
      'tools[0].backend: must be "http" on a tool with an http binding (add the http backend: mcp-gen add-backend http)',
    ]);
  });

  it('keeps object, array, enum, default and format for bound tools', () => {
    expect(problems(spec({ tools: [tool('search_customers', { params: [{ name: 'filter', type: 'object' }, { name: 'state', type: 'string', enum: ['a'] }] })] }))).toEqual([
      'tools[0].params[0]: type "object" is only allowed on a tool with an http binding (one imported from an OpenAPI document)',
      'tools[0].params[1]: enum is only allowed on a tool with an http binding (one imported from an OpenAPI document)',
    ]);
  });
});

describe('parameter short form', () => {
  it('parses names, types and optional marks', () => {
    expect(parseParamList('query:string?, limit:integer?, tags:string[], id: string')).toEqual({
      problems: [],
      params: [
        { name: 'query', type: 'string', description: '', required: false },
        { name: 'limit', type: 'integer', description: '', required: false },
        { name: 'tags', type: 'string[]', description: '', required: true },
        { name: 'id', type: 'string', description: '', required: true },
      ],
    });
  });

  it('names what is wrong', () => {
    expect(parseParamList('when:date, nope').problems).toEqual([
      '"when:date": type "date" is not allowed; expected one of string, number, integer, boolean, string[]',
      '"nope" should look like name:type or name:type? (optional)',
    ]);
  });
});

describe('titles', () => {
  it.each([
    ['search_customers', 'Search customers'],
    ['crm.searchAccounts', 'Crm search accounts'],
    ['get-invoice', 'Get invoice'],
  ])('%s -> %s', (name, title) => expect(titleFromName(name)).toBe(title));
});

describe('resources and prompts', () => {
  it('stay empty unless asked, and fill every default when asked', () => {
    expect(parseSpec(spec())).toMatchObject({ resources: [], prompts: [] });
    const s = parseSpec(
      spec({
        resources: [{ name: 'catalog', uri: 'crm://catalog' }, { name: 'crm.customer', uriTemplate: 'crm://customers/{id}', mimeType: 'text/markdown' }],
        prompts: [{ name: 'brief', arguments: [{ name: 'account' }, { name: 'tone', required: false }] }],
      }),
    );
    expect(s.resources[0]).toEqual({
      name: 'catalog',
      title: 'Catalog',
      description: "Catalog: reference data of the caller's tenant, to read into context.",
      uri: 'crm://catalog',
      mimeType: 'application/json',
      version: '1.0.0',
      scopes: ['resources:read'],
      backend: 'sample',
    });
    expect(s.resources[1]).toMatchObject({ uriTemplate: 'crm://customers/{id}', mimeType: 'text/markdown' });
    expect(s.prompts[0]).toMatchObject({
      title: 'Brief',
      scopes: ['prompts:read'],
      arguments: [
        { name: 'account', description: '', required: true },
        { name: 'tone', description: '', required: false },
      ],
      message: 'Brief.\naccount: {account}\ntone: {tone}',
    });
  });

  it('names each problem: the URI form, duplicates, variables, backends, placeholders', () => {
    expect(
      problems(
        spec({
          resources: [
            { name: 'a', uri: 'crm://a', uriTemplate: 'crm://a/{id}' },
            { name: 'b' },
            { name: 'c', uriTemplate: 'crm://c' },
            { name: 'd', uriTemplate: 'crm://d/{id}/{id}', backend: 'postgres' },
            { name: 'e', uri: 'crm://a b' },
            { name: 'f', uri: 'crm://f' },
            { name: 'f', uri: 'crm://f' },
          ],
          prompts: [{ name: 'p', arguments: [{ name: 'x' }, { name: 'x' }], message: 'Use {y}' }],
        }),
      ),
    ).toEqual([
      'resources[4].uri: "crm://a b" must be an absolute URI with a scheme, like crm://schema (no spaces, quotes or braces)',
      'resources[6].name: "f" is a duplicate of resources[5]; names must be unique',
      'resources[0]: needs exactly one of uri (one resource) or uriTemplate (a family of resources)',
      'resources[1]: needs exactly one of uri (one resource) or uriTemplate (a family of resources)',
      'resources[2].uriTemplate: has no {variable}; use uri for a single resource',
      'resources[3].uriTemplate: names {id} twice',
      'resources[3].backend: "postgres" is not one of this spec\'s backends (sample)',
      'resources[6].uri: "crm://f" is also resources[5]\'s',
      'prompts[0].arguments[1].name: "x" is listed twice',
      'prompts[0].message: {y} is not one of the prompt\'s arguments (x, x)',
    ]);
  });

  it('refuses a resource or prompt named like a tool: rollout rules and audit records name them alike', () => {
    expect(problems(spec({ prompts: [{ name: 'search_customers' }] }))).toEqual([
      'prompts[0].name: "search_customers" is already a tool\'s name; tools, resources and prompts share one namespace',
    ]);
  });
});
