/**
 * What the pipeline governs of anything a client may use: a tool, a resource, a prompt. Each is
 * authorized by its scopes and the tenant's rollout, rate-limited and audited by its name.
 */
export interface Governed {
  readonly name: string;
  /** Semver of its contract. */
  readonly version: string;
  readonly title: string;
  /** Every scope the caller needs (all of them). */
  readonly scopes: readonly string[];
  /** Overrides RATE_LIMIT_TOOL_PER_MINUTE for this one. */
  readonly rateLimit?: { perMinute: number } | undefined;
  /** Marked for removal: audited with `deprecated: true`. */
  readonly deprecated?: { replacement?: string; removeAfter?: string } | undefined;
}

export const NAME_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;
export const SEMVER_PATTERN = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** The load-time checks every governed definition shares: name, version, rate limit. */
export function checkGoverned(kind: 'Tool' | 'Resource' | 'Prompt', item: Governed): void {
  if (!NAME_PATTERN.test(item.name)) throw new Error(`${kind} name ${JSON.stringify(item.name)} must be 1-128 characters of [A-Za-z0-9_.-]`);
  if (!SEMVER_PATTERN.test(item.version)) throw new Error(`${kind} ${item.name}: version ${JSON.stringify(item.version)} is not semver`);
  if (item.rateLimit && !(Number.isInteger(item.rateLimit.perMinute) && item.rateLimit.perMinute > 0)) {
    throw new Error(`${kind} ${item.name}: rateLimit.perMinute must be a positive integer`);
  }
}
