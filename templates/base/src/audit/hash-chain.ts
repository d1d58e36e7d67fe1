/**
 * Tamper evidence for the audit trail: every record is sealed into a hash chain.
 *
 * A sealed line is the record's JSON followed by four fields:
 *
 *   {…record…,"chain":"<uuid>","seq":42,"prevHash":"<hash of record 41>","hash":"<hash of this line>"}
 *
 * `hash` is SHA-256 (or HMAC-SHA-256 with AUDIT_CHAIN_KEY) of the line up to, not including,
 * `,"hash":…`, with the closing brace. Editing a record breaks its hash; deleting or reordering
 * records breaks `seq` / `prevHash` at the next one. `npm run audit:verify -- <file>` checks it
 * (src/audit/verify-chain.ts).
 *
 * A chain is one writer's sequence: each process writing to stdout starts its own (`chain` tells
 * them apart when their output is merged); a process appending to an audit file continues the
 * chain found at the end of the file. Without AUDIT_CHAIN_KEY anyone able to rewrite the whole
 * file can recompute every hash; with it, only holders of the key can.
 */
import { createHmac, hash, randomUUID } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export const GENESIS_HASH = '0'.repeat(64);

/** Where a chain stands: the last record written. */
export interface ChainPosition {
  chain: string;
  seq: number;
  hash: string;
}

export class HashChain {
  private position: ChainPosition;

  constructor(
    private readonly key: string | undefined,
    resumeFrom?: ChainPosition,
  ) {
    this.position = resumeFrom ?? { chain: randomUUID(), seq: 0, hash: GENESIS_HASH };
  }

  /** The chain and the last sequence number sealed. */
  get current(): ChainPosition {
    return { ...this.position };
  }

  /** Seals one record (the JSON of an object) into the next line of the chain, newline included. */
  seal(recordJson: string): string {
    if (!recordJson.startsWith('{') || !recordJson.endsWith('}')) throw new Error('an audit record must be a JSON object');
    const seq = this.position.seq + 1;
    const link = `"chain":${JSON.stringify(this.position.chain)},"seq":${seq},"prevHash":"${this.position.hash}"`;
    const body = recordJson === '{}' ? `{${link}}` : `${recordJson.slice(0, -1)},${link}}`;
    const hash = chainDigest(this.key, body);
    this.position = { chain: this.position.chain, seq, hash };
    return `${body.slice(0, -1)},"hash":"${hash}"}\n`;
  }
}

export function chainDigest(key: string | undefined, body: string): string {
  if (key) return createHmac('sha256', key).update(body, 'utf8').digest('hex');
  // One call, no Hash object per record (node:crypto's hash, Node 20.12+; engines: >=20.19).
  return hash('sha256', body, 'hex');
}

const SEALED_SUFFIX = /,"hash":"([0-9a-f]{64})"\}$/;

/** A sealed line as its hashed body and its hash; undefined when the line is not sealed. */
export function unseal(line: string): { body: string; hash: string } | undefined {
  const match = SEALED_SUFFIX.exec(line);
  if (!match) return undefined;
  return { body: `${line.slice(0, match.index)}}`, hash: match[1]! };
}

/**
 * The position of the chain at the end of an audit file, to continue it; undefined when the
 * file is empty, is not a regular file, or does not end with a sealed record.
 */
export function readChainEnd(path: string): ChainPosition | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size === 0) return undefined;
    // The last record is at most one line: 256 KiB covers any record the pipeline writes.
    const length = Math.min(stat.size, 256 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, stat.size - length);
    const lines = buffer.toString('utf8').split('\n').filter((line) => line.length > 0);
    const last = lines.at(-1);
    if (!last || !unseal(last)) return undefined;
    const record = JSON.parse(last) as Partial<ChainPosition>;
    if (typeof record.chain !== 'string' || !Number.isInteger(record.seq) || typeof record.hash !== 'string') return undefined;
    return { chain: record.chain, seq: record.seq!, hash: record.hash };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
