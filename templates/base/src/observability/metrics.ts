/**
 * Prometheus metrics (prom-client), served on /metrics by the HTTP transport.
 *
 *   mcp_tool_calls_total{tool,outcome}              every call, by outcome (as in the audit record)
 *   mcp_tool_call_duration_seconds{tool,outcome}    latency histogram
 *   mcp_tool_calls_in_flight                        calls running now
 *   mcp_rate_limited_total{limit,tool}              refusals by the budget or cap that refused
 *   mcp_auth_failures_total{reason}                 HTTP requests refused by authentication
 *   mcp_audit_write_failures_total                  audit records that could not be written
 *   mcp_tool_response_bytes{tool}                   size of each answer (histogram)
 *   mcp_tool_response_tokens{tool}                  its estimated tokens (histogram)
 *   mcp_tool_responses_truncated_total{tool}        answers cut down to their tool's budget
 *   mcp_cache_lookups_total{tool,result}            cached tools: lookups, result hit or miss
 *   mcp_cache_invalidations_total{tool}             writes that dropped a tenant's cached answers
 *   mcp_backend_up{backend}                         1 when the backend's readiness check passes
 *   mcp_dependency_up{dependency}                   the same for redis and the audit sink
 *   mcp_approvals_pending                           calls parked for a human approver now
 *   mcp_approvals_oldest_pending_seconds            how long the oldest of them has waited (0: none)
 *   mcp_memory_limit_bytes                          the container's memory limit (cgroup); absent when unlimited
 *   + Node.js process metrics (CPU, memory, event loop lag, GC)
 *
 * deploy/prometheus/alerts.yaml alerts on these names; its unit tests (alerts.test.yaml) and
 * test/alert-rules.test.ts fail when one is renamed.
 *
 * With METRICS_TENANT_LABEL=true, calls and refusals also carry a `tenant` label. Off by
 * default: every tenant multiplies the series Prometheus stores (cardinality).
 */
import { readFileSync } from 'node:fs';

import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import type { ReadinessReport } from './readiness-report.js';

export interface MetricsSettings {
  tenantLabel: boolean;
}

export type AuthFailureReason = 'missing' | 'invalid' | 'insufficient_scope' | 'unavailable';

/**
 * What refused a call or request (the `limit` label of mcp_rate_limited_total): a per-minute
 * budget, a concurrency cap, or the shared limiter being unavailable (Redis down, failing closed).
 */
export type LimitName = 'tenant' | 'tool' | 'client' | 'tenant_requests' | 'tenant_concurrency' | 'in_flight' | 'unavailable';

/** What the approvals gauges read (App.approvals.summary()). */
export interface PendingSummary {
  pending: number;
  oldestPendingSeconds: number;
}

/**
 * The memory limit of this process's container, from its cgroup (v2 `memory.max`, else v1
 * `memory.limit_in_bytes`); undefined when there is none (outside a container, or unlimited),
 * so the memory alert compares resident memory with the limit the kernel really enforces.
 */
export function containerMemoryLimit(read: (path: string) => string = (path) => readFileSync(path, 'utf8')): number | undefined {
  for (const path of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    let text: string;
    try {
      text = read(path).trim();
    } catch {
      continue;
    }
    const bytes = Number(text);
    // cgroup v1 says "no limit" with a huge number (a page-rounded 2^63).
    return /^\d+$/.test(text) && bytes > 0 && bytes < 2 ** 62 ? bytes : undefined;
  }
  return undefined;
}

