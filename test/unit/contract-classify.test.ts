import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkVersions,
  classifyChanges,
  requiredBump,
  type ChangeClass,
  type ContractDoc,
  type JsonSchema,
  type OperationContract,
  type ToolContract,
} from '../../templates/base/scripts/contract/classify.js';
import type { OperationLockEntry, ToolLockEntry } from '../../src/contract/tools-lock.js';

const T = 'search_customers';
const TODAY = '2026-01-15';

/** What the SDK lists for a zod schema: draft 2020-12, without `$schema`. */
function jsonIn(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = schema['~standard'].jsonSchema.input({ target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}
function jsonOut(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = schema['~standard'].jsonSchema.output({ target: 'draft-2020-12' }) as JsonSchema;
  return rest;
}

function tool(extra: Partial<ToolContract> = {}): ToolContract {
  return { version: '1.0.0', title: 'Search customers', access: 'read', inputSchema: jsonIn(z.object({ q: z.string() })), ...extra };
}
/** A before/after pair of tools differing only in their zod input schema. */
function input(before: z.ZodType, after: z.ZodType) {
  return { before: tool({ inputSchema: jsonIn(before) }), after: tool({ inputSchema: jsonIn(after) }) };
}
function output(before: z.ZodType, after: z.ZodType) {
  return { before: tool({ outputSchema: jsonOut(before) }), after: tool({ outputSchema: jsonOut(after) }) };
}
function raw(before: JsonSchema, after: JsonSchema) {
  return { before: tool({ inputSchema: before }), after: tool({ inputSchema: after }) };
}
function doc(...tools: Array<[string, ToolContract | undefined]>): ContractDoc {
  return { tools: Object.fromEntries(tools.filter((entry): entry is [string, ToolContract] => entry[1] !== undefined)) };
}

const Node: z.ZodType = z.object({ name: z.string(), get children() { return z.array(Node).optional(); } });
const NodeWithId: z.ZodType = z.object({ id: z.string(), name: z.string(), get children() { return z.array(NodeWithId).optional(); } });
const kindA = z.object({ kind: z.literal('a'), a: z.string() });
const kindB = z.object({ kind: z.literal('b'), b: z.number() });
const deprecated = (removeAfter: string) => tool({ deprecated: { replacement: 'find_customers', removeAfter } });

interface Case {
  name: string;
  before?: ToolContract;
  after?: ToolContract;
  cls: ChangeClass;
  fragment: string;
  path?: string;
  today?: string;
}

const cases: Case[] = [
  // ---- input: breaking
  { name: 'tool removed', before: tool(), cls: 'breaking', fragment: 'tool was removed without being deprecated first', path: 'tool' },
  { name: 'optional parameter removed (open object)', ...input(z.object({ q: z.string(), limit: z.number().optional() }), z.object({ q: z.string() })),
    cls: 'breaking', fragment: 'parameter "limit" was removed', path: 'input.properties.limit' },
  { name: 'parameter removed from a strict object', ...input(z.strictObject({ q: z.string(), x: z.string() }), z.strictObject({ q: z.string() })),
    cls: 'breaking', fragment: 'parameter "x" was removed' },
  { name: 'new required parameter', ...input(z.object({ q: z.string() }), z.object({ q: z.string(), region: z.string() })),
    cls: 'breaking', fragment: 'parameter "region" was added as a required parameter' },
  { name: 'optional parameter made required', ...input(z.object({ limit: z.number().optional() }), z.object({ limit: z.number() })),
    cls: 'breaking', fragment: 'search_customers: parameter "limit" became required (breaking)', path: 'input.properties.limit' },
  { name: 'number narrowed to integer', ...input(z.object({ n: z.number() }), z.object({ n: z.int() })),
    cls: 'breaking', fragment: 'type narrowed from number to integer', path: 'input.properties.n.type' },
  { name: 'nullable dropped (["string","null"] -> "string")', ...input(z.object({ s: z.string().nullable() }), z.object({ s: z.string() })),
    cls: 'breaking', fragment: 'type narrowed from null | string to string' },
  { name: 'type changed string -> number', ...input(z.object({ id: z.string() }), z.object({ id: z.number() })),
    cls: 'breaking', fragment: 'type changed from string to number' },
  { name: 'enum value removed', ...input(z.object({ s: z.enum(['open', 'closed']) }), z.object({ s: z.enum(['open']) })),
    cls: 'breaking', fragment: 'enum value "closed" removed', path: 'input.properties.s.enum' },
  { name: 'const changed', ...input(z.object({ v: z.literal('v1') }), z.object({ v: z.literal('v2') })),
    cls: 'breaking', fragment: 'const changed from "v1" to "v2"' },
  { name: 'minimum raised', ...input(z.object({ n: z.number().min(1) }), z.object({ n: z.number().min(5) })),
    cls: 'breaking', fragment: 'minimum raised from 1 to 5' },
  { name: 'maximum lowered', ...input(z.object({ n: z.number().max(100) }), z.object({ n: z.number().max(50) })),
    cls: 'breaking', fragment: 'maximum lowered from 100 to 50' },
  { name: 'inclusive minimum made exclusive', ...input(z.object({ n: z.number().min(0) }), z.object({ n: z.number().positive() })),
    cls: 'breaking', fragment: 'minimum changed from >= 0 to > 0' },
  { name: 'minLength raised', ...input(z.object({ q: z.string().min(1) }), z.object({ q: z.string().min(3) })),
    cls: 'breaking', fragment: 'minLength raised from 1 to 3' },
  { name: 'maxLength lowered', ...input(z.object({ q: z.string().max(200) }), z.object({ q: z.string().max(100) })),
    cls: 'breaking', fragment: 'maxLength lowered from 200 to 100' },
  { name: 'pattern added', ...input(z.object({ q: z.string() }), z.object({ q: z.string().regex(/^[a-z]+$/) })),
    cls: 'breaking', fragment: 'pattern "^[a-z]+$" added' },
  { name: 'pattern changed', ...input(z.object({ q: z.string().regex(/^[a-z]+$/) }), z.object({ q: z.string().regex(/^[a-z0-9]+$/) })),
    cls: 'breaking', fragment: 'pattern changed from "^[a-z]+$" to "^[a-z0-9]+$"' },
  { name: 'minItems raised', ...input(z.object({ ids: z.array(z.string()) }), z.object({ ids: z.array(z.string()).min(1) })),
    cls: 'breaking', fragment: 'minItems 1 added' },
  { name: 'maxItems lowered', ...input(z.object({ ids: z.array(z.string()).max(50) }), z.object({ ids: z.array(z.string()).max(10) })),
    cls: 'breaking', fragment: 'maxItems lowered from 50 to 10' },
  { name: 'format added', ...input(z.object({ e: z.string() }), z.object({ e: z.email() })),
    cls: 'breaking', fragment: 'format "email" added' },
  { name: 'additional properties closed', ...input(z.object({ q: z.string() }), z.strictObject({ q: z.string() })),
    cls: 'breaking', fragment: 'the input no longer accepts additional properties', path: 'input.additionalProperties' },
  { name: 'array items narrowed', ...input(z.object({ ids: z.array(z.number()) }), z.object({ ids: z.array(z.int()) })),
    cls: 'breaking', fragment: 'parameter "ids[]" type narrowed', path: 'input.properties.ids.items.type' },
  { name: 'nested object property made required', ...input(
    z.object({ filter: z.object({ status: z.string().optional() }) }), z.object({ filter: z.object({ status: z.string() }) })),
    cls: 'breaking', fragment: 'parameter "filter.status" became required', path: 'input.properties.filter.properties.status' },
  { name: 'nullable object made non-null (anyOf)', ...input(z.object({ f: z.object({ x: z.string() }).nullable() }), z.object({ f: z.object({ x: z.string() }) })),
    cls: 'breaking', fragment: 'parameter "f" type narrowed from null | object to object' },
  { name: 'union variant removed (discriminated, oneOf)', ...input(
    z.object({ q: z.discriminatedUnion('kind', [kindA, kindB]) }), z.object({ q: z.discriminatedUnion('kind', [kindA]) })),
    cls: 'breaking', fragment: 'parameter "q" lost union variant 2 (object, kind="b")', path: 'input.properties.q.oneOf[1]' },
  { name: 'union variant removed (anyOf of objects)', ...input(
    z.object({ q: z.union([kindA, kindB, z.string().min(2)]) }), z.object({ q: z.union([kindA, z.string().min(2)]) })),
    cls: 'breaking', fragment: 'lost union variant 2 (object, kind="b")' },
  { name: 'union variant changed (paired by discriminator)', ...input(
    z.object({ q: z.union([kindA, kindB]) }), z.object({ q: z.union([kindB, kindA.extend({ a: z.string().max(10) })]) })),
    cls: 'breaking', fragment: 'parameter "q.a" in union variant 1 (object, kind="a") maxLength 10 added', path: 'input.properties.q.anyOf[0].properties.a.maxLength' },
  { name: 'recursive $ref schema gains a required field', ...input(z.object({ tree: Node }), z.object({ tree: NodeWithId })),
    cls: 'breaking', fragment: 'parameter "tree.id" was added as a required parameter' },
  { name: 'unknown keyword (allOf) changed', ...raw(
    { type: 'object', properties: { a: { allOf: [{ type: 'string' }] } } }, { type: 'object', properties: { a: { allOf: [{ type: 'number' }] } } }),
    cls: 'breaking', fragment: 'changed in a way that cannot be checked automatically', path: 'input.properties.a.allOf' },
  { name: 'unresolvable $ref', ...raw(
    { type: 'object', properties: { a: { $ref: 'https://example.com/a.json' } } }, { type: 'object', properties: { a: { $ref: 'https://example.com/b.json' } } }),
    cls: 'breaking', fragment: 'cannot be checked automatically (unresolvable reference' },

  // ---- input: minor
  { name: 'new tool', after: tool(), cls: 'minor', fragment: 'search_customers: new tool (minor)' },
  { name: 'optional parameter added', ...input(z.object({ q: z.string() }), z.object({ q: z.string(), limit: z.number().optional() })),
    cls: 'minor', fragment: 'parameter "limit" was added (optional)' },
  { name: 'enum value added', ...input(z.object({ s: z.enum(['open']) }), z.object({ s: z.enum(['open', 'closed']) })),
    cls: 'minor', fragment: 'enum value "closed" added' },
  { name: 'limits loosened', ...input(z.object({ n: z.number().min(1).max(50) }), z.object({ n: z.number().max(100) })),
    cls: 'minor', fragment: 'maximum raised from 50 to 100' },
  { name: 'required parameter made optional', ...input(z.object({ limit: z.number() }), z.object({ limit: z.number().optional() })),
    cls: 'minor', fragment: 'parameter "limit" became optional' },
  { name: 'integer widened to number', ...input(z.object({ n: z.int() }), z.object({ n: z.number() })),
    cls: 'minor', fragment: 'type widened from integer to number' },
  { name: 'type added to a union', ...input(z.object({ id: z.string() }), z.object({ id: z.union([z.string(), z.number()]) })),
    cls: 'minor', fragment: 'type widened from string to number | string' },
  { name: 'object made nullable (anyOf)', ...input(z.object({ f: z.object({ x: z.string() }) }), z.object({ f: z.object({ x: z.string() }).nullable() })),
    cls: 'minor', fragment: 'type widened from object to null | object' },
  { name: 'union variant added', ...input(z.object({ q: z.union([kindA, z.string().min(2)]) }), z.object({ q: z.union([kindA, kindB, z.string().min(2)]) })),
    cls: 'minor', fragment: 'gained union variant 2 (object, kind="b")' },
  { name: 'plain string became a union with constraints', ...input(z.object({ q: z.string() }), z.object({ q: z.union([z.string(), z.number().min(0)]) })),
    cls: 'minor', fragment: 'gained union variant 2 (number)' },
  { name: 'additional properties opened', ...input(z.strictObject({ q: z.string() }), z.looseObject({ q: z.string() })),
    cls: 'minor', fragment: 'the input now accepts additional properties' },
  { name: 'format removed', ...input(z.object({ u: z.url() }), z.object({ u: z.string() })),
    cls: 'minor', fragment: 'format "uri" removed' },
  { name: 'tool marked deprecated', before: tool(), after: deprecated('2026-06-01'),
    cls: 'minor', fragment: 'tool was marked deprecated; use "find_customers" instead; it may be removed after 2026-06-01' },
  { name: 'access write -> read', before: tool({ access: 'write' }), after: tool({ access: 'read' }),
    cls: 'minor', fragment: 'access changed from write to read' },

  // ---- patch
  { name: 'default added', ...input(z.object({ limit: z.number().optional() }), z.object({ limit: z.number().default(10) })),
    cls: 'patch', fragment: 'parameter "limit" default 10 added' },
  { name: 'default changed', ...input(z.object({ limit: z.number().default(10) }), z.object({ limit: z.number().default(20) })),
    cls: 'patch', fragment: 'default changed from 10 to 20' },
  { name: 'tool description changed', before: tool({ description: 'Find customers.' }), after: tool({ description: 'Find customers by name.' }),
    cls: 'patch', fragment: 'search_customers: description changed (patch)' },
  { name: 'tool title changed', before: tool(), after: tool({ title: 'Search all customers' }), cls: 'patch', fragment: 'title changed' },
  { name: 'parameter description changed', ...input(z.object({ q: z.string().describe('Name') }), z.object({ q: z.string().describe('Name or email') })),
    cls: 'patch', fragment: 'parameter "q" description changed' },

  // ---- access
  { name: 'access read -> write', before: tool({ access: 'read' }), after: tool({ access: 'write' }),
    cls: 'breaking', fragment: 'access changed from read to write: a read-only client would now change data' },

  // ---- output
  { name: 'output field removed', ...output(z.object({ id: z.string(), name: z.string() }), z.object({ id: z.string() })),
    cls: 'breaking', fragment: 'output field "name" was removed', path: 'output.properties.name' },
  { name: 'output field made optional', ...output(z.object({ id: z.string() }), z.object({ id: z.string().optional() })),
    cls: 'breaking', fragment: 'output field "id" is no longer always present (became optional)' },
  { name: 'output type changed', ...output(z.object({ id: z.string() }), z.object({ id: z.number() })),
    cls: 'breaking', fragment: 'output field "id" type changed from string to number' },
  { name: 'output type widened (integer -> number)', ...output(z.object({ n: z.int() }), z.object({ n: z.number() })),
    cls: 'breaking', fragment: 'type widened from integer to number' },
  { name: 'output enum value added', ...output(z.object({ s: z.enum(['open', 'closed']) }), z.object({ s: z.enum(['open', 'closed', 'archived']) })),
    cls: 'breaking', fragment: 'enum value "archived" added (clients may not handle the new value)' },
  { name: 'output schema removed', before: tool({ outputSchema: jsonOut(z.object({ id: z.string() })) }), after: tool(),
    cls: 'breaking', fragment: 'output schema was removed' },
  { name: 'output field added', ...output(z.object({ id: z.string() }), z.object({ id: z.string(), email: z.string() })),
    cls: 'minor', fragment: 'output field "email" was added' },
  { name: 'output schema added', before: tool(), after: tool({ outputSchema: jsonOut(z.object({ id: z.string() })) }),
    cls: 'minor', fragment: 'output schema was added' },
  { name: 'output enum value removed (clients handle a subset)', ...output(z.object({ s: z.enum(['a', 'b']) }), z.object({ s: z.enum(['a']) })),
    cls: 'minor', fragment: 'enum value "b" removed' },
  { name: 'output field made always present', ...output(z.object({ id: z.string().optional() }), z.object({ id: z.string() })),
    cls: 'minor', fragment: 'output field "id" is now always present' },

  // ---- deprecation and removal
  { name: 'deprecated tool removed before its date', before: deprecated('2026-06-01'), today: TODAY,
    cls: 'breaking', fragment: 'deprecated tool was removed before its announced removal date 2026-06-01' },
  { name: 'deprecated tool removed on its date', before: deprecated('2026-06-01'), today: '2026-06-01',
    cls: 'breaking', fragment: 'its deprecation window passed on 2026-06-01, but a removal still needs a major version' },
  { name: 'deprecated tool removed after its date', before: deprecated('2025-12-31'), today: TODAY,
    cls: 'breaking', fragment: 'deprecation window passed on 2025-12-31' },
];

describe('classifyChanges: one rule per row', () => {
  it('has at least 20 named schema changes', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases)('$name -> $cls', ({ before, after, cls, fragment, path, today }) => {
    const findings = classifyChanges(doc([T, before]), doc([T, after]), { today: today ?? TODAY });
    const dump = JSON.stringify(findings, null, 2);
    expect(requiredBump(findings)[T], dump).toBe(cls);
    const hit = findings.find((finding) => finding.message.includes(fragment));
    expect(hit, dump).toBeDefined();
    expect(hit!.class).toBe(cls);
    if (path) expect(hit!.path).toBe(path);
    for (const finding of findings) expect(finding.message).toMatch(new RegExp(`^${T}: .+ \\(${finding.class}\\)$`));
  });
});

describe('classifyChanges: no false alarms', () => {
  it('reports nothing for identical documents and for reordered keys', () => {
    const a = tool({ inputSchema: jsonIn(z.object({ q: z.string(), limit: z.int().min(1).optional(), tags: z.array(z.string()) })) });
    const props = a.inputSchema.properties as Record<string, unknown>;
    const reordered = { ...a, inputSchema: { ...a.inputSchema, properties: Object.fromEntries(Object.entries(props).reverse()) } };
    expect(classifyChanges(doc([T, a]), doc([T, a]))).toEqual([]);
    expect(classifyChanges(doc([T, a]), doc([T, reordered]))).toEqual([]);
  });

  it('treats a renamed tool as removed + added', () => {
    const findings = classifyChanges(doc(['old_name', tool()]), doc(['new_name', tool()]), { today: TODAY });
    expect(findings.map((f) => [f.tool, f.class])).toEqual([['new_name', 'minor'], ['old_name', 'breaking']]);
  });

  it('ignores zod re-emitting the same recursive schema and the same union in another order', () => {
    const before = jsonIn(z.object({ tree: Node, q: z.union([kindA, kindB]) }));
    const after = jsonIn(z.object({ tree: Node, q: z.union([kindB, kindA]) }));
    expect(classifyChanges(doc([T, tool({ inputSchema: before })]), doc([T, tool({ inputSchema: after })]))).toEqual([]);
  });
});

describe('classifyChanges: determinism', () => {
  it('returns the same findings in the same order, whatever the key order of the inputs', () => {
    const before = doc(
      ['b_tool', tool({ inputSchema: jsonIn(z.object({ a: z.string(), b: z.number().optional(), c: z.enum(['x', 'y']) })) })],
      ['a_tool', tool({ access: 'read', description: 'one' })],
      ['gone', tool()],
    );
    const after = doc(
      ['a_tool', tool({ access: 'write', description: 'two' })],
      ['b_tool', tool({ inputSchema: jsonIn(z.object({ a: z.number(), b: z.number(), c: z.enum(['x']), d: z.string() })) })],
      ['new_tool', tool()],
    );
    const shuffle = (d: ContractDoc): ContractDoc => ({
      tools: Object.fromEntries(Object.entries(d.tools).reverse().map(([name, t]) => {
        const props = (t.inputSchema.properties ?? {}) as Record<string, unknown>;
        const inputSchema = Object.fromEntries(Object.entries({ ...t.inputSchema, properties: Object.fromEntries(Object.entries(props).reverse()) }).reverse());
        return [name, { ...t, inputSchema }];
      })),
    });
    const first = classifyChanges(before, after, { today: TODAY });
    expect(classifyChanges(shuffle(before), shuffle(after), { today: TODAY })).toEqual(first);
    expect(classifyChanges(before, after, { today: TODAY })).toEqual(first);
    expect(first.map((f) => `${f.tool} ${f.path} ${f.class}`)).toEqual([
      'a_tool access breaking',
      'a_tool description patch',
      'b_tool input.properties.a.type breaking',
      'b_tool input.properties.b breaking',
      'b_tool input.properties.c.enum breaking',
      'b_tool input.properties.d breaking',
      'gone tool breaking',
      'new_tool tool minor',
    ]);
    expect(requiredBump(first)).toEqual({ a_tool: 'breaking', b_tool: 'breaking', gone: 'breaking', new_tool: 'minor' });
  });
});

describe('checkVersions', () => {
  const breakingChange = (from: string, to: string) => {
    const before = doc([T, tool({ version: from, inputSchema: jsonIn(z.object({ limit: z.number().optional() })) })]);
    const after = doc([T, tool({ version: to, inputSchema: jsonIn(z.object({ limit: z.number() })) })]);
    return checkVersions(before, after, classifyChanges(before, after, { today: TODAY }));
  };
  const describeOnly = (from: string, to: string) => {
    const before = doc([T, tool({ version: from, description: 'old' })]);
    const after = doc([T, tool({ version: to, description: 'new' })]);
    return checkVersions(before, after, classifyChanges(before, after, { today: TODAY }));
  };
  const unchanged = (from: string, to: string) => {
    const before = doc([T, tool({ version: from })]);
    const after = doc([T, tool({ version: to })]);
    return checkVersions(before, after, classifyChanges(before, after, { today: TODAY }));
  };

  it('fails a breaking change with a minor bump, naming the change and the version needed', () => {
    const violations = breakingChange('1.2.0', '1.3.0');
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ tool: T, from: '1.2.0', to: '1.3.0', required: 'breaking' });
    expect(violations[0]!.message).toContain('parameter "limit" became required');
    expect(violations[0]!.message).toContain('need a major version bump');
    expect(violations[0]!.message).toContain('2.0.0');
  });

  it('passes a breaking change with a major bump', () => {
    expect(breakingChange('1.2.0', '2.0.0')).toEqual([]);
  });

  it('0.x: a breaking change needs only a minor bump, and a patch bump is not enough', () => {
    expect(breakingChange('0.3.1', '0.4.0')).toEqual([]);
    expect(breakingChange('0.3.1', '1.0.0')).toEqual([]);
    const violations = breakingChange('0.3.1', '0.3.2');
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toContain('0.4.0');
    expect(violations[0]!.message).toContain('0.x');
  });

  it('minor changes need at least a minor bump', () => {
    const before = doc([T, tool({ version: '1.0.0' })]);
    const added = (version: string) => doc([T, tool({ version, inputSchema: jsonIn(z.object({ q: z.string(), limit: z.number().optional() })) })]);
    expect(checkVersions(before, added('1.0.1'), classifyChanges(before, added('1.0.1')))[0]?.required).toBe('minor');
    expect(checkVersions(before, added('1.1.0'), classifyChanges(before, added('1.1.0')))).toEqual([]);
  });

  it('fails a version that went down, even without changes', () => {
    const violations = unchanged('1.2.0', '1.1.9');
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toBe(`${T}: version went down from 1.2.0 to 1.1.9`);
    expect(unchanged('1.0.0', '1.0.0-rc.1')[0]?.message).toContain('went down');
  });

  it('passes a description-only change with a patch bump, fails it with no bump', () => {
    expect(describeOnly('1.2.0', '1.2.1')).toEqual([]);
    expect(describeOnly('1.2.0', '1.2.0')[0]?.message).toContain('the version is still 1.2.0');
  });

  it('passes no changes with no bump', () => {
    expect(unchanged('1.2.0', '1.2.0')).toEqual([]);
  });

  it('lets a new tool start at any version and reports a removed tool', () => {
    const before = doc(['legacy', tool({ version: '3.1.0' })]);
    const after = doc(['fresh', tool({ version: '7.3.1' })]);
    const violations = checkVersions(before, after, classifyChanges(before, after, { today: TODAY }));
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ tool: 'legacy', from: '3.1.0', required: 'breaking' });
    expect(violations[0]!.message).toContain('breaking change for the server as a whole');
  });

  it('orders pre-releases by semver precedence and rejects non-semver versions', () => {
    expect(describeOnly('2.0.0-beta.2', '2.0.0-beta.10')).toEqual([]);
    expect(unchanged('1.0.0', 'v1.0.1')[0]?.message).toContain('is not a semantic version');
  });
});

