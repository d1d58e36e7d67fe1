/**
 * Reads an OpenAPI document (OpenAPI 3.0 or 3.1, or Swagger 2.0; JSON or YAML) with
 * @apidevtools/swagger-parser: parsed, validated against the specification's schema, and every
 * `$ref` inside the document resolved. A `$ref` to another file or a URL, and a document given
 * as a URL, are read only when the caller allows it (`allowExternal`): a document is input,
 * and following its references would let it make this process read other files or call other
 * hosts.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { isAbsolute, resolve } from 'node:path';
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
    document = (await SwaggerParser.validate(location, {
      resolve: { external: allowExternal, http: allowExternal ? { timeout: 10_000 } : false },
      dereference: { circular: true },
    })) as unknown as Record<string, unknown>;
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
