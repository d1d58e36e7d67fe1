/**
 * Flags and `--config` -> the raw spec input the prompts complete and zod validates.
 * Values keep their source, so an error names the flag or file the user actually wrote.
 */
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { formatPath, SpecError, type FieldLabeler } from '../spec/issues.js';
import { parseParamList } from '../spec/param-syntax.js';
import type { ParamSpec, ProjectSpecInput } from '../spec/project-spec.js';

export interface CreateFlags {
  name?: string;
  description?: string;
  transport?: string;
  auth?: string;
  backend?: string[];
  tool?: string[];
  config?: string;
}

/** Loosely typed on purpose: this is user input that has not been validated yet. */
export type RawSpec = Partial<Record<keyof ProjectSpecInput, unknown>> & Record<string, unknown>;

export interface SpecInput {
  raw: RawSpec;
  label: FieldLabeler;
}

const FLAG_OF: Record<string, string> = {
  name: '--name',
  description: '--description',
  transport: '--transport',
  auth: '--auth',
  backends: '--backend',
  tools: '--tool',
};

export async function specInputFrom(flags: CreateFlags): Promise<SpecInput> {
  const fromConfig = flags.config ? await readConfig(flags.config) : {};
  const raw: RawSpec = { ...fromConfig };
  const fromFlag = new Set<string>();
  const set = (field: string, value: unknown) => {
    if (value === undefined) return;
    raw[field] = value;
    fromFlag.add(field);
  };
  set('name', flags.name);
  set('description', flags.description);
  set('transport', flags.transport);
  set('auth', flags.auth);
  set('backends', flags.backend?.map((kind) => ({ kind })));
  set('tools', flags.tool?.map(parseToolFlag));

  const label: FieldLabeler = (path) => {
    const top = String(path[0] ?? '');
    if (fromFlag.has(top)) {
      const flag = FLAG_OF[top]!;
      return path.length > 1 ? `${flag} (${formatPath(path)})` : flag;
    }
    return flags.config && top in fromConfig ? `${flags.config}: ${formatPath(path)}` : formatPath(path);
  };
  return { raw, label };
}

async function readConfig(file: string): Promise<RawSpec> {
  let text: string;
  try {
    text = await readFile(resolve(file), 'utf8');
  } catch (err) {
    throw new SpecError([`--config ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new SpecError([`--config ${file}: not valid JSON (${(err as Error).message})`]);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new SpecError([`--config ${file}: must hold a JSON object (a spec, like a generated repo's mcp-gen.json)`]);
  }
  return data as RawSpec;
}

/**
 * `search_customers:read` -> `{ name, access }`, and with a parameter list in parentheses,
 * `search_customers:read(query:string?, limit:integer?)` -> `{ name, access, params }` (the
 * short form the prompts take: `?` marks an optional parameter). Without one the tool takes no
 * arguments; a bad list is refused naming the flag.
 */
export function parseToolFlag(value: string): { name: string; access?: string; params?: ParamSpec[] } {
  const open = value.indexOf('(');
  const head = open === -1 ? value : value.slice(0, open);
  const colon = head.indexOf(':');
  const tool = colon === -1 ? { name: head } : { name: head.slice(0, colon), access: head.slice(colon + 1) };
  if (open === -1) return tool;
  if (!value.endsWith(')')) throw new SpecError([`--tool ${value}: a parameter list goes in parentheses at the end, e.g. search_customers:read(query:string?, limit:integer?)`]);
  const { params, problems } = parseParamList(value.slice(open + 1, -1));
  if (problems.length > 0) throw new SpecError(problems.map((problem) => `--tool ${value}: ${problem}`));
  return { ...tool, params };
}

/** `../Acme CRM` -> `acme-crm`: a default npm name that is valid whatever the folder is called. */
export function packageNameFromDir(dir: string): string {
  const slug = basename(resolve(dir))
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[-._~]+|[-._~]+$/g, '');
  return slug || 'mcp-server';
}