/** Node.js process metrics, once per process (they observe the process, not one app). */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly calls: Counter<string>;
  private readonly reads: Counter<string>;
  private readonly readDuration: Histogram<string>;
  private readonly duration: Histogram<string>;
  private readonly limited: Counter<string>;
  private readonly authFailures: Counter<string>;
  private readonly auditFailures: Counter<string>;
  private readonly responseBytes: Histogram<string>;
  private readonly responseTokens: Histogram<string>;
  private readonly truncated: Counter<string>;
  private readonly cacheLookups: Counter<string>;
  private readonly cacheInvalidations: Counter<string>;
  private inFlightSource: () => number = () => 0;
  // Each read once per scrape, shared by the gauges that report it.
  private approvals: () => Promise<PendingSummary | undefined> = async () => ({ pending: 0, oldestPendingSeconds: 0 });
  private readiness: () => Promise<ReadinessReport | undefined> = async () => undefined;

  /** `memoryLimitBytes`: the container's limit (tests pass one; by default read from the cgroup). */
  constructor(
    private readonly settings: MetricsSettings,
    host: { memoryLimitBytes: number | undefined } = { memoryLimitBytes: containerMemoryLimit() },
  ) {
    const tenant = settings.tenantLabel ? ['tenant'] : [];
    const registers = [this.registry];
    this.calls = new Counter({
      name: 'mcp_tool_calls_total',
      help: 'Tool calls, by tool and outcome (ok, error, invalid, denied, rate_limited, pending_approval...).',
      labelNames: ['tool', 'outcome', ...tenant],
      registers,
    });
    this.reads = new Counter({
      name: 'mcp_reads_total',
      help: 'Resource reads (kind resource), prompt gets (kind prompt) and completions (kind completion), by name and outcome.',
      labelNames: ['kind', 'name', 'outcome', ...tenant],
      registers,
    });
    this.readDuration = new Histogram({
      name: 'mcp_read_duration_seconds',
      help: 'Resource read, prompt get and completion latency through the whole pipeline, by kind and outcome.',
      labelNames: ['kind', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.duration = new Histogram({
      name: 'mcp_tool_call_duration_seconds',
      help: 'Tool call latency through the whole pipeline, by tool and outcome.',
      labelNames: ['tool', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.limited = new Counter({
      name: 'mcp_rate_limited_total',
      help: 'Calls and requests refused by a rate limit or concurrency cap, by the limit that refused (tool is empty for HTTP requests).',
      labelNames: ['limit', 'tool', ...tenant],
      registers,
    });
    this.authFailures = new Counter({
      name: 'mcp_auth_failures_total',
      help: 'HTTP requests refused by authentication: missing or invalid credential, insufficient scope, identity provider unavailable.',
      labelNames: ['reason'],
      registers,
    });
    this.auditFailures = new Counter({
      name: 'mcp_audit_write_failures_total',
      help: 'Audit records that could not be written to the audit sink.',
      registers,
    });
    this.responseBytes = new Histogram({
      name: 'mcp_tool_response_bytes',
      help: 'Size of each tool answer as sent (its JSON), by tool.',
      labelNames: ['tool'],
      buckets: [256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576, 4_194_304],
      registers,
    });
    this.responseTokens = new Histogram({
      name: 'mcp_tool_response_tokens',
      help: 'Estimated tokens of each tool answer (what the model reads of it, about 4 characters a token), by tool.',
      labelNames: ['tool'],
      buckets: [64, 256, 1024, 4096, 16_384, 65_536, 262_144],
      registers,
    });
    this.truncated = new Counter({
      name: 'mcp_tool_responses_truncated_total',
      help: 'Tool answers cut down to their tool\'s response budget (maxResponseTokens / MAX_RESPONSE_TOKENS), by tool.',
      labelNames: ['tool'],
      registers,
    });
    this.cacheLookups = new Counter({
      name: 'mcp_cache_lookups_total',
      help: 'Response cache lookups of tools with a cache, by tool and result (hit, miss).',
      labelNames: ['tool', 'result'],
      registers,
    });
    this.cacheInvalidations = new Counter({
      name: 'mcp_cache_invalidations_total',
      help: 'Write tool calls that dropped their tenant\'s cached answers, by tool.',
      labelNames: ['tool'],
      registers,
    });
    const metrics = this;
    new Gauge({
      name: 'mcp_tool_calls_in_flight',
      help: 'Tool calls running now.',
      registers,
      collect() {
        this.set(metrics.inFlightSource());
      },
    });
    new Gauge({
      name: 'mcp_approvals_pending',
      help: 'Calls parked for a human approver (approval `human`) now, in the shared state store (every replica reports the same).',
      registers,
      async collect() {
        const summary = await metrics.approvals();
        if (summary) this.set(summary.pending); // the store unreachable: the last value stands
      },
    });
    new Gauge({
      name: 'mcp_approvals_oldest_pending_seconds',
      help: 'How long the oldest call still waiting for a human approver has waited (0 when none waits).',
      registers,
      async collect() {
        const summary = await metrics.approvals();
        if (summary) this.set(summary.oldestPendingSeconds);
      },
    });
    if (host.memoryLimitBytes !== undefined) {
      new Gauge({ name: 'mcp_memory_limit_bytes', help: "The memory limit of this process's container (cgroup), in bytes.", registers }).set(host.memoryLimitBytes);
    }
    new Gauge({
      name: 'mcp_backend_up',
      help: 'Whether each backend passes its readiness check (1) or not (0), checked at scrape time.',
      labelNames: ['backend'],
      registers,
      async collect() {
        const report = await metrics.readiness();
        this.reset();
        for (const [name, up] of Object.entries(report?.backends ?? {})) this.set({ backend: name }, up ? 1 : 0);
      },
    });
    new Gauge({
      name: 'mcp_dependency_up',
      help: 'Whether redis (when REDIS_URL is set) and the audit sink are usable (1) or not (0), checked at scrape time.',
      labelNames: ['dependency'],
      registers,
      async collect() {
        const report = await metrics.readiness();
        this.reset();
        for (const [name, up] of Object.entries(report?.dependencies ?? {})) this.set({ dependency: name }, up ? 1 : 0);
      },
    });
  }

  /** Where the in-flight, approvals and health gauges read from (wired once the app is built). */
  observe(sources: { inFlight: () => number; readiness: () => Promise<ReadinessReport>; approvals?: () => Promise<PendingSummary | undefined> }): void {
    this.inFlightSource = sources.inFlight;
    this.readiness = oncePerScrape(sources.readiness);
    if (sources.approvals) this.approvals = oncePerScrape(sources.approvals);
  }

  callFinished(tool: string, outcome: string, tenant: string | undefined, seconds: number): void {
    this.calls.inc(this.settings.tenantLabel ? { tool, outcome, tenant: tenant ?? '' } : { tool, outcome });
    this.duration.observe({ tool, outcome }, seconds);
  }

  /** A resource read or a prompt get, answered. */
  readFinished(kind: 'resource' | 'prompt' | 'completion', name: string, outcome: string, tenant: string | undefined, seconds: number): void {
    this.reads.inc(this.settings.tenantLabel ? { kind, name, outcome, tenant: tenant ?? '' } : { kind, name, outcome });
    this.readDuration.observe({ kind, outcome }, seconds);
  }

  rateLimited(limit: LimitName, tool: string | null, tenant: string | undefined): void {
    this.limited.inc(this.settings.tenantLabel ? { limit, tool: tool ?? '', tenant: tenant ?? '' } : { limit, tool: tool ?? '' });
  }

  responseMeasured(tool: string, bytes: number, tokens: number, truncated: boolean): void {
    this.responseBytes.observe({ tool }, bytes);
    this.responseTokens.observe({ tool }, tokens);
    if (truncated) this.truncated.inc({ tool });
  }

  cacheLookup(tool: string, result: 'hit' | 'miss'): void {
    this.cacheLookups.inc({ tool, result });
  }

  cacheInvalidated(tool: string): void {
    this.cacheInvalidations.inc({ tool });
  }

  authFailed(reason: AuthFailureReason): void {
    this.authFailures.inc({ reason });
  }

  auditWriteFailed(): void {
    this.auditFailures.inc();
  }

  /** The Prometheus text exposition of this app's and the process's metrics. */
  async render(): Promise<{ contentType: string; body: string }> {
    const merged = Registry.merge([this.registry, processMetrics()]);
    return { contentType: merged.contentType, body: await merged.metrics() };
  }
}

/** `source`, called at most once a second: one scrape's gauges share one answer. */
function oncePerScrape<T>(source: () => Promise<T>): () => Promise<T> {
  let last: { at: number; answer: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (!last || now - last.at > 1_000) last = { at: now, answer: source() };
    return last.answer;
  };
}
