/**
 * Versioned steps for what a re-render cannot express (a renamed file, a new field in a file
 * the repo owns). Each runs once per repo, in semver order, for from < version <= to; the
 * ids applied are recorded in mcp-gen.json. A migration must be idempotent, and if one
 * throws, the upgrade writes nothing.
 */
import compare from 'semver/functions/compare.js';
import gt from 'semver/functions/gt.js';
import lte from 'semver/functions/lte.js';
import { catalogLockOperations } from './migrations/catalog-lock-operations.js';
import { lockDescriptions } from './migrations/lock-descriptions.js';
import { sharedCallAudit } from './migrations/shared-call-audit.js';
import { sharedSummarizer } from './migrations/shared-summarizer.js';
import { toolNamespaceFolders } from './migrations/tool-namespace-folders.js';
import type { Migration } from './migrations/migration.js';
import { mergeBaseArchive } from './migrations/merge-base-archive.js';
import { toolModel } from './migrations/tool-model.js';

export type { Migration, MigrationContext } from './migrations/migration.js';

export const MIGRATIONS: readonly Migration[] = [lockDescriptions, toolNamespaceFolders, sharedSummarizer, sharedCallAudit, toolModel, mergeBaseArchive, catalogLockOperations];

export function pendingMigrations(all: readonly Migration[], from: string, to: string, applied: readonly string[]): Migration[] {
  return all
    .filter((m) => gt(m.version, from) && lte(m.version, to) && !applied.includes(m.id))
    .sort((a, b) => compare(a.version, b.version));
}
