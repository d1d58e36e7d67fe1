/**
 * 0.5.0: the contract lock of a governed catalog has an `operations` section (each operation's
 * version, title, description, access, approval and input schema), which the contract check
 * classifies. A catalog repo written before it has a lock without one and gets it only after
 * `npm run contract -- --update`; this records it from the repo's current catalog, the entries
 * the generator writes for a new import (the same the repo's contract check computes). Every
 * entry already in the lock stays as it is; a lock that has the section is left alone.
 */
import type { Migration } from './migration.js';
import { LOCK_FILE, lockText, operationLockEntry, type ToolsLock } from '../../contract/tools-lock.js';
import { parseSpec } from '../../spec/parse.js';
import type { RepoOverlay } from '../repo-overlay.js';

/** The lock, when it lacks the section a catalog of this spec needs. */
async function lockWithoutOperations(spec: Record<string, unknown>, repo: RepoOverlay): Promise<ToolsLock | undefined> {
  const operations = (spec.catalog as { operations?: unknown[] } | undefined)?.operations;
  if (!Array.isArray(operations) || operations.length === 0) return undefined;
  const text = await repo.readDisk(LOCK_FILE);
  if (text === undefined) return undefined;
  let lock: ToolsLock;
  try {
    lock = JSON.parse(text) as ToolsLock;
  } catch {
    // Doctor names a broken lock; the migration does not guess at it.
    return undefined;
  }
  return lock.operations === undefined ? lock : undefined;
}

export const catalogLockOperations: Migration = {
  id: '0.5.0-catalog-lock-operations',
  version: '0.5.0',
  stage: 'after',
  description: `record the catalog's operations in ${LOCK_FILE} (its "operations" section), so the contract check classifies their changes`,
  async needed({ spec, repo }) {
    return (await lockWithoutOperations(spec, repo)) !== undefined;
  },
  async run({ spec, repo }) {
    const lock = await lockWithoutOperations(spec, repo);
    if (!lock) return;
    const { catalog } = parseSpec(spec);
    const operations = Object.fromEntries((catalog?.operations ?? []).map((op) => [op.name, operationLockEntry(op)]));
    repo.write(LOCK_FILE, lockText({ ...lock, operations }));
  },
};
