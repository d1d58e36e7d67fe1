/**
 * 0.5.0: one audit record builder, shared by the pipeline and both transports. The record type
 * and its builder (`AuditRecord`, `auditRecord`) moved from src/pipeline/audit.ts to
 * src/audit/audit-record.ts, and the HTTP transport's src/transports/tool-call-audit.ts, which
 * stdio now uses too, to src/audit/tool-call-audit.ts. The latter is template-owned (merged), so
 * it moves with its merge base and the re-render merges the user's edits into it; the user's
 * own files that import either are pointed at the new paths. A stdio-only repo has no
 * tool-call-audit.ts, and a second run finds everything moved: both do nothing.
 */
import { posix } from 'node:path';
import type { Migration } from './migration.js';
import { rewriteRelativeImports } from './relative-imports.js';
import { userSourceFiles } from './user-source-files.js';

const FROM = 'src/transports/tool-call-audit';
const TO = 'src/audit/tool-call-audit';
const OLD_RECORD_MODULE = 'src/pipeline/audit';
const RECORD_MODULE = 'src/audit/audit-record';
const RECORD_NAMES = new Set(['AuditRecord', 'auditRecord']);

export const sharedCallAudit: Migration = {
  id: '0.5.0-shared-call-audit',
  version: '0.5.0',
  stage: 'before',
  description: 'move src/transports/tool-call-audit.ts to src/audit/, and AuditRecord / auditRecord to src/audit/audit-record.ts',
  async run({ repo }) {
    const moved = new Map<string, string>();
    const present = (await repo.readDisk(`${FROM}.ts`)) !== undefined || repo.manifest[`${FROM}.ts`] !== undefined;
    if (present && (await repo.readDisk(`${TO}.ts`)) === undefined) {
      await repo.rename(`${FROM}.ts`, `${TO}.ts`);
      moved.set(FROM, TO);
    }
    for (const path of await userSourceFiles(repo)) {
      const contents = await repo.readDisk(path);
      if (contents === undefined) continue;
      const rewritten = importRecordFromItsModule(rewriteRelativeImports(contents, { from: path, to: path, moved }), path);
      if (rewritten !== contents) repo.write(path, rewritten);
    }
  },
};

/** `import { … } from '…'` and `import type { … } from '…'`, over one or several lines. */
const NAMED_IMPORT = /import(\s+type)?(\s*)\{([^}]*)\}(\s*)from(\s*)(['"])(\.{1,2}\/[^'"\n]*)\6(;?)/g;
const EXTENSION = /\.(?:[cm]?js|[cm]?ts)$/;

/**
 * The names AuditRecord and auditRecord imported from src/pipeline/audit, imported from
 * src/audit/audit-record instead (an import of other names too is split in two).
 */
export function importRecordFromItsModule(contents: string, path: string): string {
  const dir = posix.dirname(path);
  return contents.replace(NAMED_IMPORT, (match, typeOnly: string | undefined, sp1: string, list: string, sp2: string, sp3: string, quote: string, specifier: string, semi: string) => {
    const extension = EXTENSION.exec(specifier)?.[0] ?? '';
    if (posix.join(dir, specifier.slice(0, specifier.length - extension.length)) !== OLD_RECORD_MODULE) return match;
    const names = list.split(',').map((name) => name.trim()).filter(Boolean);
    const isRecord = (name: string) => RECORD_NAMES.has(name.replace(/^type\s+/, '').split(/\s+as\s+/)[0]!.trim());
    const record = names.filter(isRecord);
    if (record.length === 0) return match;
    let target = posix.relative(dir, RECORD_MODULE) + extension;
    if (!target.startsWith('.')) target = `./${target}`;
    const statement = (from: string, imported: string[]) => `import${typeOnly ?? ''}${sp1}{ ${imported.join(', ')} }${sp2}from${sp3}${quote}${from}${quote}${semi}`;
    const rest = names.filter((name) => !isRecord(name));
    return rest.length === 0 ? statement(target, record) : `${statement(target, record)}\n${statement(specifier, rest)}`;
  });
}
