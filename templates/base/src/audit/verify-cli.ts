/**
 * npm run audit:verify -- <file>... [--json]
 *   (in a built image: node dist/audit/verify-cli.js <file>...)
 *
 * Checks the hash chain of an audit file, or of a rotated set as one sequence (oldest first, the
 * active file last: `npm run audit:verify -- audit.*.jsonl audit.jsonl`), and names the file and
 * line of the first broken record. Records sealed with AUDIT_CHAIN_KEY need the same key, from
 * AUDIT_CHAIN_KEY or AUDIT_CHAIN_KEY_FILE.
 * Exit codes: 0 intact, 1 broken, 2 cannot check (no file, bad arguments).
 */
import { existsSync, readFileSync } from 'node:fs';

import { verifyFiles, type VerifyResult } from './verify-chain.js';

function chainKey(): string | undefined {
  const file = process.env['AUDIT_CHAIN_KEY_FILE'];
  if (file) return readFileSync(file, 'utf8').trim();
  return process.env['AUDIT_CHAIN_KEY'] || undefined;
}

function describe(paths: string[], result: VerifyResult): string {
  const name = paths.length === 1 ? paths[0]! : `${paths.length} files (${paths[0]} … ${paths.at(-1)})`;
  if (result.broken) {
    const { file, line, seq, requestId, time, reason } = result.broken;
    const where = [seq !== null ? `seq ${seq}` : undefined, requestId ? `request ${requestId}` : undefined, time ?? undefined].filter(Boolean).join(', ');
    return `${file ?? name}: BROKEN at line ${line}${where ? ` (${where})` : ''}: ${reason}.\n${result.records} record(s) before it are intact.`;
  }
  const lines = [`${name}: intact, ${result.records} record(s) in ${result.chains.length} chain(s).`];
  for (const chain of result.chains) {
    const start = chain.firstSeq === 1 ? 'from its start' : `continuing an earlier file from prevHash ${chain.anchor}`;
    const first = paths.length > 1 && chain.firstFile ? ` (first in ${chain.firstFile})` : '';
    lines.push(`  chain ${chain.chain}: seq ${chain.firstSeq}-${chain.last.seq} ${start}${first}; last hash ${chain.last.hash}`);
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  // An unmatched shell glob (`audit.*.jsonl` before the first rotation) arrives as is: skip it.
  const files = args
    .filter((arg) => arg !== '--json')
    .filter((arg) => {
      if (!/[*?[]/.test(arg) || existsSync(arg)) return true;
      process.stderr.write(`note: no file matches ${arg}\n`);
      return false;
    });
  if (files.length === 0 || files.some((file) => file.startsWith('-'))) {
    process.stderr.write('Usage: npm run audit:verify -- <audit file>... [--json]   (a rotated set oldest first, the active file last)\n');
    return 2;
  }
  let result: VerifyResult;
  try {
    result = await verifyFiles(files, chainKey());
  } catch (error) {
    process.stderr.write(`Cannot read ${(error as NodeJS.ErrnoException).path ?? files.join(', ')}: ${(error as Error).message}\n`);
    return 2;
  }
  process.stdout.write(`${json ? JSON.stringify(result, null, 2) : describe(files, result)}\n`);
  return result.ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
