/**
 * OpenTelemetry: one span per tool call, exported over OTLP only when OTEL_* asks for it, a
 * caller's trace context honoured, and the trace id in the audit record.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { startHarness, type Harness } from './support/harness.js';
import { startOtlpCollector, type OtlpCollector } from './support/otlp-collector.js';
import { echo, notFound, probeTools } from './support/probe-tools.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${PARENT_SPAN_ID}-01`;

describe('tracing', () => {
  let harness: Harness | undefined;
  let collector: OtlpCollector | undefined;
  afterEach(async () => {
    await harness?.close();
    await collector?.close();
    harness = undefined;
    collector = undefined;
  });

  it('exports a span per call, child of the caller\'s traceparent, with the semantic-convention attributes', async () => {
    collector = await startOtlpCollector();
    harness = await startHarness({
      tools: probeTools,
      tenant: 'acme',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-token=abc%20def' },
    });
    await harness.client.callTool({ name: echo.name, arguments: { message: 'traced' }, _meta: { traceparent: TRACEPARENT } });
    await harness.call(notFound.name, { id: 'x' });
    const records = await harness.auditRecords();
    const transport: string = harness.app.config.transport; // widened: a one-transport repo types it as one literal
    await harness.app.close(); // flushes the spans still batched

    expect(collector.spans).toHaveLength(2);
    const [traced, failed] = collector.spans;
    expect(traced).toMatchObject({
      name: 'tools/call probe.echo',
      traceId: TRACE_ID,
      parentSpanId: PARENT_SPAN_ID,
      kind: 2, // SERVER
      attributes: {
        'mcp.method.name': 'tools/call',
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'probe.echo',
        'network.transport': transport === 'stdio' ? 'pipe' : 'tcp',
        'app.tenant.id': 'acme',
        'app.call.outcome': 'ok',
        'app.request.id': records[0]!.requestId,
      },
    });
    expect(traced!.attributes['jsonrpc.request.id']).toBeDefined();
    // A call without a traceparent starts its own trace; a failure is an error span.
    expect(failed!.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(failed!.traceId).not.toBe(TRACE_ID);
    expect(failed).toMatchObject({ attributes: { 'error.type': 'not_found', 'app.call.outcome': 'error' }, status: { code: 2 } });

    expect(records.map((record) => record.traceId)).toEqual([TRACE_ID, failed!.traceId]);
    expect(collector.headers[0]?.['x-collector-token']).toBe('abc def');
  });

  it('exports nothing without OTEL_* settings, yet records the caller\'s trace id', async () => {
    collector = await startOtlpCollector();
    harness = await startHarness({ tools: probeTools });
    await harness.client.callTool({ name: echo.name, arguments: { message: 'traced' }, _meta: { traceparent: TRACEPARENT } });
    await harness.call(echo.name, { message: 'untraced' });
    const records = await harness.auditRecords();
    await harness.app.close();
    expect(collector.spans).toEqual([]);
    expect(records.map((record) => record.traceId)).toEqual([TRACE_ID, null]);
  });
});
