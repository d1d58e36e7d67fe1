/**
 * What a migration is, in a module of its own: the registry (../migrations.ts) imports every
 * migration and each migration imports this type, so neither imports the other.
 */
import type { FileTree } from '../../render/file-tree.js';
import type { RepoOverlay } from '../repo-overlay.js';

export interface MigrationContext {
  /** mcp-gen.json as parsed JSON (before: editable; after: already validated). */
  spec: Record<string, unknown>;
  /** The repo's files, edits held in memory. */
  repo: RepoOverlay;
  /** The new render: present for `after` migrations only. */
  tree?: FileTree;
}

export interface Migration {
  id: string;
  /** The generator version that needs it. */
  version: string;
  stage: 'before' | 'after';
  description: string;
  /**
   * Whether this repo lacks what the migration adds, read from its files. With it, the
   * migration also runs in a repo its own version wrote (a development build of that version,
   * made before the migration existed) when it says so; without it, only in older repos.
   */
  needed?(ctx: Pick<MigrationContext, 'spec' | 'repo'>): boolean | Promise<boolean>;
  run(ctx: MigrationContext): void | Promise<void>;
}
