/**
 * Line-based three-way merge of one file (node-diff3): the user's version on disk, the base
 * (what the generator last wrote) and the new render. Conflicts get diff3-style markers
 * that name each side. Line endings follow the user's file.
 */
import { mergeDiff3 } from 'node-diff3';
import { diffArrays } from 'diff';

export interface MergeResult {
  text: string;
  conflict: boolean;
}

export const MERGE_LABELS = { ours: 'yours (on disk)', base: 'last generated', theirs: 'new template' } as const;

export function mergeThreeWay(ours: string, base: string, theirs: string): MergeResult {
  const crlf = ours.includes('\r\n');
  const lines = (text: string) => text.replace(/\r\n/g, '\n').split('\n');
  const merged = mergeDiff3(lines(ours), lines(base), lines(theirs), {
    label: { a: MERGE_LABELS.ours, o: MERGE_LABELS.base, b: MERGE_LABELS.theirs },
  });
  const text = merged.result.join('\n');
  return { text: crlf ? text.replace(/\n/g, '\r\n') : text, conflict: merged.conflict };
}

/** A NUL byte in the first 8 kB: what git calls binary. Binary files are never merged. */
export function isBinary(text: string): boolean {
  return text.slice(0, 8000).includes('\u0000');
}

/**
 * Without a base, which side changed a line cannot be known: lines both sides hold stay as
 * they are, and each run of lines that differs becomes one conflict block (yours, then the
 * template's), so a conflict shows only what differs rather than the whole file.
 */
export function mergeTwoWay(ours: string, theirs: string): MergeResult {
  const crlf = ours.includes('\r\n');
  const lines = (text: string) => text.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  let mine: string[] = [];
  let template: string[] = [];
  let conflict = false;
  const flush = () => {
    if (mine.length === 0 && template.length === 0) return;
    conflict = true;
    out.push(`<<<<<<< ${MERGE_LABELS.ours}`, ...mine, '=======', ...template, `>>>>>>> ${MERGE_LABELS.theirs}`);
    mine = [];
    template = [];
  };
  for (const part of diffArrays(lines(ours), lines(theirs))) {
    if (part.removed) mine.push(...part.value);
    else if (part.added) template.push(...part.value);
    else {
      flush();
      out.push(...part.value);
    }
  }
  flush();
  const text = out.join('\n');
  return { text: crlf ? text.replace(/\n/g, '\r\n') : text, conflict };
}
