/**
 * Tamper evidence: the audit file the server writes verifies intact, and every kind of edit is
 * caught at the record it touched, by the same verifier `npm run audit:verify` runs.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HashChain, GENESIS_HASH } from '../src/audit/hash-chain.js';
import { verifyFile, verifyText } from '../src/audit/verify-chain.js';
import { startHarness, type Harness } from './support/harness.js';
import { echo, probeTools } from './support/probe-tools.js';

const run = promisify(execFile);

describe('audit hash chain', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcp-chain-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Six calls written by a real server to `file`. */
  async function writeAuditFile(file: string, env: Record<string, string> = {}): Promise<string[]> {
    const harness: Harness = await startHarness({ tools: probeTools, env: { AUDIT_LOG: file, ...env } });
    for (let i = 0; i < 6; i++) await harness.call(echo.name, { message: `call ${i}` });
    await harness.close();
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  }

  it('links every record to the one before it', async () => {
    const lines = await writeAuditFile(join(dir, 'audit.jsonl'));
    const records = lines.map((line) => JSON.parse(line) as { chain: string; seq: number; prevHash: string; hash: string });
    expect(records.map((record) => record.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(records[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < records.length; i++) expect(records[i]!.prevHash).toBe(records[i - 1]!.hash);
    expect(new Set(records.map((record) => record.chain)).size).toBe(1);
    expect(verifyText(lines.join('\n'))).toMatchObject({ ok: true, records: 6 });
  });

  it('names the first broken record: altered, deleted, reordered or rewritten', async () => {
    const lines = await writeAuditFile(join(dir, 'audit.jsonl'));
    const altered = [...lines];
    altered[3] = altered[3]!.replace('"call 3"', '"call 9"');
    expect(verifyText(altered.join('\n')).broken).toMatchObject({ line: 4, seq: 4, reason: expect.stringMatching(/hash does not match/) });

    const deleted = lines.filter((_, i) => i !== 2);
    expect(verifyText(deleted.join('\n')).broken).toMatchObject({ line: 3, seq: 4, reason: expect.stringMatching(/1 record\(s\) missing/) });

    const reordered = [lines[0], lines[2], lines[1], ...lines.slice(3)];
    expect(verifyText(reordered.join('\n')).broken).toMatchObject({ line: 2, seq: 3 });

    // Someone edits record 5 and recomputes its hash: the next record no longer links to it.
    const record = JSON.parse(lines[4]!) as Record<string, unknown>;
    const { hash: _hash, ...rest } = record;
    const forged = new HashChain(undefined, { chain: String(rest['chain']), seq: Number(rest['seq']) - 1, hash: String(rest['prevHash']) });
    const { chain: _chain, seq: _seq, prevHash: _prev, ...fields } = rest;
    const rewritten = [...lines];
    rewritten[4] = forged.seal(JSON.stringify({ ...fields, arguments: { message: 'forged' } })).trimEnd();
    expect(verifyText(rewritten.join('\n')).broken).toMatchObject({ line: 6, seq: 6, reason: expect.stringMatching(/prevHash/) });

    expect(verifyText(`${lines.slice(0, 2).join('\n')}\n{"truncated":`).broken).toMatchObject({ line: 3, reason: expect.stringMatching(/not valid JSON/) });
  });

  it('continues the chain across restarts on the same file', async () => {
    const file = join(dir, 'audit.jsonl');
    await writeAuditFile(file);
    const lines = await writeAuditFile(file);
    expect(lines).toHaveLength(12);
    expect((JSON.parse(lines[6]!) as { seq: number }).seq).toBe(7);
    expect(await verifyFile(file)).toMatchObject({ ok: true, records: 12, chains: [{ firstSeq: 1, last: { seq: 12 } }] });
  });

  it('with AUDIT_CHAIN_KEY, only the key verifies the file', async () => {
    const key = 'k'.repeat(40);
    const file = join(dir, 'audit.jsonl');
    await writeAuditFile(file, { AUDIT_CHAIN_KEY: key });
    expect((await verifyFile(file, key)).ok).toBe(true);
    expect(await verifyFile(file)).toMatchObject({ ok: false, broken: { line: 1, reason: expect.stringMatching(/another AUDIT_CHAIN_KEY/) } });
  });

  it('npm run audit:verify exits 1 naming the tampered record', async () => {
    const file = join(dir, 'audit.jsonl');
    const lines = await writeAuditFile(file);
    const cli = ['--import', 'tsx', 'src/audit/verify-cli.ts', file];
    lines[1] = lines[1]!.replace('"outcome":"ok"', '"outcome":"denied"');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const broken = await run(process.execPath, cli).then(
      () => undefined,
      (error: { code: number; stdout: string }) => error,
    );
    expect(broken?.code).toBe(1);
    expect(broken?.stdout).toMatch(/BROKEN at line 2 \(seq 2, request [0-9a-f-]{36}, .+\): its hash does not match its content/);
  });
});
