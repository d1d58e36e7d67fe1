/**
 * A stand-in OpenTelemetry collector: accepts OTLP/HTTP JSON trace exports on a loopback port
 * and keeps the spans, so tests can check what the server really exported.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: Record<string, string | number | boolean>;
  status?: { code?: number; message?: string };
}

export interface OtlpCollector {
  /** Base URL, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  endpoint: string;
  spans: ExportedSpan[];
  /** Request headers of each export. */
  headers: Array<Record<string, string | string[] | undefined>>;
  close(): Promise<void>;
}

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type OtlpExport = {
  resourceSpans?: Array<{
    scopeSpans?: Array<{ spans?: Array<Omit<ExportedSpan, 'attributes'> & { attributes?: Array<{ key: string; value: OtlpValue }> }> }>;
  }>;
};

export async function startOtlpCollector(): Promise<OtlpCollector> {
  const spans: ExportedSpan[] = [];
  const headers: OtlpCollector['headers'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        headers.push(req.headers);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpExport;
        for (const resource of body.resourceSpans ?? []) {
          for (const scope of resource.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) {
              const attributes = Object.fromEntries(
                (span.attributes ?? []).map(({ key, value }) => [key, value.stringValue ?? value.boolValue ?? value.doubleValue ?? Number(value.intValue)]),
              );
              spans.push({ ...span, attributes });
            }
          }
        }
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    headers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
