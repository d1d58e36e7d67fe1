/**
 * The MCP conformance suite against a generated server, both protocol eras.
 *
 * The server is generated from conformance/spec.json (HTTP, auth `none`: the suite sends no
 * credential) with the fixture tools, resources and prompts a generator spec can declare, and
 * the files that need code are written as a user would write them: test_error_handling's
 * handler throws a ToolError, the content fixtures return their images, audio and resources
 * with withContent, the logging and progress fixtures notify through ctx.clientLog and
 * ctx.progress, the resources' reads and two prompts' gets return the contents the suite
 * expects, and the multi-round fixtures (2026-07-28) ask the client through ctx.input. Each leg
 * runs the suite
 * with a checked-in baseline of expected failures: the suite itself fails on any other failure
 * or warning and on a baseline entry that passes; this test also fails when a baselined
 * scenario fails in a check other than the ones named below, and when the protocol-level
 * scenarios did not all run and pass.
 */
import { execa } from 'execa';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generate, npmRun, SLOW, startHttp, type RunningServer } from '../e2e/generated-repo.js';
import { tempDir } from '../support/temp-dir.js';
import { stressTools, type StressTools } from './support/stress-tools.js';

const here = fileURLToPath(new URL('./conformance/', import.meta.url));

interface Check {
  id: string;
  status: string;
  errorMessage?: string;
}

/** Scenario -> the checks it may fail (any, for a scenario that does not apply at all). */
type Allowed = Record<string, readonly string[] | 'any'>;

const ALLOWED_2025: Allowed = Object.fromEntries(
  [
    'resources-subscribe',
    'resources-unsubscribe',
    'tools-call-sampling',
    'tools-call-elicitation',
    'elicitation-sep1034-defaults',
    'elicitation-sep1330-enums',
  ].map((name) => [name, 'any' as const]),
);
ALLOWED_2025['server-sse-multiple-streams'] = ['server-sse-multiple-streams-session'];

const ALLOWED_2026: Allowed = {
  ...Object.fromEntries(
    [
      'json-schema-2020-12',
      'http-custom-header-server-validation',
      'tasks-lifecycle',
      'tasks-capability-negotiation',
      'tasks-wire-fields',
      'tasks-request-state-removal',
      'tasks-mrtr-input',
      'tasks-request-headers',
      'tasks-dispatch-and-envelope',
      'tasks-required-task-error',
      'tasks-mrtr-composition',
    ].map((name) => [name, 'any' as const]),
  ),
  'server-stateless': [
    'sep-2575-server-rejects-undeclared-capability',
    'sep-2575-missing-capability-http-400',
    'sep-2575-http-server-no-independent-requests-on-stream',
    'sep-2575-server-no-log-without-loglevel',
    'sep-2575-server-sends-tools-list-changed-on-subscription',
  ],
};

/** Protocol-level scenarios: each must have run, with every check passing. */
/** The resource and prompt scenarios whose fixtures the spec declares: each must have run and passed too. */
const RESOURCES_AND_PROMPTS = [
  'resources-list',
  'resources-read-text',
  'resources-read-binary',
  'resources-templates-read',
  'prompts-list',
  'prompts-get-simple',
  'prompts-get-with-args',
  'prompts-get-embedded-resource',
  'prompts-get-with-image',
  // Declared wherever prompts or resource templates are served; an argument without a completer has no suggestions.
  'completion-complete',
];
/** The tool scenarios whose fixtures return more content blocks or send progress (and, 2025 era only, log messages). */
const CONTENT_AND_NOTIFICATIONS = ['tools-call-image', 'tools-call-audio', 'tools-call-embedded-resource', 'tools-call-mixed-content', 'tools-call-with-progress'];
const MUST_PASS_2025 = [
  'server-initialize',
  'ping',
  'tools-list',
  'tools-call-simple-text',
  'tools-call-error',
  ...CONTENT_AND_NOTIFICATIONS,
  // Not run for 2026-07-28: the suite sends logging/setLevel, which that era removed.
  'tools-call-with-logging',
  'dns-rebinding-protection',
  ...RESOURCES_AND_PROMPTS,
];
const MUST_PASS_2026 = [
  'tools-list',
  'tools-call-simple-text',
  'tools-call-error',
  ...CONTENT_AND_NOTIFICATIONS,
  'dns-rebinding-protection',
  'http-header-validation',
  'input-required-result-unsupported-methods',
  'input-required-result-validate-input',
  // Handlers that ask through ctx.input (the fixtures above).
  'input-required-result-basic-elicitation',
  'input-required-result-basic-sampling',
  'input-required-result-basic-list-roots',
  'input-required-result-request-state',
  'input-required-result-multiple-input-requests',
  'input-required-result-multi-round',
  'input-required-result-missing-input-response',
  'input-required-result-non-tool-request',
  'input-required-result-result-type',
  'input-required-result-tampered-state',
  'input-required-result-capability-check',
  'input-required-result-ignore-extra-params',
  ...RESOURCES_AND_PROMPTS,
  'sep-2164-resource-not-found',
  'caching',
];

