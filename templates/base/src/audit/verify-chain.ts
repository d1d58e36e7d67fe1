/**
 * Verifies an audit file sealed by src/audit/hash-chain.ts and names the first broken record:
 * altered (its hash does not match), missing or reordered (its `seq` does not follow), or
 * spliced (its `prevHash` is not the previous record's hash).
 *
 * Several files are checked as one sequence, in the order given (a rotated set: oldest first, the
 * active file last; src/audit/audit-files.ts), and a break is named by file and line.
 *
 * Records of several chains may be interleaved (the stdout of several processes, merged); each
 * chain is checked on its own, in file order. A chain whose first record in the file has
 * `seq` > 1 continues from an earlier (rotated) file: its first `prevHash` is reported so it can
 * be matched against that file's last hash.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

import { chainDigest, GENESIS_HASH, unseal, type ChainPosition } from './hash-chain.js';

export interface BrokenRecord {
  /** The file it is in (when files were verified). */
  file?: string;
  /** 1-based line number in the file. */
  line: number;
  seq: number | null;
  requestId: string | null;
  time: string | null;
  reason: string;
}

export interface ChainSummary {
  chain: string;
  records: number;
  firstLine: number;
  /** The file the chain's first record is in (when files were verified). */
  firstFile?: string;
  firstSeq: number;
  /** The hash the chain's first record in this file links to (GENESIS_HASH for a new chain). */
  anchor: string;
  last: ChainPosition;
}

export interface VerifyResult {
  ok: boolean;
  records: number;
  chains: ChainSummary[];
  /** The first broken record, in file order. */
  broken?: BrokenRecord;
}

export class ChainVerifier {
  private readonly chains = new Map<string, ChainSummary & { lastLine: number; lastFile: string | undefined }>();
  private records = 0;
  private broken: BrokenRecord | undefined;

  constructor(private readonly key: string | undefined) {}

  /** Checks the next line (of `file`, when files are verified); once a record is broken, later lines are not checked. */
  push(line: string, lineNumber: number, file?: string): void {
    if (this.broken || line.trim() === '') return;
    const at = (n: number, inFile: string | undefined) => (inFile === file || inFile === undefined ? `line ${n}` : `${inFile}, line ${n}`);
    const fail = (reason: string, record?: Record<string, unknown>) => {
      this.broken = {
        ...(file !== undefined ? { file } : {}),
        line: lineNumber,
        seq: typeof record?.['seq'] === 'number' ? record['seq'] : null,
        requestId: typeof record?.['requestId'] === 'string' ? record['requestId'] : null,
        time: typeof record?.['time'] === 'string' ? record['time'] : null,
        reason,
      };
    };

    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return fail('not valid JSON (a truncated or edited line)');
    }
    const sealed = unseal(line);
    const { chain, seq, prevHash } = record;
    if (!sealed || typeof chain !== 'string' || typeof seq !== 'number' || typeof prevHash !== 'string') {
      return fail('not a sealed audit record (chain, seq, prevHash and hash missing)', record);
    }
    if (chainDigest(this.key, sealed.body) !== sealed.hash) {
      const keyHint = this.records === 0 ? ' (or it was sealed with another AUDIT_CHAIN_KEY)' : '';
      return fail(`its hash does not match its content: the record was altered${keyHint}`, record);
    }

    const known = this.chains.get(chain);
    if (!known) {
      if (seq === 1 && prevHash !== GENESIS_HASH) return fail('the first record of a chain must link to the genesis hash', record);
      this.chains.set(chain, {
        chain,
        records: 1,
        firstLine: lineNumber,
        ...(file !== undefined ? { firstFile: file } : {}),
        firstSeq: seq,
        anchor: prevHash,
        last: { chain, seq, hash: sealed.hash },
        lastLine: lineNumber,
        lastFile: file,
      });
    } else {
      if (seq !== known.last.seq + 1) {
        return fail(
          seq > known.last.seq + 1
            ? `seq ${seq} follows seq ${known.last.seq} (${at(known.lastLine, known.lastFile)}): ${seq - known.last.seq - 1} record(s) missing before it`
            : `seq ${seq} follows seq ${known.last.seq} (${at(known.lastLine, known.lastFile)}): records reordered or repeated`,
          record,
        );
      }
      if (prevHash !== known.last.hash) {
        return fail(`its prevHash is not the hash of the previous record (${at(known.lastLine, known.lastFile)}): one of the two was rewritten`, record);
      }
      known.records += 1;
      known.last = { chain, seq, hash: sealed.hash };
      known.lastLine = lineNumber;
      known.lastFile = file;
    }
    this.records += 1;
  }

  result(): VerifyResult {
    const chains = [...this.chains.values()].map(({ lastLine: _lastLine, lastFile: _lastFile, ...summary }) => summary);
    return { ok: this.broken === undefined, records: this.records, chains, ...(this.broken ? { broken: this.broken } : {}) };
  }
}

/** Verifies the lines of `text`. */
export function verifyText(text: string, key?: string): VerifyResult {
  const verifier = new ChainVerifier(key);
  text.split('\n').forEach((line, index) => verifier.push(line, index + 1));
  return verifier.result();
}

/** Verifies a file, streaming it (audit files grow large). */
export async function verifyFile(path: string, key?: string): Promise<VerifyResult> {
  const verifier = new ChainVerifier(key);
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) verifier.push(line, ++lineNumber);
  return verifier.result();
}

/** Verifies files as one sequence (a rotated set, oldest first), streaming each; a break names its file. */
export async function verifyFiles(paths: readonly string[], key?: string): Promise<VerifyResult> {
  const verifier = new ChainVerifier(key);
  for (const path of paths) {
    const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
    let lineNumber = 0;
    for await (const line of lines) verifier.push(line, ++lineNumber, path);
  }
  return verifier.result();
}
