/**
 * 0.5.0: the merge bases moved from `.mcp-gen/base/` (a copy of every merged file, half the
 * repo's lines) into one compressed archive, `.mcp-gen/base.json.gz` (base-archive.ts). This
 * upgrade still reads the old files as the bases of its merges, and writes the archive with the
 * new bases like every upgrade does; the migration removes the old folder in the same write.
 * A repo without the folder (a second run) has nothing to remove.
 */
import type { Migration } from './migration.js';
import { BASE_ARCHIVE, LEGACY_BASE_DIR, legacyBasePaths } from '../base-archive.js';

export const mergeBaseArchive: Migration = {
  id: '0.5.0-merge-base-archive',
  version: '0.5.0',
  stage: 'after',
  description: `merge bases move from ${LEGACY_BASE_DIR}/ into one compressed file, ${BASE_ARCHIVE}`,
  async run({ repo }) {
    for (const path of await legacyBasePaths(repo.dir)) repo.remove(`${LEGACY_BASE_DIR}/${path}`);
  },
};