let tools: StressTools;
let root: string;
let removeRoot: () => Promise<void>;
let server: RunningServer | undefined;

beforeAll(async () => {
  tools = await stressTools();
  ({ path: root, remove: removeRoot } = await tempDir());
  const dir = join(root, 'conformance-fixtures');
  await generate(dir, '--config', join(here, 'spec.json'), '--no-git');
  await writeErrorFixture(join(dir, 'src', 'tools', 'test_error_handling.ts'));
  await writeResourceAndPromptFixtures(dir);
  await writeContentAndNotificationFixtures(dir);
  await writeInputRequiredFixtures(dir);
  await npmRun(dir, 'build');
  server = await startHttp(dir, {
    AUDIT_LOG: join(root, 'audit.jsonl'),
    LOG_LEVEL: 'warn',
    // The suite sends a few hundred calls in seconds; limits stay on, above that.
    RATE_LIMIT_TENANT_PER_MINUTE: '100000',
    RATE_LIMIT_TOOL_PER_MINUTE: '100000',
    RATE_LIMIT_CLIENT_PER_MINUTE: '100000',
    RATE_LIMIT_TENANT_REQUESTS_PER_MINUTE: '100000',
  });
}, SLOW * 2);

afterAll(async () => {
  await server?.stop();
  await removeRoot?.();
});

/** What a user does to make test_error_handling fail on purpose: throw a ToolError in its handler. */
async function writeErrorFixture(file: string): Promise<void> {
  let source = await readFile(file, 'utf8');
  const handler = source.indexOf('  async handler(input, ctx) {');
  expect(handler, `scaffolded handler not found in ${file}`).toBeGreaterThan(0);
  source = `${source.slice(0, handler)}  async handler(input, ctx) {
    ctx.log.debug({ input }, 'failing on purpose (conformance fixture)');
    throw new ToolError('test_error', 'This tool intentionally returns an error for testing.');
  },
});
`;
  source = source
    .replace(/import \{ defineTool \} from '..\/tool-model\/define-tool.js';/, "import { defineTool, ToolError } from '../tool-model/define-tool.js';")
    .replace(/import \{ sampleRecordSchema, searchTextFrom \} from/, 'import { sampleRecordSchema } from');
  expect(source).toContain('ToolError }');
  await writeFile(file, source);
}

/** The suite's sample image: a 1x1 red PNG, base64. */
const TEST_IMAGE_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/**
 * What a user writes in the scaffolded resource and prompt files to serve the fixtures of the
 * SDK's "everything" server (the contents each conformance scenario expects). The prompts that
 * return one user message of text (test_simple_prompt, test_prompt_with_arguments) need no
 * code: their `message` in the spec is the fixture's text.
 */
