/**
 * The files of a rotated audit log: the active file (AUDIT_LOG, e.g. `audit.jsonl`) and the ones
 * rotated out of it, named after the moment they were closed so that names sort oldest first:
 *
 *   audit.2026-03-01T00-00-00-000Z.jsonl   audit.2026-03-02T00-00-00-000Z.jsonl   audit.jsonl
 *
 * One hash chain runs through them all: the first record of a file links to the last of the one
 * before (src/audit/hash-chain.ts), so `npm run audit:verify -- audit.*.jsonl audit.jsonl`
 * checks the whole set, and a file deleted by retention only moves where the chain starts.
 */
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

import { readChainEnd, type ChainPosition } from './hash-chain.js';

export type RotationInterval = 'hourly' | 'daily' | 'never';

function parts(active: string): { dir: string; stem: string; ext: string } {
  const ext = extname(active);
  return { dir: dirname(active), stem: basename(active, ext), ext };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The name the active file gets when it is rotated at `at`. Should that name be taken (two
 * rotations in one millisecond), the next free millisecond's: names keep sorting oldest first.
 */
export function rotatedName(active: string, at: Date, exists: (path: string) => boolean): string {
  const { dir, stem, ext } = parts(active);
  const nameAt = (ms: number) => join(dir, `${stem}.${new Date(ms).toISOString().replace(/[:.]/g, '-')}${ext}`);
  let ms = at.getTime();
  while (exists(nameAt(ms))) ms += 1;
  return nameAt(ms);
}

/** The rotated files of `active`, oldest first. */
export function rotatedFiles(active: string): string[] {
  const { dir, stem, ext } = parts(active);
  const pattern = new RegExp(`^${escape(stem)}\\.\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d-\\d{3}Z${escape(ext)}$`);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => join(dir, name));
}

/** Where the chain of the set ends: the active file's last record, else the newest rotated file's. */
export function readSetChainEnd(active: string): ChainPosition | undefined {
  const end = readChainEnd(active);
  if (end) return end;
  const newest = rotatedFiles(active).at(-1);
  return newest ? readChainEnd(newest) : undefined;
}

/** Deletes rotated files last written more than `retentionDays` ago; returns what it deleted. 0 keeps everything. */
export function deleteExpired(active: string, retentionDays: number, now: number): string[] {
  if (retentionDays <= 0) return [];
  const cutoff = now - retentionDays * 86_400_000;
  const deleted: string[] = [];
  for (const file of rotatedFiles(active)) {
    try {
      if (statSync(file).mtimeMs < cutoff) {
        unlinkSync(file);
        deleted.push(file);
      }
    } catch {
      // Already gone, or not ours to delete: the next sweep tries again.
    }
  }
  return deleted;
}

/** The period a moment falls in (UTC), to know when a time-rotated file is due. */
export function periodOf(interval: RotationInterval, at: number): string {
  if (interval === 'never') return '';
  const iso = new Date(at).toISOString();
  return interval === 'daily' ? iso.slice(0, 10) : iso.slice(0, 13);
}
