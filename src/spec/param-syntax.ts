/**
 * The short form of a parameter list used by prompts (and later by `mcp-gen add-tool`):
 * `query:string?, limit:integer?, tags:string[]` -- `?` marks an optional parameter.
 */
import type { ParamSpec, ParamType } from './project-spec.js';

/** The types a flag or a prompt may give; object and array are for imported operations. */
const PARAM_TYPES = ['string', 'number', 'integer', 'boolean', 'string[]'] as const;

export function parseParamList(text: string): { params: ParamSpec[]; problems: string[] } {
  const params: ParamSpec[] = [];
  const problems: string[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*:\s*([a-z]+(?:\[\])?)\s*(\?)?$/.exec(item);
    if (!match) {
      problems.push(`"${item}" should look like name:type or name:type? (optional)`);
      continue;
    }
    const [, name, type, optional] = match;
    if (!(PARAM_TYPES as readonly string[]).includes(type!)) {
      problems.push(`"${item}": type "${type}" is not allowed; expected one of ${PARAM_TYPES.join(', ')}`);
      continue;
    }
    params.push({ name: name!, type: type as ParamType, description: '', required: !optional });
  }
  return { params, problems };
}

/**
 * One `--param` flag: `name:type`, `name:type?` or `name:type:optional|required`, with an
 * optional `=description` at the end. Required unless marked optional, as in the spec.
 */
export function parseParamFlag(value: string): { param?: ParamSpec; problem?: string } {
  const eq = value.indexOf('=');
  const head = (eq === -1 ? value : value.slice(0, eq)).trim();
  const description = eq === -1 ? '' : value.slice(eq + 1).trim();
  const match = /^([^:]+):([^:?]+)(\?|:required|:optional)?$/.exec(head);
  if (!match) return { problem: `"${value}" should look like name:type, name:type? or name:type:required, optionally =description` };
  const { params, problems } = parseParamList(`${match[1]}:${match[2]}${match[3] === '?' || match[3] === ':optional' ? '?' : ''}`);
  if (problems.length > 0) return { problem: problems[0]!.replace(/^"[^"]*"/, `"${value}"`) };
  return { param: { ...params[0]!, description } };
}
