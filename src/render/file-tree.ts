/**
 * A virtual tree of path -> contents: what render makes of a spec. Commands plan it against
 * the disk as a ChangeList (apply/changes.ts); only `apply/` writes. Paths are POSIX, relative, and iterated in sorted order so output is deterministic.
 */
export type FileClass = 'managed' | 'merged' | 'scaffold';

export interface TreeFile {
  contents: string;
  /** How later upgrades treat the file (docs/architecture.md, "File classes"). */
  class: FileClass;
  /** Unix mode bits worth keeping (executable scripts). */
  mode?: number;
  /** Set for binary content (the merge-base archive): `contents` holds its bytes in base64. */
  encoding?: 'base64';
}

export class FileTree {
  private readonly files = new Map<string, TreeFile>();

  set(path: string, file: TreeFile): void {
    this.files.set(normalize(path), file);
  }

  get(path: string): TreeFile | undefined {
    return this.files.get(normalize(path));
  }

  has(path: string): boolean {
    return this.files.has(normalize(path));
  }

  delete(path: string): boolean {
    return this.files.delete(normalize(path));
  }

  get size(): number {
    return this.files.size;
  }

  paths(): string[] {
    return [...this.files.keys()].sort();
  }

  *entries(): IterableIterator<[string, TreeFile]> {
    for (const path of this.paths()) yield [path, this.files.get(path)!];
  }
}

function normalize(path: string): string {
  const clean = path.replace(/\\/g, '/').replace(/^\.\//, '');
  if (clean.startsWith('/') || clean.split('/').some((seg) => seg === '..' || seg === '')) {
    throw new Error(`not a relative path inside the repo: ${path}`);
  }
  return clean;
}