async function writeResourceAndPromptFixtures(dir: string): Promise<void> {
  const resource = (name: string) => join(dir, 'src', 'resources', `${name}.ts`);
  const prompt = (name: string) => join(dir, 'src', 'prompts', `${name}.ts`);
  await rewriteBody(resource('static-text'), "import { defineResource } from '../tool-model/define-resource.js';", `  read() {
    return { text: 'This is the content of the static text resource.' };
  },
`);
  await rewriteBody(
    resource('static-binary'),
    `import { defineResource } from '../tool-model/define-resource.js';

/** A 1x1 red PNG. */
const IMAGE_BASE64 = '${TEST_IMAGE_BASE64}';`,
    `  read() {
    return { blob: IMAGE_BASE64 };
  },
`,
  );
  await rewriteBody(resource('template'), "import { defineResource } from '../tool-model/define-resource.js';", `  read({ id }) {
    return { text: JSON.stringify({ id, templateTest: true, data: \`Data for ID: \${id}\` }) };
  },
`);
  await rewriteBody(
    prompt('test_prompt_with_embedded_resource'),
    "import { definePrompt, userMessage } from '../tool-model/define-prompt.js';",
    `  get({ resourceUri }) {
    return {
      messages: [
        { role: 'user', content: { type: 'resource', resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' } } },
        userMessage('Please process the embedded resource above.'),
      ],
    };
  },
`,
  );
  await rewriteBody(
    prompt('test_prompt_with_image'),
    `import { definePrompt, userMessage } from '../tool-model/define-prompt.js';

/** A 1x1 red PNG. */
const IMAGE_BASE64 = '${TEST_IMAGE_BASE64}';`,
    `  get() {
    return {
      messages: [{ role: 'user', content: { type: 'image', data: IMAGE_BASE64, mimeType: 'image/png' } }, userMessage('Please analyze the image above.')],
    };
  },
`,
  );
}

/** The suite's sample audio: a minimal WAV file, base64. */
const TEST_AUDIO_BASE64 = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';

/**
 * What a user writes in the scaffolded tool files of the everything server's content and
 * notification fixtures: an output schema of their own (every generated tool has one, so the
 * result's first block is always its JSON text, which the suite accepts beside the blocks it
 * looks for), the extra blocks through withContent, and log and progress notifications through
 * ctx.clientLog and ctx.progress.
 */
async function writeContentAndNotificationFixtures(dir: string): Promise<void> {
  const tool = (name: string) => join(dir, 'src', 'tools', `${name}.ts`);
  const model = (names: string) => `import { ${names} } from '../tool-model/define-tool.js';`;
  const images = `

/** A 1x1 red PNG. */
const IMAGE_BASE64 = '${TEST_IMAGE_BASE64}';`;
  const summary = "z.object({ summary: z.string().describe('What the blocks after this one are') })";
  await rewriteTool(tool('test_image_content'), model('defineTool, image, withContent') + images, summary, `  async handler() {
    return withContent({ summary: 'A 1x1 red PNG' }, [image(IMAGE_BASE64, 'image/png')]);
  },
`);
  await rewriteTool(
    tool('test_audio_content'),
    `${model('audio, defineTool, withContent')}

/** A minimal WAV file. */
const AUDIO_BASE64 = '${TEST_AUDIO_BASE64}';`,
    summary,
    `  async handler() {
    return withContent({ summary: 'A minimal WAV clip' }, [audio(AUDIO_BASE64, 'audio/wav')]);
  },
`,
  );
  await rewriteTool(tool('test_embedded_resource'), model('defineTool, embeddedResource, withContent'), summary, `  async handler() {
    return withContent({ summary: 'One embedded text resource' }, [
      embeddedResource({ uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' }),
    ]);
  },
`);
  await rewriteTool(tool('test_multiple_content_types'), model('defineTool, embeddedResource, image, withContent') + images, summary, `  async handler() {
    return withContent({ summary: 'Text, an image and a JSON resource' }, [
      { type: 'text', text: 'Multiple content types test:' },
      image(IMAGE_BASE64, 'image/png'),
      embeddedResource({ uri: 'test://mixed-content-resource', mimeType: 'application/json', text: JSON.stringify({ test: 'data', value: 123 }) }),
    ]);
  },
`);
  const sleep = "import { setTimeout as sleep } from 'node:timers/promises';\n";
  await rewriteTool(
    tool('test_tool_with_logging'),
    `${sleep}\n${model('defineTool')}`,
    "z.object({ message: z.string().describe('How the call ended') })",
    `  async handler(_input, ctx) {
    await ctx.clientLog.info('Tool execution started');
    await sleep(50, undefined, { signal: ctx.signal });
    await ctx.clientLog.info('Tool processing data');
    await sleep(50, undefined, { signal: ctx.signal });
    await ctx.clientLog.info('Tool execution completed');
    return { message: 'Tool with logging executed successfully' };
  },
`,
  );
  await rewriteTool(
    tool('test_tool_with_progress'),
    `${sleep}\n${model('defineTool')}`,
    "z.object({ steps: z.number().int().describe('How many steps were done') })",
    `  async handler(_input, ctx) {
    for (const done of [0, 50, 100]) {
      if (done > 0) await sleep(50, undefined, { signal: ctx.signal });
      await ctx.progress(done, 100, \`Completed step \${done} of 100\`);
    }
    return { steps: 100 };
  },
`,
  );
}

