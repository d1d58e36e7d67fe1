/**
 * OpenTelemetry tracing: one span per tool call, named and attributed after the semantic
 * conventions for MCP (`tools/call <tool>`, mcp.method.name, gen_ai.tool.name,
 * gen_ai.operation.name, jsonrpc.request.id, error.type, network.transport). Its trace id goes
 * into the call's audit record.
 *
 * A caller's trace context is honoured: the W3C `traceparent` / `tracestate` of the request's
 * `_meta` (MCP, any transport) or else of its HTTP headers makes the span its child.
 *
 * Spans are exported over OTLP/HTTP only when the standard variables ask for it
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, see src/config.ts); the
 * SDK is then loaded and registered as the global tracer provider and propagator. Without it,
 * spans go to whatever global tracer provider is registered (none: they cost nearly nothing;
 * or one you start with `node --import …`).
 *
 * The handler runs with the call's span active, so spans of instrumentations (pg, undici…)
 * nest under it once an async context manager is registered: auto-instrumentation
 * (`node --import @opentelemetry/auto-instrumentations-node/register`) registers one. This
 * server does not: on Node 20 and 22 AsyncLocalStorage slows every call by about 15 %.
 */
import {
  context,
  defaultTextMapGetter,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

import type { Principal } from '../auth/principal.js';
import type { Logger } from './logger.js';

export interface TracingSettings {
  /** The OTLP/HTTP traces URL (…/v1/traces); undefined: do not export. */
  otlpTracesUrl: string | undefined;
  /** OTEL_EXPORTER_OTLP_HEADERS / OTEL_EXPORTER_OTLP_TRACES_HEADERS, parsed. */
  otlpHeaders: Record<string, string>;
  serviceName: string;
  serviceVersion: string;
}

/** The W3C trace context a request carries. */
export interface TraceCarrier {
  traceparent?: string | undefined;
  tracestate?: string | undefined;
}

/** What the transport knows about one tools/call besides its arguments. */
export interface CallTraceInfo extends TraceCarrier {
  /** The JSON-RPC id of the tools/call request. */
  jsonRpcId?: string | number | undefined;
}

export interface CallSpan {
  /** The trace this call belongs to (32 hex digits), or null when nothing traces it. */
  readonly traceId: string | null;
  /** Runs `work` with this span as the active one (child spans nest under it). */
  run<T>(work: () => Promise<T>): Promise<T>;
  end(outcome: string, errorCode: string | null): void;
}

export class Tracing {
  private readonly propagator = new W3CTraceContextPropagator();

  private constructor(
    private readonly tracer: Tracer,
    private readonly transport: 'pipe' | 'tcp',
    private readonly shutdownExport: () => Promise<void>,
  ) {}

  /** Starts exporting when the settings say so; `transport` is where calls come from. */
  static async start(settings: TracingSettings, transport: 'stdio' | 'http', logger: Logger): Promise<Tracing> {
    const network = transport === 'stdio' ? 'pipe' : 'tcp';
    if (!settings.otlpTracesUrl) return new Tracing(trace.getTracer(settings.serviceName, settings.serviceVersion), network, async () => {});

    // Loaded only when exporting: a server that does not export pays nothing for the SDK.
    const [{ TracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes, detectResources, envDetector }] = await Promise.all([
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
    const resource = resourceFromAttributes({ 'service.name': settings.serviceName, 'service.version': settings.serviceVersion })
      // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the defaults above.
      .merge(detectResources({ detectors: [envDetector] }));
    const exporter = new OTLPTraceExporter({ url: settings.otlpTracesUrl, headers: settings.otlpHeaders });
    const provider = new TracerProvider({ resource, spanProcessors: [new BatchSpanProcessor({ exporter })] });
    // Global, so instrumentations and handlers using @opentelemetry/api join the same traces.
    // (A second app in one process, as in tests, keeps the first registration.)
    const registered = trace.setGlobalTracerProvider(provider);
    if (registered) propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    logger.info({ otlpTracesUrl: settings.otlpTracesUrl }, 'exporting traces over OTLP');
    return new Tracing(provider.getTracer(settings.serviceName, settings.serviceVersion), network, async () => {
      await provider.forceFlush().catch(() => {});
      await provider.shutdown().catch(() => {});
      if (registered) {
        trace.disable();
        propagation.disable();
      }
    });
  }

  startCall(toolName: string, toolVersion: string, principal: Principal | undefined, info: CallTraceInfo | undefined, requestId: string): CallSpan {
    const parent = info?.traceparent ? this.propagator.extract(ROOT_CONTEXT, info, defaultTextMapGetter) : ROOT_CONTEXT;
    const span = this.tracer.startSpan(
      `tools/call ${toolName}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'mcp.method.name': 'tools/call',
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': toolName,
          'network.transport': this.transport,
          ...(info?.jsonRpcId !== undefined ? { 'jsonrpc.request.id': String(info.jsonRpcId) } : {}),
          'app.tool.version': toolVersion,
          'app.request.id': requestId,
          ...(principal ? { 'app.tenant.id': principal.tenantId, 'app.client.id': principal.clientId } : {}),
        },
      },
      parent,
    );
    return new ToolCallSpan(span, parent);
  }

  /** Sends the spans still buffered, then stops exporting. */
  shutdown(): Promise<void> {
    return this.shutdownExport();
  }
}

class ToolCallSpan implements CallSpan {
  readonly traceId: string | null;

  constructor(
    private readonly span: Span,
    private readonly parent: Context,
  ) {
    const spanContext = span.spanContext();
    this.traceId = isSpanContextValid(spanContext) ? spanContext.traceId : null;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    return context.with(trace.setSpan(this.parent, this.span), work);
  }

  end(outcome: string, errorCode: string | null): void {
    this.span.setAttribute('app.call.outcome', outcome);
    if (errorCode) this.span.setAttribute('error.type', errorCode);
    // Refusals (denied, invalid, rate_limited…) are the server working as meant; failures are errors.
    if (outcome === 'error') this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorCode ?? 'error' });
    this.span.end();
  }
}

/** What a tools/call request carries for tracing, as the SDK hands it to a tool callback. */
export interface TracedRequestContext {
  mcpReq: { id: string | number; _meta?: Record<string, unknown> | undefined };
  http?: { req?: { headers: { get(name: string): string | null } } | undefined } | undefined;
}

/** The caller's W3C trace context: `_meta.traceparent` (MCP, any transport), else the HTTP headers. */
export function callTraceInfo(ctx: TracedRequestContext): CallTraceInfo {
  const meta = ctx.mcpReq._meta;
  const fromMeta = typeof meta?.['traceparent'] === 'string';
  const headers = ctx.http?.req?.headers;
  const pick = (name: string) => (fromMeta ? (typeof meta?.[name] === 'string' ? (meta[name] as string) : undefined) : (headers?.get(name) ?? undefined));
  return { traceparent: pick('traceparent'), tracestate: pick('tracestate'), jsonRpcId: ctx.mcpReq.id };
}
