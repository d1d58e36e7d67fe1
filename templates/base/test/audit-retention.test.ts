/**
 * Audit files over time: a file AUDIT_LOG rotates by size and by time while one hash chain runs
 * on through the rotated files, `npm run audit:verify` checks the set and names the file and
 * line of a break, AUDIT_RETENTION_DAYS deletes what is past retention, and with the OTEL_*
 * settings every record also reaches an OpenTelemetry collector as a log record that still
 * verifies.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { rotatedFiles } from '../src/audit/audit-files.js';
import { AuditSink, type AuditSinkOptions } from '../src/audit/audit-sink.js';
import { verifyFiles, verifyText } from '../src/audit/verify-chain.js';
import { createLogger } from '../src/observability/logger.js';
import { Redactor } from '../src/redaction/redactor.js';
import { startHarness } from './support/harness.js';
import { startOtlpCollector, type OtlpCollector } from './support/otlp-collector.js';
import { echo, probeTools } from './support/probe-tools.js';

const run = promisify(execFile);
const DAY = 86_400_000;

let dir: string;
let collector: OtlpCollector | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-audit-files-'));
});
afterEach(async () => {
  await collector?.close();
  collector = undefined;
  rmSync(dir, { recursive: true, force: true });
});

function sink(file: string, options: Partial<AuditSinkOptions> = {}): AuditSink {
  return new AuditSink({
    destination: file,
    failureMode: 'closed',
    chainKey: undefined,
    redactor: new Redactor([]),
    logger: createLogger('silent', 'test'),
    ...options,
  });
}

async function writeRecords(target: AuditSink, count: number, from = 0): Promise<void> {
  for (let i = from; i < from + count; i++) {
    const record = { time: new Date().toISOString(), requestId: `req-${i}`, tool: 'probe.echo', arguments: { message: `call ${i}` } };
    expect(await target.write(record)).toBe(true);
  }
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

describe('audit file rotation', () => {
  it('rotates by size into several files that verify as one chain, and names the file and line of a break', async () => {
    const active = join(dir, 'audit.jsonl');
    const target = sink(active, { rotation: { maxBytes: 2_000, interval: 'never' } });
    await writeRecords(target, 40);
    await target.close();

    const rotated = rotatedFiles(active);
    expect(rotated.length).toBeGreaterThanOrEqual(3);
    const set = [...rotated, active];
    for (const file of set) expect(readFileSync(file).length).toBeLessThanOrEqual(2_000);
    expect(set.flatMap(lines).map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(await verifyFiles(set)).toMatchObject({ ok: true, records: 40, chains: [{ firstSeq: 1, firstFile: rotated[0] }] });
    // Each file alone is the chain's continuation, not a break.
    expect((await verifyFiles([rotated[1]!])).ok).toBe(true);

    // Tamper with the second record of the second file.
    const second = rotated[1]!;
    const text = lines(second);
    text[1] = text[1]!.replace('"call ', '"CALL ');
    writeFileSync(second, `${text.join('\n')}\n`);
    const broken = await verifyFiles(set);
    expect(broken.ok).toBe(false);
    expect(broken.broken).toMatchObject({ file: second, line: 2, reason: expect.stringMatching(/hash does not match/) });

    // The command an operator runs, with a shell glob's order: rotated files, then the active one.
    const cli = await run(process.execPath, ['--import', 'tsx', 'src/audit/verify-cli.ts', ...set]).catch((error: { code: number; stdout: string }) => error);
    expect(cli).toMatchObject({ code: 1 });
    expect((cli as { stdout: string }).stdout).toContain(`${second}: BROKEN at line 2`);
  });

  it('rotates when the hour is over, and a restart continues the chain from the newest rotated file', async () => {
    const active = join(dir, 'audit.jsonl');
    let now = Date.parse('2026-03-02T10:59:00.000Z');
    const first = sink(active, { rotation: { maxBytes: 0, interval: 'hourly' }, now: () => now });
    await writeRecords(first, 3);
    now = Date.parse('2026-03-02T11:00:01.000Z');
    await writeRecords(first, 2, 3);
    await first.close();
    expect(rotatedFiles(active).map((file) => basename(file))).toEqual(['audit.2026-03-02T11-00-01-000Z.jsonl']);
    expect(lines(rotatedFiles(active)[0]!)).toHaveLength(3);
    expect(lines(active)).toHaveLength(2);

    // The active file moved away (an operator archived it): the next process links to the rotated one.
    rmSync(active);
    const second = sink(active, { rotation: { maxBytes: 0, interval: 'hourly' }, now: () => now });
    await writeRecords(second, 1, 5);
    await second.close();
    expect(JSON.parse(lines(active)[0]!)).toMatchObject({ seq: 4 });
    expect((await verifyFiles([...rotatedFiles(active), active])).ok).toBe(true);

    // Before any rotation a shell passes `audit.*.jsonl` through unmatched: it is skipped, not an error.
    const fresh = join(dir, 'fresh', 'audit.jsonl');
    const third = sink(fresh);
    await writeRecords(third, 2);
    await third.close();
    const cli = await run(process.execPath, ['--import', 'tsx', 'src/audit/verify-cli.ts', join(dir, 'fresh', 'audit.*.jsonl'), fresh]);
    expect(cli.stdout).toContain(`${fresh}: intact, 2 record(s) in 1 chain(s).`);
    expect(cli.stderr).toContain('note: no file matches');
  });

  it('deletes rotated files past AUDIT_RETENTION_DAYS, at start-up and at each rotation, never the active file', async () => {
    const active = join(dir, 'audit.jsonl');
    const now = Date.now();
    const old = join(dir, 'audit.2020-01-01T00-00-00-000Z.jsonl');
    const recent = join(dir, 'audit.2026-01-01T00-00-00-000Z.jsonl');
    const unrelated = join(dir, 'other.2020-01-01T00-00-00-000Z.jsonl');
    for (const file of [old, recent, unrelated, active]) writeFileSync(file, '');
    for (const file of [old, unrelated, active]) utimesSync(file, new Date(now - 40 * DAY), new Date(now - 40 * DAY));
    utimesSync(recent, new Date(now - 5 * DAY), new Date(now - 5 * DAY));

    const target = sink(active, { rotation: { maxBytes: 2_000, interval: 'never' }, retentionDays: 30 });
    expect(existsSync(old)).toBe(false);
    expect([recent, unrelated, active].every(existsSync)).toBe(true);

    // A rotation sweeps too: age the kept file past retention, then rotate.
    utimesSync(recent, new Date(now - 31 * DAY), new Date(now - 31 * DAY));
    await writeRecords(target, 20);
    await target.close();
    expect(existsSync(recent)).toBe(false);
    expect(existsSync(unrelated)).toBe(true);
    expect(rotatedFiles(active).length).toBeGreaterThan(0);
    expect(readdirSync(dir)).toContain('audit.jsonl');
  });

  it('keeps every file with AUDIT_RETENTION_DAYS=0 (the default)', async () => {
    const active = join(dir, 'audit.jsonl');
    const ancient = join(dir, 'audit.2001-01-01T00-00-00-000Z.jsonl');
    writeFileSync(ancient, '');
    utimesSync(ancient, new Date(Date.parse('2001-01-01')), new Date(Date.parse('2001-01-01')));
    await sink(active, { retentionDays: 0 }).close();
    expect(existsSync(ancient)).toBe(true);
  });
});

describe('audit export over OTLP', () => {
  it('sends every record to the collector as a log record whose body is the sealed line', async () => {
    collector = await startOtlpCollector();
    const file = join(dir, 'audit.jsonl');
    const harness = await startHarness({
      tools: probeTools,
      env: { AUDIT_LOG: file, OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_TRACES_EXPORTER: 'none', OTEL_SERVICE_NAME: 'audit-export-test' },
    });
    for (let i = 0; i < 3; i++) await harness.call(echo.name, { message: `call ${i}` });
    await harness.close(); // flushes the export

    const written = lines(file);
    expect(written).toHaveLength(3);
    expect(collector.spans).toEqual([]);
    expect(collector.logs.map((log) => log.body)).toEqual(written);
    expect(verifyText(collector.logs.map((log) => log.body).join('\n'))).toMatchObject({ ok: true, records: 3 });
    expect(collector.logs[0]).toMatchObject({
      severityText: 'INFO',
      serviceName: 'audit-export-test',
      attributes: { 'event.name': 'mcp.audit', 'gen_ai.tool.name': echo.name, 'app.tenant.id': 'acme', 'app.call.outcome': 'ok' },
    });
  });

  it('exports nothing with OTEL_LOGS_EXPORTER=none', async () => {
    collector = await startOtlpCollector();
    const harness = await startHarness({
      tools: probeTools,
      env: { AUDIT_LOG: join(dir, 'audit.jsonl'), OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_LOGS_EXPORTER: 'none' },
    });
    await harness.call(echo.name, { message: 'hello' });
    await harness.close();
    expect(collector.logs).toEqual([]);
    expect(collector.spans.length).toBeGreaterThan(0);
  });
});