/**
 * What a user writes in the scaffolded files of the everything server's multi-round fixtures
 * (2026-07-28): handlers that ask the client through ctx.input, with the question keys the
 * suite answers, and a prompt whose get asks for context first.
 */
async function writeInputRequiredFixtures(dir: string): Promise<void> {
  const tool = (name: string) => join(dir, 'src', 'tools', `test_input_required_result_${name}.ts`);
  // Each file imports and declares only what it uses (the build refuses unused names).
  const helpers = {
    nameForm: 'const nameForm = z.object({ name: z.string() });',
    colorForm: 'const colorForm = z.object({ color: z.string() });',
    confirmForm: 'const confirmForm = z.object({ ok: z.boolean() });',
    askName: "const askName = () => elicit({ message: 'What is your name?', requestedSchema: nameForm });",
    askModel: "const askModel = (text: string) => sample({ messages: [{ role: 'user', content: { type: 'text', text } }], maxTokens: 100 });",
  };
  const uses = (imports: string, ...names: Array<keyof typeof helpers>) =>
    `import { defineTool, ${imports} } from '../tool-model/define-tool.js';\n\n${names.map((name) => helpers[name]).join('\n')}`;
  const answered = "z.object({ answer: z.string().describe('What the client answered') })";
  await rewriteTool(tool('elicitation'), uses('elicit', 'nameForm', 'askName'), answered, `  async handler(_input, ctx) {
    const answer = ctx.input.accepted('user_name', nameForm);
    if (!answer) return ctx.input.ask({ user_name: askName() });
    return { answer: \`Hello, \${answer.name}!\` };
  },
`);
  await rewriteTool(tool('sampling'), uses('sample', 'askModel'), answered, `  async handler(_input, ctx) {
    const response = ctx.input.response('capital_question');
    if (response.kind !== 'sampling') return ctx.input.ask({ capital_question: askModel('What is the capital of France?') });
    const content = response.result.content;
    const block = Array.isArray(content) ? content[0] : content;
    return { answer: block?.type === 'text' ? block.text : '' };
  },
`);
  await rewriteTool(tool('list_roots'), uses('listRoots'), answered, `  async handler(_input, ctx) {
    const response = ctx.input.response('client_roots');
    if (response.kind !== 'roots') return ctx.input.ask({ client_roots: listRoots() });
    return { answer: response.roots.map((root) => root.uri).join(', ') };
  },
`);
  // The state proves the answer belongs to this server's question: it comes back signed.
  const confirmWithState = `  async handler(_input, ctx) {
    const answer = ctx.input.accepted('confirm', confirmForm);
    if (!ctx.input.state() || !answer) return ctx.input.ask({ confirm: elicit({ message: 'Please confirm', requestedSchema: confirmForm }) }, { asked: 'confirm' });
    return { answer: answer.ok ? 'state-ok: confirmed' : 'state-ok: not confirmed' };
  },
`;
  await rewriteTool(tool('request_state'), uses('elicit', 'confirmForm'), answered, confirmWithState);
  await rewriteTool(tool('tampered_state'), uses('elicit', 'confirmForm'), answered, confirmWithState);
  await rewriteTool(tool('multiple_inputs'), uses('elicit, listRoots, sample', 'nameForm', 'askName', 'askModel'), answered, `  async handler(_input, ctx) {
    const name = ctx.input.accepted('user_name', nameForm);
    const greeting = ctx.input.response('greeting');
    const roots = ctx.input.response('client_roots');
    if (!ctx.input.state() || !name || greeting.kind !== 'sampling' || roots.kind !== 'roots') {
      return ctx.input.ask({ user_name: askName(), greeting: askModel('Generate a greeting'), client_roots: listRoots() }, { round: 1 });
    }
    return { answer: \`\${name.name}, with \${roots.roots.length} roots\` };
  },
`);
  await rewriteTool(tool('multi_round'), uses('elicit', 'nameForm', 'colorForm'), answered, `  async handler(_input, ctx) {
    const carried = ctx.input.state<{ name?: string }>();
    if (carried?.name !== undefined) {
      const color = ctx.input.accepted('step2', colorForm);
      if (color) return { answer: \`\${carried.name} likes \${color.color}\` };
    }
    const name = carried ? ctx.input.accepted('step1', nameForm) : undefined;
    if (name || carried?.name !== undefined) {
      return ctx.input.ask({ step2: elicit({ message: 'Step 2: What is your favorite color?', requestedSchema: colorForm }) }, { name: name?.name ?? carried?.name });
    }
    return ctx.input.ask({ step1: elicit({ message: 'Step 1: What is your name?', requestedSchema: nameForm }) }, { step: 1 });
  },
`);
  await rewriteTool(tool('capabilities'), uses('elicit, listRoots, sample, type InputRequest', 'nameForm', 'askName', 'askModel'), answered, `  async handler(_input, ctx) {
    if (ctx.input.response('greeting').kind !== 'missing' || ctx.input.response('user_name').kind !== 'missing') return { answer: 'answered' };
    // Only what this client declared it can answer.
    const questions: Record<string, InputRequest> = {};
    if (ctx.input.canAsk('sampling')) questions.greeting = askModel('Generate a greeting');
    if (ctx.input.canAsk('elicitation')) questions.user_name = askName();
    if (ctx.input.canAsk('roots')) questions.client_roots = listRoots();
    return ctx.input.ask(questions);
  },
`);
  await rewriteBody(
    join(dir, 'src', 'prompts', 'test_input_required_result_prompt.ts'),
    `import { definePrompt, elicit, userMessage } from '../tool-model/define-prompt.js';

const contextForm = z.object({ context: z.string() });`,
    `  async get(_args, ctx) {
    const answer = ctx.input.accepted('user_context', contextForm);
    if (!answer) return ctx.input.ask({ user_context: elicit({ message: 'What context should the prompt use?', requestedSchema: contextForm }) });
    return { messages: [userMessage(\`Use this context: \${answer.context}\`)] };
  },
`,
  );
}

