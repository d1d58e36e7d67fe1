/**
 * The templates folder as the build saw it (scripts/precompile-templates.mjs writes
 * dist/render/templates-manifest.json): every file, in the order a layer walk visits them, with
 * its executable bit, and the regular expression of every glob the layers' layer.json list.
 * A render otherwise read some 190 directories and stat'ed each file it read, and compiled the
 * layers' globs with picomatch, on every command. Absent when running from source; used for the
 * packaged templates folder only (a test's fixture templates are walked as before).
 */
import { readFileSync } from 'node:fs';

export interface ManifestFile {
  /** Path inside the templates folder, POSIX. */
  path: string;
  executable: boolean;
}

interface ManifestJson {
  /** [path, executable (1) or not (0)], depth first, each folder's entries in name order. */
  files: Array<[string, 0 | 1]>;
  /** glob -> [source, flags] of the regular expression picomatch makes of it (`dot: true`, POSIX). */
  globs: Record<string, [string, string]>;
}

export interface TemplatesManifest {
  /** A layer's files, paths inside the layer, in walk order; undefined for a folder the templates do not hold. */
  layerFiles(id: string): ManifestFile[] | undefined;
  /** Every path in the templates folder (files only), POSIX. */
  paths: string[];
  /** The matcher of a glob, as picomatch makes it, when the build compiled it. */
  glob(glob: string): ((path: string) => boolean) | undefined;
}

export function readTemplatesManifest(file: URL): TemplatesManifest | undefined {
  let json: ManifestJson;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as ManifestJson;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const paths = json.files.map(([path]) => path);
  const folders = new Set(paths.flatMap((path) => path.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));
  // A Windows picomatch also matches backslashes: there the globs are compiled at run time.
  const globs = process.platform === 'win32' ? {} : json.globs;
  return {
    paths,
    layerFiles(id) {
      if (!folders.has(id)) return undefined;
      const prefix = `${id}/`;
      return json.files.filter(([path]) => path.startsWith(prefix)).map(([path, executable]) => ({ path: path.slice(prefix.length), executable: executable === 1 }));
    },
    glob(glob) {
      const compiled = globs[glob];
      if (!compiled) return undefined;
      const regex = new RegExp(compiled[0], compiled[1]);
      // picomatch.test: the glob itself matches before its expression is tried.
      return (path) => path === glob || regex.test(path);
    },
  };
}
