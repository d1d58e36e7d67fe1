/**
 * The pipeline is one ordered list of stages (src/pipeline/stages.ts), and src/pipeline/custom-stages.ts
 * may insert its own: they run at their place, see what the stages before them set, and their
 * answers are audited like any other.
 */
import { afterEach, describe, expect, it } from 'vitest';

import type { NamedStage } from '../src/pipeline/call-context.js';
import { customStages } from '../src/pipeline/custom-stages.js';
import { errorResult } from '../src/pipeline/results.js';
import { buildStages, STAGES } from '../src/pipeline/stages.js';
import { startHarness, textOf, type Harness } from './support/harness.js';
import { echo, probeTools } from './support/probe-tools.js';

/** `stage` inserted right before the stage named `before`. */
const insertBefore = (before: string, stage: NamedStage) => STAGES.flatMap((each) => (each.name === before ? [stage, each] : [each]));

describe('pipeline stages', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('run in one order, the handler last, each name once; custom-stages.ts keeps every one of them, in order', () => {
    expect(STAGES.map((stage) => stage.name)).toEqual([
      'observe',
      'audit',
      'fail-safe',
      'admission',
      'authorize',
      'rate-limit',
      'validate-input',
      'response-cache',
      'redact-output',
      'response-budget',
      'concurrency',
      'approval',
      'handler',
    ]);
    // custom-stages.ts is yours: it may add stages, but the server's own stay, in their order.
    const names = STAGES.map((stage) => stage.name);
    const served = customStages(STAGES).map((stage) => stage.name);
    expect(served.filter((name) => names.includes(name))).toEqual(names);
    expect(served.at(-1)).toBe('handler');
  });

  it('refuses a list whose last stage is not the handler, or with a name twice', () => {
    const noop: NamedStage = { name: 'noop', build: () => (_call, next) => next() };
    const deps = {} as Parameters<typeof buildStages>[0]; // never read: the list is refused first
    expect(() => buildStages(deps, [...STAGES, noop])).toThrow(/last stage must be the handler, not noop/);
    expect(() => buildStages(deps, insertBefore('handler', { ...noop, name: 'audit' }))).toThrow(/Two pipeline stages are named audit/);
  });

  it('runs a custom stage at its place: after validation (it sees the validated input), and its refusal is audited', async () => {
    const seen: unknown[] = [];
    const quiet: NamedStage = {
      name: 'no-shouting',
      build: () => async (call, next) => {
        seen.push(call.input);
        if (typeof call.input['message'] === 'string' && call.input['message'] === call.input['message'].toUpperCase()) {
          return errorResult('denied', 'shouting', 'Please do not shout.');
        }
        return next();
      },
    };
    harness = await startHarness({ tools: probeTools, stages: insertBefore('approval', quiet) });

    const refused = await harness.call(echo.name, { message: 'HELLO' });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toBe('[shouting] Please do not shout.');
    const ok = await harness.call(echo.name, { message: 'hello' });
    expect(ok.structuredContent).toMatchObject({ message: 'hello' });
    // An invalid call never reaches it: validation comes first.
    const invalid = await harness.call(echo.name, { message: 'x'.repeat(101) });
    expect(textOf(invalid)).toMatch(/^\[invalid_arguments\]/);
    expect(seen).toEqual([{ message: 'HELLO' }, { message: 'hello' }]);

    const records = await harness.auditRecords();
    expect(records.map((record) => [record.outcome, record.errorCode])).toEqual([
      ['denied', 'shouting'],
      ['ok', null],
      ['invalid', 'invalid_arguments'],
    ]);
  });

  it('a custom stage that throws fails the call closed, audited, with a reference and no details', async () => {
    const broken: NamedStage = {
      name: 'broken',
      build: () => async () => {
        throw new Error('secret detail');
      },
    };
    harness = await startHarness({ tools: probeTools, stages: insertBefore('handler', broken) });
    const result = await harness.call(echo.name, { message: 'hi' });
    expect(textOf(result)).toMatch(/^\[internal_error\] probe\.echo failed unexpectedly\. Reference: [0-9a-f-]{36}\.$/);
    expect(textOf(result)).not.toContain('secret detail');
    const [record] = await harness.auditRecords();
    expect(record).toMatchObject({ outcome: 'error', errorCode: 'internal_error' });
  });
});