/**
 * Replaces a scaffolded tool's output schema and handler (to the end of the file) with
 * `outputSchema` and `handler`, and the imports after zod's with `imports`; the input schema and
 * the declaration the spec made (name, description, access, scopes) stay as scaffolded.
 */
async function rewriteTool(file: string, imports: string, outputSchema: string, handler: string): Promise<void> {
  const source = await readFile(file, 'utf8');
  const zod = "import { z } from 'zod';\n";
  const head = source.indexOf(zod);
  const input = source.indexOf('// Built once at load time');
  const output = source.indexOf('const outputSchema = ');
  const declaration = source.indexOf('export default ');
  const scaffolded = source.indexOf('  async handler(input, ctx) {');
  expect([head, input, output, declaration, scaffolded].every((at) => at > 0), `scaffolded tool not found in ${file}`).toBe(true);
  await writeFile(
    file,
    `${source.slice(0, head + zod.length)}\n${imports}\n\n${source.slice(input, output)}const outputSchema = ${outputSchema};\n\n${source.slice(declaration, scaffolded)}${handler}});\n`,
  );
}

/**
 * Replaces a scaffolded resource's read or prompt's get (from its `async read(` or `get(args)`
 * to the end of the file) with `body`, and the imports after zod's with `imports`; the
 * declaration the spec made (name, URI, mimeType, arguments, scopes) stays as scaffolded.
 */
