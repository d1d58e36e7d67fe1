/**
 * Reads an OpenAPI document (OpenAPI 3.0 or 3.1, or Swagger 2.0; JSON or YAML) with
 * @apidevtools/swagger-parser: parsed, validated against the specification's schema, and every
 * `$ref` inside the document resolved. A `$ref` to another file or a URL, and a document given
 * as a URL, are read only when the caller allows it (`allowExternal`): a document is input,
 * and following its references would let it make this process read other files or call other
 * hosts.
 */
import type SwaggerParserClass from '@apidevtools/swagger-parser';
import { existsSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import { SpecError } from '../../spec/issues.js';

export interface LoadOptions {
  /** Relative paths are read from here (the repository). */
  baseDir: string;
  /** Read external `$ref`s and URLs. */
  allowExternal?: boolean;
}

export interface LoadedDocument {
  /** The document, every `$ref` resolved (circular schemas stay circular objects). */
  document: Record<string, unknown>;
  /** `2.0`, `3.0.x` or `3.1.x`. */
  version: string;
}

export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

export async function loadOpenApiDocument(source: string, options: LoadOptions): Promise<LoadedDocument> {
  const allowExternal = options.allowExternal === true;
  if (isUrl(source) && !allowExternal) {
    throw new SpecError([`${source}: reading a document from a URL needs --allow-external (or download it and import the file)`]);
  }
  if (!isUrl(source) && /^[a-z][a-z0-9+.-]*:/i.test(source) && !/^[a-z]:[\\/]/i.test(source)) {
    throw new SpecError([`${source}: not a file path or an http(s) URL`]);
  }
  const location = isUrl(source) ? source : isAbsolute(source) ? source : resolve(options.baseDir, source);
  let document: Record<string, unknown>;
  try {
    document = await parseValidateDereference(location, allowExternal);
  } catch (error) {
    throw new SpecError([`${source}: ${documentProblem(error)}`]);
  }
  if (!allowExternal) {
    const external = firstExternalRef(document);
    if (external !== undefined) {
      throw new SpecError([`${source}: $ref "${external}" points outside the document; pass --allow-external to read it`]);
    }
  }
  const version = String(document.openapi ?? document.swagger ?? '');
  return { document, version };
}

/**
 * The checks of `SwaggerParser.validate`, in a cheaper order. `validate` dereferences the whole
 * document first (circular `$ref`s left as they are), validates that expansion against the
 * specification's JSON Schema (every use of a shared schema walked again), then dereferences a
 * second time for the circular ones: 1.2 s of a 1.6 s import of GitHub's 1,223 operations.
 * Here the schema validates the document as written, where a `$ref` is a Reference Object the
 * specification's schema allows in those places (the schema it was written for), and the
 * document is dereferenced once: every object is still checked where it is defined, and what
 * `validate` found besides (a `$ref` whose target is the wrong kind of object, say a schema used
 * as a parameter) the import reads as the kind it expects, and skips what it cannot use. The
 * validators are swagger-parser's own (its version is pinned); the schema check runs the
 * validator precompiled at build time (scripts/precompile-openapi-validators.mjs) when there is
 * one, since building it costs more than running it.
 */
async function parseValidateDereference(location: string, allowExternal: boolean): Promise<Record<string, unknown>> {
  const options = {
    resolve: { external: allowExternal, http: allowExternal ? { timeout: 10_000 } : (false as const) },
    dereference: { circular: true as const },
  };
  const SwaggerParser = swaggerParser();
  const parser = new SwaggerParser();
  const parsed = await parser.parse(location, options);
  validateSchema(parsed as unknown as Record<string, unknown>);
  const document = (await parser.dereference(location, parsed, options)) as unknown as Record<string, unknown>;
  validators().validateSpec(document);
  return document;
}

interface Validators {
  validateSchema(api: object): void;
  validateSpec(api: object): void;
}

let loaded: Validators | undefined;
function validators(): Validators {
  if (loaded === undefined) {
    loaded = {
      validateSchema: require('@apidevtools/swagger-parser/lib/validators/schema.js') as Validators['validateSchema'],
      validateSpec: require('@apidevtools/swagger-parser/lib/validators/spec.js') as Validators['validateSpec'],
    };
  }
  return loaded;
}

const require = createRequire(import.meta.url);
let parserClass: typeof SwaggerParserClass | undefined;

/**
 * swagger-parser, loaded when first used. Its index loads its schema validator, and with it Ajv
 * (83 modules, 0.15-0.2 s on a loaded machine), though the import never calls it when the
 * build's precompiled validators are there (validateSchema below runs them): then that module
 * is stood in for, before swagger-parser loads, by one that runs validateSchema, and Ajv is
 * not loaded. (Its version is pinned, and with it the module's path.)
 */
function swaggerParser(): typeof SwaggerParserClass {
  if (parserClass === undefined) {
    const schemaModule = require.resolve('@apidevtools/swagger-parser/lib/validators/schema.js');
    if (PRECOMPILED.every((url) => existsSync(url)) && require.cache[schemaModule] === undefined) {
      const standIn = new Module(schemaModule);
      standIn.filename = schemaModule;
      standIn.loaded = true;
      standIn.exports = (api: Record<string, unknown>) => validateSchema(api);
      require.cache[schemaModule] = standIn;
    }
    parserClass = require('@apidevtools/swagger-parser') as typeof SwaggerParserClass;
  }
  return parserClass;
}

// Literal URLs, so the bundle (scripts/bundle-cli.mjs) can point them at dist/import/openapi/.
const PRECOMPILED = [
  new URL('./openapi-validator-v2.cjs', import.meta.url),
  new URL('./openapi-validator-v3.cjs', import.meta.url),
  new URL('./openapi-validator-v31.cjs', import.meta.url),
];

type PrecompiledValidator = ((api: object) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };

const precompiled = new Map<string, PrecompiledValidator | undefined>();

/** The build's precompiled validator of the specification's schema, if there is one. */
function precompiledValidator(api: Record<string, unknown>): PrecompiledValidator | undefined {
  // The choice swagger-parser's validateSchema makes.
  const which = api.swagger ? 'v2' : String(api.openapi).startsWith('3.1') ? 'v31' : 'v3';
  if (!precompiled.has(which)) {
    const url = PRECOMPILED[which === 'v2' ? 0 : which === 'v3' ? 1 : 2]!;
    let validator: PrecompiledValidator | undefined;
    try {
      validator = require(fileURLToPath(url)) as PrecompiledValidator;
    } catch {
      validator = undefined; // from source: not built
    }
    precompiled.set(which, validator);
  }
  return precompiled.get(which);
}

/** swagger-parser's validateSchema: the same schema, options, verdict and message. */
function validateSchema(api: Record<string, unknown>): void {
  const validate = precompiledValidator(api);
  if (validate === undefined) {
    validators().validateSchema(api);
    return;
  }
  if (validate(api)) return;
  const errors = validate.errors ?? [];
  let message = 'Swagger schema validation failed.\n';
  for (const error of errors) message += format(`  #${error.instancePath.length ? error.instancePath : '/'} ${error.message}\n`);
  const problem = new SyntaxError(message) as SyntaxError & { details?: unknown };
  problem.details = errors;
  throw problem;
}

/** What was wrong, in a line or a few: the parser's message without its stack. */
function documentProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ENOENT' || /ENOENT|no such file/i.test(message)) return 'cannot be read: no such file';
  const lines = message.split('\n').map((line) => line.trim()).filter(Boolean);
  const head = lines[0] ?? 'unreadable';
  const detail = lines.slice(1, 6).join('; ');
  const what = /validation failed|is not a valid|Unsupported|not a valid Swagger|not a valid OpenAPI/i.test(head)
    ? 'is not a valid OpenAPI document'
    : 'cannot be read as an OpenAPI document (JSON or YAML)';
  return `${what}: ${head}${detail ? ` (${detail})` : ''}`;
}

/** The first `$ref` left unresolved (it pointed outside the document), if any. */
function firstExternalRef(root: unknown): string | undefined {
  const seen = new WeakSet<object>();
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object' || seen.has(value)) continue;
    seen.add(value);
    const ref = (value as Record<string, unknown>).$ref;
    if (typeof ref === 'string') return ref;
    for (const child of Object.values(value)) stack.push(child);
  }
  return undefined;
}
