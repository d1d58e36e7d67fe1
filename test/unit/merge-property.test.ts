/**
 * Property: whatever the user and the template do to a file, every line the user added
 * survives the three-way merge, in the result or inside a conflict block.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mergeThreeWay } from '../../src/upgrade/three-way.js';

type Edit = { at: number; kind: 'insert' | 'delete' | 'replace'; text: string };

function applyEdits(lines: string[], edits: Edit[]): string[] {
  const out = [...lines];
  for (const edit of edits) {
    const at = out.length === 0 ? 0 : edit.at % (out.length + 1);
    if (edit.kind === 'insert' || out.length === 0) out.splice(at, 0, edit.text);
    else if (edit.kind === 'delete') out.splice(Math.min(at, out.length - 1), 1);
    else out.splice(Math.min(at, out.length - 1), 1, edit.text);
  }
  return out;
}

const baseLines = fc.array(fc.constantFrom('a', 'b', 'c', 'import x', '}', '', 'return y;', 'const z = 1;'), { maxLength: 40 });
const edits = (tag: string) =>
  fc.array(
    fc.record({
      at: fc.nat(),
      kind: fc.constantFrom('insert', 'delete', 'replace') as fc.Arbitrary<Edit['kind']>,
      text: fc.nat().map((n) => `${tag} line ${n}`),
    }),
    { maxLength: 8 },
  );

describe('three-way merge', () => {
  it('never loses a line the user added', () => {
    fc.assert(
      fc.property(baseLines, edits('ours'), edits('theirs'), fc.boolean(), (base, ourEdits, theirEdits, finalNewline) => {
        const end = finalNewline ? '\n' : '';
        const ours = applyEdits(base, ourEdits);
        const theirs = applyEdits(base, theirEdits);
        const result = mergeThreeWay(ours.join('\n') + end, base.join('\n') + end, theirs.join('\n') + end);
        const resultLines = new Set(result.text.split('\n'));
        for (const line of ours.filter((l) => l.startsWith('ours line'))) expect(resultLines.has(line)).toBe(true);
        if (!result.conflict) expect(result.text).not.toContain('<<<<<<<');
      }),
      { numRuns: 500 },
    );
  });

  it('with no user edit, the result is the template; with no template change, the user file', () => {
    fc.assert(
      fc.property(baseLines, edits('x'), (base, someEdits) => {
        const edited = applyEdits(base, someEdits).join('\n');
        expect(mergeThreeWay(base.join('\n'), base.join('\n'), edited)).toEqual({ text: edited, conflict: false });
        expect(mergeThreeWay(edited, base.join('\n'), base.join('\n'))).toEqual({ text: edited, conflict: false });
      }),
      { numRuns: 300 },
    );
  });
});