async function rewriteBody(file: string, imports: string, body: string): Promise<void> {
  const source = await readFile(file, 'utf8');
  const zod = "import { z } from 'zod';\n";
  const head = source.indexOf(zod);
  const declaration = source.indexOf('export default ');
  const scaffolded = source.search(/^ {2}(async read\(|get\(args\) \{)/m);
  expect([head, declaration, scaffolded].every((at) => at > 0), `scaffolded read or get not found in ${file}`).toBe(true);
  await writeFile(file, `${source.slice(0, head + zod.length)}\n${imports}\n\n${source.slice(declaration, scaffolded)}${body}});\n`);
}

async function runLeg(cli: string, args: string[], outDir: string): Promise<{ output: string; exitCode: number | undefined }> {
  const result = await execa(tools.node, [cli, 'server', '--url', server!.url, ...args, '-o', outDir], { all: true, reject: false, timeout: 600_000 });
  return { output: result.all ?? '', exitCode: result.exitCode };
}

/** scenario -> its checks, from the suite's output directory. */
async function readResults(outDir: string): Promise<Map<string, Check[]>> {
  const results = new Map<string, Check[]>();
  for (const entry of await readdir(outDir)) {
    const scenario = entry.replace(/^server-/, '').replace(/-\d{4}-\d{2}-\d{2}T.*$/, '');
    results.set(scenario, JSON.parse(await readFile(join(outDir, entry, 'checks.json'), 'utf8')) as Check[]);
  }
  return results;
}

function verify(results: Map<string, Check[]>, allowed: Allowed, mustPass: string[], era: string): void {
  const passing = [...results.values()].filter((checks) => checks.every((check) => ['SUCCESS', 'INFO', 'SKIPPED'].includes(check.status))).length;
  // The counts a release note quotes, in the test's output.
  process.stdout.write(`conformance ${era}: ${passing} of ${results.size} scenarios pass\n`);
  const unexpected: string[] = [];
  for (const [scenario, checks] of results) {
    for (const check of checks) {
      if (['SUCCESS', 'INFO', 'SKIPPED'].includes(check.status)) continue;
      const allow = allowed[scenario];
      if (allow === 'any' || allow?.includes(check.id)) continue;
      unexpected.push(`${scenario} / ${check.id}: ${check.status} ${check.errorMessage ?? ''}`);
    }
  }
  expect(unexpected).toEqual([]);
  for (const scenario of mustPass) {
    const checks = results.get(scenario) ?? [];
    expect(checks.length, `${scenario} did not run`).toBeGreaterThan(0);
    expect(
      checks.filter((c) => c.status !== 'SUCCESS').map((c) => `${c.id}: ${c.status}`),
      `${scenario} must pass`,
    ).toEqual([]);
  }
}

describe('MCP conformance suite against a generated server', () => {
  it('2025-11-25 (conformance 0.1.16): every scenario a generated server can serve passes', async () => {
    const out = join(root, 'results-2025');
    const leg = await runLeg(tools.conformance2025, ['--expected-failures', join(here, 'expected-failures.2025-11-25.yml')], out);
    expect(leg.exitCode, leg.output.slice(-4000)).toBe(0);
    verify(await readResults(out), ALLOWED_2025, MUST_PASS_2025, '2025-11-25');
  }, 600_000);

  it('2026-07-28 (conformance 0.2.0-alpha.12, --requirements 2026-07-28): every scenario a generated server can serve passes', async () => {
    const out = join(root, 'results-2026');
    const leg = await runLeg(
      tools.conformance2026,
      ['--requirements', '2026-07-28', '--expected-failures', join(here, 'expected-failures.2026-07-28.yml')],
      out,
    );
    expect(leg.exitCode, leg.output.slice(-4000)).toBe(0);
    const results = await readResults(out);
    verify(results, ALLOWED_2026, MUST_PASS_2026, '2026-07-28');
    // The stateless-era scenario ran its protocol checks, and they passed.
    expect((results.get('server-stateless') ?? []).filter((c) => c.status === 'SUCCESS').length).toBeGreaterThanOrEqual(20);
  }, 600_000);
});
