/**
 * No template (nor slice) over 250 lines: an option's text lives in its own layer's slices
 * (templates/README.md, "Slices"), so a base template stays a short composition.
 */
import { describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import { TEMPLATES_DIR } from '../../src/render/layers.js';

const MAX_LINES = 250;
/** Templates not yet split into slices, at their size today: they may shrink, never grow. */
const NOT_YET_SPLIT: Record<string, number> = {
  'auth/oauth/test/auth-oauth.test.ts.hbs': 329,
  'base/test/approval.test.ts.hbs': 287,
  'base/test/shared-state.test.ts.hbs': 288,
  'base/test/config.test.ts.hbs': 272,
  'tool/test/tools/__tool__.test.ts.hbs': 267,
};

describe('template size', () => {
  it(`keeps every template and slice within ${MAX_LINES} lines`, async () => {
    const templates = (await readdir(TEMPLATES_DIR, { recursive: true }))
      .map((f) => f.split('\\').join('/'))
      .filter((f) => f.endsWith('.hbs'))
      .sort();
    expect(templates.length).toBeGreaterThan(10);
    const over: string[] = [];
    for (const file of templates) {
      const lines = (await readFile(TEMPLATES_DIR + file, 'utf8')).split('\n').length - 1;
      const limit = Math.max(MAX_LINES, NOT_YET_SPLIT[file] ?? 0);
      if (lines > limit) over.push(`${file}: ${lines} lines (at most ${limit})`);
    }
    expect(over).toEqual([]);
  });
});
