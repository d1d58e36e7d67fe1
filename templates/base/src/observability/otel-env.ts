/**
 * The standard OpenTelemetry variables this server honours for trace and log export (audit
 * records: src/audit/otlp-export.ts), interpreted as the
 * OpenTelemetry specification says (src/config.ts validates them with the rest):
 *
 *   OTEL_EXPORTER_OTLP_TRACES_ENDPOINT  the full traces URL, used as is
 *   OTEL_EXPORTER_OTLP_ENDPOINT         the collector's base URL; traces go to <it>/v1/traces
 *   OTEL_EXPORTER_OTLP_[TRACES_]HEADERS key=value,key2=value2 (URL-encoded values)
 *   OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL http/json or http/protobuf (both sent as OTLP/HTTP JSON,
 *                                       which collectors accept on port 4318); grpc is refused
 *   OTEL_TRACES_EXPORTER                otlp (default) or none
 *   OTEL_EXPORTER_OTLP_LOGS_ENDPOINT    the full logs URL; else <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/logs
 *   OTEL_EXPORTER_OTLP_LOGS_HEADERS / _PROTOCOL, OTEL_LOGS_EXPORTER: the same, for audit records
 *   OTEL_SDK_DISABLED                   true: no export
 *   OTEL_SERVICE_NAME                   the service.name resource attribute
 */

/** The traces URL to export to, or undefined when export is off. */
export function otlpTracesUrl(vars: {
  endpoint?: string | undefined;
  tracesEndpoint?: string | undefined;
  exporter?: string | undefined;
  sdkDisabled?: string | undefined;
}): string | undefined {
  if (vars.sdkDisabled?.trim().toLowerCase() === 'true') return undefined;
  if (vars.exporter !== undefined && vars.exporter.trim() === 'none') return undefined;
  if (vars.tracesEndpoint) return vars.tracesEndpoint;
  if (vars.endpoint) return `${vars.endpoint.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

/** `key=value,key2=value2` -> { key: 'value', key2: 'value2' }; throws on a malformed pair. */
export function parseOtlpHeaders(text: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!text) return headers;
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new Error('expected key=value pairs separated by commas');
    headers[decodeURIComponent(pair.slice(0, equals).trim())] = decodeURIComponent(pair.slice(equals + 1).trim());
  }
  return headers;
}

/** The logs URL audit records are exported to, or undefined when export is off. */
export function otlpLogsUrl(vars: {
  endpoint?: string | undefined;
  logsEndpoint?: string | undefined;
  exporter?: string | undefined;
  sdkDisabled?: string | undefined;
}): string | undefined {
  if (vars.sdkDisabled?.trim().toLowerCase() === 'true') return undefined;
  if (vars.exporter !== undefined && vars.exporter.trim() === 'none') return undefined;
  if (vars.logsEndpoint) return vars.logsEndpoint;
  if (vars.endpoint) return `${vars.endpoint.replace(/\/+$/, '')}/v1/logs`;
  return undefined;
}
