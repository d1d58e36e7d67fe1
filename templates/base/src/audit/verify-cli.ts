/**
 * npm run audit:verify -- <file> [--json]
 *   (in a built image: node dist/audit/verify-cli.js <file>)
 *
 * Checks the hash chain of an audit file and names the first broken record. Records sealed with
 * AUDIT_CHAIN_KEY need the same key, from AUDIT_CHAIN_KEY or AUDIT_CHAIN_KEY_FILE.
 * Exit codes: 0 intact, 1 broken, 2 cannot check (no file, bad arguments).
 */
import { readFileSync } from 'node:fs';

import { verifyFile, type VerifyResult } from './verify-chain.js';

function chainKey(): string | undefined {
  const file = process.env['AUDIT_CHAIN_KEY_FILE'];
  if (file) return readFileSync(file, 'utf8').trim();
  return process.env['AUDIT_CHAIN_KEY'] || undefined;
}

function describe(path: string, result: VerifyResult): string {
  if (result.broken) {
    const { line, seq, requestId, time, reason } = result.broken;
    const where = [seq !== null ? `seq ${seq}` : undefined, requestId ? `request ${requestId}` : undefined, time ?? undefined].filter(Boolean).join(', ');
    return `${path}: BROKEN at line ${line}${where ? ` (${where})` : ''}: ${reason}.\n${result.records} record(s) before it are intact.`;
  }
  const lines = [`${path}: intact, ${result.records} record(s) in ${result.chains.length} chain(s).`];
  for (const chain of result.chains) {
    const start = chain.firstSeq === 1 ? 'from its start' : `continuing an earlier file from prevHash ${chain.anchor}`;
    lines.push(`  chain ${chain.chain}: seq ${chain.firstSeq}-${chain.last.seq} ${start}; last hash ${chain.last.hash}`);
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const files = args.filter((arg) => arg !== '--json');
  if (files.length !== 1 || files[0]!.startsWith('-')) {
    process.stderr.write('Usage: npm run audit:verify -- <audit file> [--json]\n');
    return 2;
  }
  const path = files[0]!;
  let result: VerifyResult;
  try {
    result = await verifyFile(path, chainKey());
  } catch (error) {
    process.stderr.write(`Cannot read ${path}: ${(error as Error).message}\n`);
    return 2;
  }
  process.stdout.write(`${json ? JSON.stringify(result, null, 2) : describe(path, result)}\n`);
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
