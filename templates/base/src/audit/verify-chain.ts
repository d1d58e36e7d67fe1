/**
 * Verifies an audit file sealed by src/audit/hash-chain.ts and names the first broken record:
 * altered (its hash does not match), missing or reordered (its `seq` does not follow), or
 * spliced (its `prevHash` is not the previous record's hash).
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
  private readonly chains = new Map<string, ChainSummary & { lastLine: number }>();
  private records = 0;
  private broken: BrokenRecord | undefined;

  constructor(private readonly key: string | undefined) {}

  /** Checks the next line; once a record is broken, later lines are not checked. */
  push(line: string, lineNumber: number): void {
    if (this.broken || line.trim() === '') return;
    const fail = (reason: string, record?: Record<string, unknown>) => {
      this.broken = {
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
      this.chains.set(chain, { chain, records: 1, firstLine: lineNumber, firstSeq: seq, anchor: prevHash, last: { chain, seq, hash: sealed.hash }, lastLine: lineNumber });
    } else {
      if (seq !== known.last.seq + 1) {
        return fail(
          seq > known.last.seq + 1
            ? `seq ${seq} follows seq ${known.last.seq} (line ${known.lastLine}): ${seq - known.last.seq - 1} record(s) missing before it`
            : `seq ${seq} follows seq ${known.last.seq} (line ${known.lastLine}): records reordered or repeated`,
          record,
        );
      }
      if (prevHash !== known.last.hash) {
        return fail(`its prevHash is not the hash of the previous record (line ${known.lastLine}): one of the two was rewritten`, record);
      }
      known.records += 1;
      known.last = { chain, seq, hash: sealed.hash };
      known.lastLine = lineNumber;
    }
    this.records += 1;
  }

  result(): VerifyResult {
    const chains = [...this.chains.values()].map(({ lastLine: _lastLine, ...summary }) => summary);
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
