/**
 * 0.5.0: the contract lock of a governed catalog has an `operations` section (each operation's
 * version, title, description, access, approval, input schema and, when typed, its answer's
 * schema `output`), which the contract check classifies. A catalog repo written before it has a
 * lock without the section, or with entries that predate `output` (no entry has one), and gets
 * them only after `npm run contract -- --update`; this records them from the repo's current
 * catalog, the entries the generator writes for a new import (the same the repo's contract check
 * computes). Every other field of an entry already in the lock stays as it is; a lock whose
 * entries already record answers is left alone.
 */
import type { Migration } from './migration.js';
import { LOCK_FILE, lockText, operationLockEntry, type ToolsLock } from '../../contract/tools-lock.js';
import { parseSpec } from '../../spec/parse.js';
import type { RepoOverlay } from '../repo-overlay.js';

/** The lock, when it lacks the section a catalog of this spec needs, or its entries predate answers. */
async function lockToFill(spec: Record<string, unknown>, repo: RepoOverlay): Promise<ToolsLock | undefined> {
  const operations = (spec.catalog as { operations?: Array<{ http?: { output?: unknown } }> } | undefined)?.operations;
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
  if (lock.operations === undefined) return lock;
  // One recorded answer says the lock knows `output`: an entry without one is untyped, or a change the check reports.
  const predatesAnswers = !Object.values(lock.operations).some((entry) => entry.output !== undefined);
  return predatesAnswers && operations.some((op) => op.http?.output !== undefined) ? lock : undefined;
}

export const catalogLockOperations: Migration = {
  id: '0.5.0-catalog-lock-operations',
  version: '0.5.0',
  stage: 'after',
  description: `record the catalog's operations in ${LOCK_FILE} (its "operations" section, each with its answer's schema), so the contract check classifies their changes`,
  async needed({ spec, repo }) {
    return (await lockToFill(spec, repo)) !== undefined;
  },
  async run({ spec, repo }) {
    const lock = await lockToFill(spec, repo);
    if (!lock) return;
    const { catalog } = parseSpec(spec);
    const current = Object.fromEntries((catalog?.operations ?? []).map((op) => [op.name, operationLockEntry(op)]));
    if (lock.operations === undefined) {
      repo.write(LOCK_FILE, lockText({ ...lock, operations: current }));
      return;
    }
    // Only the answer is added to an entry the lock holds: its version, wording and input stay as recorded.
    const operations = Object.fromEntries(
      Object.entries(lock.operations).map(([name, entry]) => {
        const output = current[name]?.output;
        return [name, output ? { ...entry, output } : entry];
      }),
    );
    repo.write(LOCK_FILE, lockText({ ...lock, operations }));
  },
};
