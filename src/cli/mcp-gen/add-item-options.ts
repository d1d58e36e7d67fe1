/** What add-tool, add-resource and add-prompt share: the flags every item takes, and how a refused field is named. */
import { SpecError, formatPath } from '../../spec/issues.js';

export interface ItemOptions {
  title?: string;
  description?: string;
  scopes?: string;
  rateLimit?: string;
  dir: string;
  dryRun?: boolean;
  diff?: boolean;
}

/** name, title, description, scopes and rate limit, from the flags that were given; `per`: what the rate limit counts. */
export function commonFields(name: string, options: ItemOptions, per: 'calls' | 'reads'): Record<string, unknown> {
  const item: Record<string, unknown> = { name };
  if (options.title !== undefined) item.title = options.title;
  if (options.description !== undefined) item.description = options.description;
  if (options.scopes !== undefined) item.scopes = options.scopes.split(',').map((s) => s.trim()).filter(Boolean);
  if (options.rateLimit !== undefined) {
    if (!/^\d+$/.test(options.rateLimit)) {
      throw new SpecError([`--rate-limit: "${options.rateLimit}" is not allowed; expected a whole number of ${per} per minute`]);
    }
    item.rateLimit = { perMinute: Number(options.rateLimit) };
  }
  return item;
}

/** A refused field named by the flag that set it (`--uri-template`), else by its place. */
export function flagLabel(flags: Readonly<Record<string, string>>): (path: readonly PropertyKey[]) => string {
  return (path) => {
    const flag = flags[String(path[0])];
    return flag ? (path.length > 1 ? `${flag} (${formatPath(path)})` : flag) : formatPath(path);
  };
}
