/**
 * Per-tenant rollout: which tools each tenant may use, from MCP_TOOL_ROLLOUT (inline JSON) or
 * MCP_TOOL_ROLLOUT_FILE (a JSON file, re-read when it changes and on SIGHUP):
 *
 *   { "default": ["search_customers"], "tenants": { "acme": "all", "globex": [] } }
 *
 * `default` applies to every tenant not listed (default "all"). A tool disabled for a tenant is
 * left out of that tenant's tools/list and refused if called anyway. Without a rollout, every
 * tenant gets every tool.
 */
import { readFileSync, statSync } from 'node:fs';

import { z } from 'zod';

import type { Logger } from '../observability/logger.js';

const toolList = z.union([z.literal('all'), z.array(z.string().min(1))]);

const rolloutSchema = z.strictObject({
  default: toolList.default('all'),
  tenants: z
    .record(z.string(), toolList)
    .default({})
    .superRefine((tenants, ctx) => {
      for (const tenant of Object.keys(tenants)) {
        if (!/^[A-Za-z0-9_.-]{1,64}$/.test(tenant)) {
          ctx.addIssue({ code: 'custom', path: [tenant], message: `${JSON.stringify(tenant)} is not a tenant id (1-64 characters of [A-Za-z0-9_.-])` });
        }
      }
    }),
});

export type RolloutRules = z.output<typeof rolloutSchema>;

/** Where the rules come from (src/config.ts has already parsed them once). */
export type RolloutSource = { rules: RolloutRules; file?: string | undefined };

/** Parses rollout JSON; throws an Error whose message says what is wrong and where. */
export function parseRollout(text: string): RolloutRules {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message})`);
  }
  const parsed = rolloutSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`).join('; '));
  }
  return parsed.data;
}

export class ToolRollout {
  private rules: RolloutRules | undefined;
  private fileVersion = '';
  private lastCheck = 0;

  /** Throws when the rules name a tool this server does not serve. */
  constructor(
    private readonly source: RolloutSource | undefined,
    private readonly toolNames: readonly string[],
    private readonly logger: Logger,
    private readonly recheckMs = 1_000,
  ) {
    if (!source) return;
    this.rules = this.checked(source.rules);
    if (source.file) this.fileVersion = versionOf(source.file);
  }

  /** Whether `tenantId` may list and call `toolName`. */
  isEnabled(toolName: string, tenantId: string): boolean {
    this.reloadIfChanged();
    if (!this.rules) return true;
    const allowed = this.rules.tenants[tenantId] ?? this.rules.default;
    return allowed === 'all' || allowed.includes(toolName);
  }

  /** Re-reads the rollout file now (SIGHUP). A broken file keeps the rules in force. */
  reload(): void {
    const file = this.source?.file;
    if (!file) return;
    this.fileVersion = versionOf(file);
    try {
      this.rules = this.checked(parseRollout(readFileSync(file, 'utf8')));
      this.logger.info({ rolloutFile: file }, 'tool rollout reloaded');
    } catch (error) {
      this.logger.error({ rolloutFile: file, problem: (error as Error).message }, 'tool rollout file is invalid; still using the previous rollout');
    }
  }

  private reloadIfChanged(): void {
    const file = this.source?.file;
    if (!file) return;
    const now = Date.now();
    if (now - this.lastCheck < this.recheckMs) return;
    this.lastCheck = now;
    if (versionOf(file) !== this.fileVersion) this.reload();
  }

  private checked(rules: RolloutRules): RolloutRules {
    const named = [rules.default, ...Object.values(rules.tenants)].flatMap((list) => (list === 'all' ? [] : list));
    const unknown = [...new Set(named.filter((name) => !this.toolNames.includes(name)))];
    if (unknown.length > 0) {
      const served = this.toolNames.length > 20 ? `${this.toolNames.slice(0, 20).join(', ')} and ${this.toolNames.length - 20} more` : this.toolNames.join(', ');
      throw new Error(`the tool rollout names tools this server does not serve: ${unknown.join(', ')} (it serves ${served})`);
    }
    return rules;
  }
}

/** mtime + size + inode: an atomic rewrite always changes at least one of them. */
function versionOf(path: string): string {
  try {
    const stat = statSync(path);
    return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
  } catch {
    return 'absent';
  }
}
