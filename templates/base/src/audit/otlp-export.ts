/**
 * Audit records as OpenTelemetry log records, over OTLP/HTTP, when the standard variables ask
 * for it (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_LOGS_ENDPOINT, unless
 * OTEL_LOGS_EXPORTER=none or OTEL_SDK_DISABLED=true: src/observability/otel-env.ts), so a log
 * platform behind an OpenTelemetry Collector receives them without scraping files.
 *
 * The body is the sealed JSON line itself, byte for byte, so records collected this way still
 * verify with `npm run audit:verify`; attributes repeat what searches filter on (tool, tenant,
 * outcome, request id). Export is batched and best effort: AUDIT_LOG stays the record of truth,
 * and a collector that is down delays or drops exported copies, never a call.
 */
import type { Logger } from '../observability/logger.js';

export interface AuditExportSettings {
  /** The OTLP/HTTP logs URL (…/v1/logs); undefined: no export. */
  otlpLogsUrl: string | undefined;
  otlpHeaders: Record<string, string>;
  serviceName: string;
  serviceVersion: string;
}

export interface AuditExport {
  /** Queues one sealed record (its fields, and its line as written) for export. */
  emit(record: Record<string, unknown>, line: string): void;
  /** Sends what is queued, then stops. */
  shutdown(): Promise<void>;
}

const SEVERITY_INFO = 9; // SeverityNumber.INFO of the OpenTelemetry logs data model

export async function startAuditExport(settings: AuditExportSettings, logger: Logger): Promise<AuditExport | undefined> {
  if (!settings.otlpLogsUrl) return undefined;
  // Loaded only when exporting, as the trace SDK is.
  const [{ LoggerProvider, BatchLogRecordProcessor }, { OTLPLogExporter }, { resourceFromAttributes, detectResources, envDetector }] = await Promise.all([
    import('@opentelemetry/sdk-logs'),
    import('@opentelemetry/exporter-logs-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const resource = resourceFromAttributes({ 'service.name': settings.serviceName, 'service.version': settings.serviceVersion }).merge(
    detectResources({ detectors: [envDetector] }),
  );
  const exporter = new OTLPLogExporter({ url: settings.otlpLogsUrl, headers: settings.otlpHeaders });
  const provider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter })] });
  const otelLogger = provider.getLogger('audit', settings.serviceVersion);
  logger.info({ otlpLogsUrl: settings.otlpLogsUrl }, 'exporting audit records over OTLP');

  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    emit(record, line) {
      const time = Date.parse(text(record['time']));
      otelLogger.emit({
        ...(Number.isNaN(time) ? {} : { timestamp: time }),
        severityNumber: SEVERITY_INFO,
        severityText: 'INFO',
        body: line.endsWith('\n') ? line.slice(0, -1) : line,
        attributes: {
          'event.name': 'mcp.audit',
          'gen_ai.tool.name': text(record['tool']),
          'app.tenant.id': text(record['tenant']),
          'app.call.outcome': text(record['outcome']),
          'app.request.id': text(record['requestId']),
          ...(typeof record['errorCode'] === 'string' ? { 'error.type': record['errorCode'] } : {}),
        },
      });
    },
    async shutdown() {
      await provider.forceFlush().catch(() => {});
      await provider.shutdown().catch(() => {});
    },
  };
}