describe('catalog operations (the tools call_operation routes to)', () => {
  const op = (extra: Partial<OperationContract> = {}): OperationContract => ({
    version: '1.0.0',
    title: 'Get a thing',
    description: 'Returns one thing.',
    access: 'read',
    approval: 'none',
    inputSchema: jsonIn(z.strictObject({ thingId: z.string() })),
    ...extra,
  });
  const catalog = (operations: Record<string, OperationContract>): ContractDoc => ({ tools: { call_operation: tool() }, operations });
  const classify = (before: Record<string, OperationContract>, after: Record<string, OperationContract>) => {
    const findings = classifyChanges(catalog(before), catalog(after), { today: TODAY });
    return { findings: findings.map((f) => f.message), violations: checkVersions(catalog(before), catalog(after), findings) };
  };

  it('classifies a removed operation as breaking, for a new major version of the server', () => {
    const { findings, violations } = classify({ get_thing: op() }, {});
    expect(findings).toEqual(['get_thing: operation was removed: clients calling it would get "not_found" (breaking)']);
    expect(violations).toHaveLength(1);
    expect(violations[0]!.message).toBe('get_thing: operation was removed, which is a breaking change for the server as a whole: release it as a new major version of the server');
  });

  it('classifies a new operation as minor, starting at any version', () => {
    const { findings, violations } = classify({}, { get_thing: op({ version: '4.2.0' }) });
    expect(findings).toEqual(['get_thing: new operation (minor)']);
    expect(violations).toEqual([]);
  });

  it("classifies an operation's input as a tool's: a new required parameter needs a major bump, an optional one a minor", () => {
    const required = op({ inputSchema: jsonIn(z.strictObject({ thingId: z.string(), region: z.string() })) });
    const breaking = classify({ get_thing: op() }, { get_thing: required });
    expect(breaking.findings).toEqual(['get_thing: parameter "region" was added as a required parameter (breaking)']);
    expect(breaking.violations[0]!.message).toMatch(/^get_thing: breaking changes .* need a major version bump, to 2\.0\.0 or later, but the version is still 1\.0\.0$/);
    expect(classify({ get_thing: op() }, { get_thing: { ...required, version: '2.0.0' } }).violations).toEqual([]);

    const optional = op({ version: '1.1.0', inputSchema: jsonIn(z.strictObject({ thingId: z.string(), region: z.string().optional() })) });
    const minor = classify({ get_thing: op() }, { get_thing: optional });
    expect(minor.findings).toEqual(['get_thing: parameter "region" was added (optional) (minor)']);
    expect(minor.violations).toEqual([]);
  });

  it('classifies access and approval: read to write and a stricter approval break, the reverse is minor', () => {
    const write = op({ access: 'write' });
    expect(classify({ t: op() }, { t: write }).findings).toEqual(['t: access changed from read to write: a read-only client would now change data (breaking)']);
    expect(classify({ t: write }, { t: op() }).findings).toEqual(['t: access changed from write to read (minor)']);
    expect(classify({ t: write }, { t: op({ access: 'write', approval: 'human' }) }).findings).toEqual([
      't: approval changed from none to human: calls that ran at once would now wait for a confirmation or an approver (breaking)',
    ]);
    expect(classify({ t: op({ access: 'write', approval: 'human' }) }, { t: op({ access: 'write', approval: 'client' }) }).findings).toEqual([
      't: approval changed from human to client (minor)',
    ]);
  });

  it('classifies title and description changes as patches, and nothing when nothing changed', () => {
    expect(classify({ t: op() }, { t: op({ title: 'Fetch a thing', description: 'Fetches one thing.' }) }).findings).toEqual([
      't: description changed (patch)',
      't: title changed (patch)',
    ]);
    expect(classify({ t: op() }, { t: op() })).toEqual({ findings: [], violations: [] });
  });

  it("classifies an operation's answer as a tool's output: a lost field or a changed type breaks, a new optional field or a first type is minor, wording a patch", () => {
    // The import's reduced JSON Schema, as the lock records it.
    const answer = (properties: Record<string, unknown>, required: string[] = ['id']) => ({ type: 'object', properties, required });
    const typed = op({ output: answer({ id: { type: 'integer' }, name: { type: 'string', description: 'Its name' } }) });
    const classes = (before: OperationContract, after: OperationContract) =>
      classify({ t: before }, { t: after }).findings.map((f) => f.replace(/^t: .*\((breaking|minor|patch)\)$/, '$1'));

    const lost = classify({ t: typed }, { t: op({ output: answer({ id: { type: 'integer' } }) }) });
    expect(lost.findings).toHaveLength(1);
    expect(lost.findings[0]).toMatch(/^t: .*name.* \(breaking\)$/);
    expect(lost.violations[0]!.message).toMatch(/need a major version bump, to 2\.0\.0 or later/);
    expect(classes(typed, op({ output: answer({ id: { type: 'string' }, name: { type: 'string', description: 'Its name' } }) }))).toEqual(['breaking']);
    expect(classes(typed, op())).toEqual(['breaking']);

    expect(classes(typed, op({ output: answer({ id: { type: 'integer' }, name: { type: 'string', description: 'Its name' }, size: { type: 'integer' } }) }))).toEqual(['minor']);
    expect(classes(op(), typed)).toEqual(['minor']);
    expect(classify({ t: op() }, { t: { ...typed, version: '1.1.0' } }).violations).toEqual([]);

    expect(classes(typed, op({ output: answer({ id: { type: 'integer' }, name: { type: 'string', description: 'What it is called' } }) }))).toEqual(['patch']);
    expect(classify({ t: typed }, { t: typed })).toEqual({ findings: [], violations: [] });
  });
});

describe('types', () => {
  it('a tools.lock.json operation entry is an OperationContract', () => {
    const asContract = (entry: OperationLockEntry): OperationContract => entry;
    expect(asContract({ version: '1.0.0', title: 't', description: 'd', access: 'write', approval: 'human', inputSchema: { type: 'object' } }).approval).toBe('human');
  });

  it('a tools.lock.json entry is a ToolContract', () => {
    const asContract = (entry: ToolLockEntry): ToolContract => entry;
    expect(asContract({ version: '1.0.0', title: 't', description: 'd', access: 'read', inputSchema: { type: 'object' } }).version).toBe('1.0.0');
  });
});
