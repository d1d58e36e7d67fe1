/**
 * summarizeValue cuts long lists and strings anywhere in an answer, says what it cut, and copies
 * only what it cut: an answer within the limits comes back as the very same object.
 */
import { describe, expect, it } from 'vitest';

import { summarizeValue } from '../src/pipeline/summarize.js';

const limits = { maxItems: 2, maxStringLength: 5 };

describe('summarizeValue', () => {
  it('returns an answer within the limits as it is, not a copy', () => {
    const answer = { records: [{ id: 1, name: 'Rex' }, { id: 2, name: 'Tom' }], total: 2, tags: ['a'] };
    const summary = summarizeValue(answer, limits);
    expect(summary.value).toBe(answer);
    expect(summary).toMatchObject({ lists: [], shortenedStrings: 0 });
  });

  it('cuts lists and strings at any depth, names where, and shares what it did not cut', () => {
    const kept = { id: 1, name: 'Rex' };
    const answer = {
      groups: [{ members: [kept, { id: 2, name: 'Tom' }, { id: 3, name: 'Max' }] }, { members: [] }],
      note: 'a long note',
      owner: kept,
    };
    const before = structuredClone(answer);
    const summary = summarizeValue(answer, limits);
    expect(summary.value).toEqual({
      groups: [{ members: [kept, { id: 2, name: 'Tom' }] }, { members: [] }],
      note: 'a lon… [6 more characters]',
      owner: kept,
    });
    expect(summary.lists).toEqual([{ path: 'groups[0].members', total: 3, kept: 2 }]);
    expect(summary.shortenedStrings).toBe(1);
    // Copies only on the way to a cut: the rest is shared, and the answer itself is untouched.
    expect(summary.value.owner).toBe(kept);
    expect(summary.value.groups[0]!.members[0]).toBe(kept);
    expect(summary.value.groups[1]).toBe(answer.groups[1]);
    expect(answer).toEqual(before);
  });

  it('names a cut list at the top, and one in a list', () => {
    expect(summarizeValue([1, 2, 3], limits).lists).toEqual([{ path: '(answer)', total: 3, kept: 2 }]);
    expect(summarizeValue([[1, 2, 3]], limits).lists).toEqual([{ path: '[0]', total: 3, kept: 2 }]);
    expect(summarizeValue({ a: [{ b: [1, 2, 3] }] }, { maxItems: 5, maxStringLength: Infinity }).lists).toEqual([]);
  });
});
