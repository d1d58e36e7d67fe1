/** One Handlebars environment for every template: code generation, so no HTML escaping. */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';
// The runtime alone: the compiler is half of Handlebars' load time, and the templates come
// precompiled (scripts/precompile-templates.mjs), so it is loaded only for a template that is not.
import HandlebarsRuntime from 'handlebars/runtime.js';

/** What a render passes on to a template: the slices as partials, and the caller's `@data` inside a slice. */
export interface RenderOptions {
  data?: unknown;
  partials?: Record<string, unknown>;
}

export type CompiledTemplate = (context: object, options?: RenderOptions) => string;

const env = (HandlebarsRuntime as unknown as typeof Handlebars).create();
env.registerHelper('json', (value: unknown) => JSON.stringify(value, null, 2));
env.registerHelper('str', (value: unknown) => JSON.stringify(value));
env.registerHelper('eq', (a: unknown, b: unknown) => a === b);
env.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
env.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
env.registerHelper('includes', (list: unknown, item: unknown) => Array.isArray(list) && list.includes(item));
/** `{{#if (requiredParam tool.params "id" "string")}}`: the tool has that parameter, required, of that type. */
env.registerHelper('requiredParam', (params: unknown, name: unknown, type: unknown) =>
  Array.isArray(params) && params.some((p) => p?.name === name && p?.type === type && p?.required === true),
);
/** `{{> (concat "backend/" tool.backend ":tool/handler")}}`: a slice named at render time. */
env.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
env.registerHelper('join', (list: unknown, sep: unknown) =>
  Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : '',
);

type PrecompiledSpec = Parameters<typeof env.template>[0];

/** A layer's templates precompiled at build time (scripts/precompile-templates.mjs), by sha256 of their source. */
export type PrecompiledTemplates = Record<string, PrecompiledSpec>;

/**
 * The environment with the compiler attached, as Handlebars.create() attaches it (the same
 * functions, on this environment, so compiled templates share its helpers); done on the first
 * template the precompiled set does not hold.
 */
function withCompiler(): typeof env {
  if (!env.compile) {
    const require = createRequire(import.meta.url);
    const full = require('handlebars') as Record<string, unknown>;
    const compiler = require('handlebars/dist/cjs/handlebars/compiler/compiler.js') as {
      compile: (input: string, options: CompileOptions | undefined, hb: typeof env) => HandlebarsTemplateDelegate;
      precompile: (input: string, options: PrecompileOptions | undefined, hb: typeof env) => TemplateSpecification;
    };
    Object.assign(env, {
      compile: (input: string, options?: CompileOptions) => compiler.compile(input, options, env),
      precompile: (input: string, options?: PrecompileOptions) => compiler.precompile(input, options, env),
      AST: full.AST,
      Compiler: full.Compiler,
      JavaScriptCompiler: full.JavaScriptCompiler,
      Parser: full.Parser,
      parse: full.parse,
      parseWithoutProcessing: full.parseWithoutProcessing,
    });
  }
  return env;
}

type SetUp = (options: Record<string, unknown>) => void;

/**
 * Each call of a template (each slice included: ~1,700 a render) sets it up anew: the
 * environment's helpers wrapped again, its partials, decorators, hooks and access control
 * rebuilt, a tenth of a render. Given the same partials and nothing else but `data`, a setup
 * makes what the last one made, so that is kept until the partials change.
 */
function setUpOncePerPartials(template: HandlebarsTemplateDelegate): void {
  const runtime = template as unknown as { _setup?: SetUp };
  const setUp = runtime._setup;
  if (!setUp) return;
  let setUpFor: { partials: unknown } | undefined;
  runtime._setup = (options) => {
    const plain = !options.partial && Object.keys(options).every((key) => key === 'data' || key === 'partials');
    if (plain && setUpFor !== undefined && setUpFor.partials === options.partials) return;
    setUp(options);
    setUpFor = plain ? { partials: options.partials } : undefined;
  };
}

/** `precompiled`: the build's templates of the layer `source` is from; absent, or without it, it is compiled here. */
export function compileTemplate(source: string, name: string, precompiled?: PrecompiledTemplates): CompiledTemplate {
  const spec = precompiled?.[createHash('sha256').update(source).digest('hex')];
  const template = spec ? env.template(spec) : withCompiler().compile(source, { noEscape: true, strict: true });
  setUpOncePerPartials(template);
  return (context, options) => {
    // Handlebars copies the partials passed to every template call (each slice included) onto
    // the environment's own, unless they are the environment's: a render's ~1,400 slice partials
    // were copied on every call, a tenth of a render. Rendering is synchronous, so they are the
    // environment's for the length of this call only.
    const own = env as { partials: unknown };
    const partials = own.partials;
    if (options?.partials) own.partials = options.partials;
    try {
      return template(context, options as Parameters<typeof template>[1]);
    } catch (err) {
      throw new Error(`template ${name}: ${(err as Error).message}`);
    } finally {
      own.partials = partials;
    }
  };
}
