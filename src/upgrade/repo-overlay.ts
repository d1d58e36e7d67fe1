/**
 * A repo as migrations see it: the disk, with their edits held in memory until the whole
 * upgrade is known to succeed. Implements RepoState, so the update planner reads the
 * migrated files as if they were on disk.
 */
import type { ManifestEntry } from './state-files.js';
import type { RepoState } from './repo-state.js';

export class RepoOverlay implements RepoState {
  readonly dir: string;
  rawSpec: unknown;
  readonly manifest: Record<string, ManifestEntry>;
  private readonly files = new Map<string, string | null>();
  private readonly bases = new Map<string, string | null>();
  private readonly steps: string[] = [];
  /** Files moved on disk: old path -> new path. */
  private readonly moves = new Map<string, string>();

  constructor(private readonly repo: RepoState) {
    this.dir = repo.dir;
    this.rawSpec = structuredClone(repo.rawSpec);
    this.manifest = structuredClone(repo.manifest);
  }

  async readDisk(path: string): Promise<string | undefined> {
    if (this.files.has(path)) return this.files.get(path) ?? undefined;
    return this.repo.readDisk(path);
  }

  async readBase(path: string): Promise<string | undefined> {
    if (this.bases.has(path)) return this.bases.get(path) ?? undefined;
    return this.repo.readBase(path);
  }

  async findInHistory(path: string, sha256: string): Promise<string | undefined> {
    return this.repo.findInHistory?.(path, sha256);
  }

  write(path: string, contents: string): void {
    this.files.set(path, contents);
  }

  remove(path: string): void {
    this.files.set(path, null);
  }

  /** Moves a file with its merge base and manifest entry, so the new path merges the user's edits. */
  async rename(from: string, to: string): Promise<void> {
    const contents = await this.readDisk(from);
    // A file moved twice moves once; one only held in memory is written at its new path.
    const source = [...this.moves].find(([, movedTo]) => movedTo === from)?.[0];
    if (source !== undefined) this.moves.set(source, to);
    else if (contents !== undefined && !this.files.has(from)) this.moves.set(from, to);
    if (contents !== undefined) this.write(to, contents);
    this.remove(from);
    const base = await this.readBase(from);
    if (base !== undefined) this.bases.set(to, base);
    this.bases.set(from, null);
    if (this.manifest[from]) {
      this.manifest[to] = this.manifest[from]!;
      delete this.manifest[from];
    }
  }

  /** A step the user must take that a migration could not (reported; the upgrade exits 2). */
  followUp(step: string): void {
    if (!this.steps.includes(step)) this.steps.push(step);
  }

  followUps(): string[] {
    return [...this.steps];
  }

  /** The files migrations moved on disk: old path -> new path (its `edits()` say what each holds). */
  renames(): Map<string, string> {
    return new Map(this.moves);
  }

  /** The files migrations changed: path -> new contents, or null for a removal. */
  edits(): Map<string, string | null> {
    return new Map(this.files);
  }
}
