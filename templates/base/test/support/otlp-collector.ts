/**
 * A stand-in OpenTelemetry collector: accepts OTLP/HTTP JSON trace and log exports on a loopback
 * port and keeps the spans and log records, so tests can check what the server really exported.
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

export interface ExportedLog {
  timeUnixNano?: string;
  severityText?: string;
  /** The body, when it is a string (audit records: the sealed JSON line). */
  body: string | undefined;
  attributes: Record<string, string | number | boolean>;
  /** The service.name of the resource that sent it. */
  serviceName: string | undefined;
}

export interface OtlpCollector {
  /** Base URL, for OTEL_EXPORTER_OTLP_ENDPOINT. */
  endpoint: string;
  spans: ExportedSpan[];
  logs: ExportedLog[];
  /** Request headers of each export. */
  headers: Array<Record<string, string | string[] | undefined>>;
  close(): Promise<void>;
}

type OtlpValue = { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number };
type OtlpAttributes = Array<{ key: string; value: OtlpValue }>;
type OtlpLogsExport = {
  resourceLogs?: Array<{
    resource?: { attributes?: OtlpAttributes };
    scopeLogs?: Array<{ logRecords?: Array<{ timeUnixNano?: string; severityText?: string; body?: OtlpValue; attributes?: OtlpAttributes }> }>;
  }>;
};
const attributesOf = (list: OtlpAttributes = []) =>
  Object.fromEntries(list.map(({ key, value }) => [key, value.stringValue ?? value.boolValue ?? value.doubleValue ?? Number(value.intValue)]));
type OtlpExport = {
  resourceSpans?: Array<{
    scopeSpans?: Array<{ spans?: Array<Omit<ExportedSpan, 'attributes'> & { attributes?: Array<{ key: string; value: OtlpValue }> }> }>;
  }>;
};

export async function startOtlpCollector(): Promise<OtlpCollector> {
  const spans: ExportedSpan[] = [];
  const logs: ExportedLog[] = [];
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
      if (req.url === '/v1/logs') {
        headers.push(req.headers);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpLogsExport;
        for (const resource of body.resourceLogs ?? []) {
          const serviceName = attributesOf(resource.resource?.attributes)['service.name'];
          for (const scope of resource.scopeLogs ?? []) {
            for (const record of scope.logRecords ?? []) {
              logs.push({
                ...(record.timeUnixNano !== undefined ? { timeUnixNano: record.timeUnixNano } : {}),
                ...(record.severityText !== undefined ? { severityText: record.severityText } : {}),
                body: record.body?.stringValue,
                attributes: attributesOf(record.attributes),
                serviceName: typeof serviceName === 'string' ? serviceName : undefined,
              });
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
    logs,
    headers,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
