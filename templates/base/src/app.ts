/**
 * The composition root: builds, once per process, everything a transport serves with. main.ts
 * and the tests both start from here, so tests exercise the same wiring production runs.
 */
import { ClientConfirmations } from './approvals/client-confirmations.js';
import { PendingApprovals } from './approvals/pending-approvals.js';
import { startAuditExport } from './audit/otlp-export.js';
import { createAuthenticator, type Authenticator } from './auth/authenticate.js';
import { memoryResponseStore } from './cache/memory-response-store.js';
import { redisResponseStore } from './cache/redis-response-store.js';
import { createBackends, type Backends } from './backends/index.js';
import type { Config } from './config.js';
import { ConcurrencyLimits } from './limits/concurrency.js';
import { memoryStore, redisStore, type LimiterStore } from './limits/limiter-store.js';
import { connectRedis, type RedisConnection } from './limits/redis-connection.js';
import { createLogger, type Logger } from './observability/logger.js';
import { Metrics } from './observability/metrics.js';
import { createReadiness } from './observability/readiness.js';
import type { ReadinessReport } from './observability/readiness-report.js';
import { Tracing } from './observability/tracing.js';
import { createAuditLog, type AuditLog } from './pipeline/audit.js';
import type { NamedStage } from './pipeline/call-context.js';
import { ToolPipeline } from './pipeline/call-tool.js';
import { InputStates } from './pipeline/input-states.js';
import type { AnyPrompt } from './tool-model/define-prompt.js';
import type { AnyResource } from './tool-model/define-resource.js';
import type { AnyTool } from './tool-model/define-tool.js';
import { RateLimits } from './pipeline/rate-limit.js';
import { ResponseBudget } from './pipeline/response-budget.js';
import { ResponseCache } from './pipeline/response-cache.js';
import { ToolRollout } from './pipeline/tool-rollout.js';
import { Redactor } from './redaction/redactor.js';
import { openSharedState } from './shared-state/open-shared-state.js';
import type { SharedState } from './shared-state/shared-state.js';
import { createServerFactory, SERVER_INFO, type ServerFactory } from './server.js';
import { StartupError } from './startup-error.js';
import { prompts as registeredPrompts } from './prompts/registry.js';
import { resources as registeredResources } from './resources/registry.js';
import { tools as registeredTools } from './tools/registry.js';

export interface App {
  config: Config;
  logger: Logger;
  tools: readonly AnyTool[];
  /** The resources and prompts served beside the tools. */
  resources: readonly AnyResource[];
  prompts: readonly AnyPrompt[];
  backends: Backends;
  audit: AuditLog;
  pipeline: ToolPipeline;
  authenticator: Authenticator;
  /** Which tools each tenant may use (MCP_TOOL_ROLLOUT / MCP_TOOL_ROLLOUT_FILE). */
  rollout: ToolRollout;
  /** Calls parked for a human approver (approval `human`); decided through pipeline.decideApproval. */
  approvals: PendingApprovals;
  /** Where approvals, confirmations and concurrency slots live: memory, Redis or PostgreSQL. */
  sharedState: SharedState;
  /** The tool calls' per-minute budgets (the HTTP transport takes them with the request budget). */
  rateLimits: RateLimits;
  /** Builds the McpServer for one caller (per HTTP request, per stdio connection). */
  createServer: ServerFactory;
  /** Prometheus metrics (/metrics on HTTP). */
  metrics: Metrics;
  /** Where rate-limit counters live (memory, or Redis with REDIS_URL): for budgets besides the pipeline's. */
  limiterStore: LimiterStore;
  /** Calls running at once, per tenant and in total. */
  concurrency: ConcurrencyLimits;
  /** Redaction of audit arguments, logs and (REDACT_TOOL_OUTPUT) results. */
  redactor: Redactor;
  /** Every backend, Redis and the audit sink, each checked within READINESS_TIMEOUT_MS (/readyz). */
  readiness(): Promise<ReadinessReport>;
  /** Re-reads what may change without a restart: keys, key material, the tool rollout (SIGHUP). */
  reload(): void;
  /** Waits for calls in flight (up to SHUTDOWN_TIMEOUT_MS), then releases everything. */
  close(): Promise<void>;
}

export interface AppOptions {
  /** Serve these tools instead of src/tools/registry.ts (tests). */
  tools?: readonly AnyTool[];
  /** Serve these resources and prompts instead of src/resources/registry.ts and src/prompts/registry.ts (tests). */
  resources?: readonly AnyResource[];
  prompts?: readonly AnyPrompt[];
  /** Run calls through these stages instead of src/pipeline/stages.ts's with custom-stages.ts's changes (tests). */
  stages?: readonly NamedStage[];
  logger?: Logger;
}

export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const redactor = new Redactor(config.redaction.paths);
  const logger = options.logger ?? createLogger(config.logLevel, SERVER_INFO.name, redactor);
  const tools = options.tools ?? registeredTools;
  const resources = options.resources ?? registeredResources;
  const prompts = options.prompts ?? registeredPrompts;
  // One namespace: rollout rules, rate limits and audit records name each of them alike.
  const names = new Set<string>();
  for (const item of [...tools, ...resources, ...prompts]) {
    if (names.has(item.name)) throw new Error(`Two tools, resources or prompts are named ${item.name}`);
    names.add(item.name);
  }

  // First, so a refusal to start (unsafe settings, bad keys file) leaves nothing open.
  const authenticator = createAuthenticator(config, {
    logger,
    // Every scope any tool needs: what a fully trusted caller holds.
    allScopes: [...new Set([...tools, ...resources, ...prompts].flatMap((item) => item.scopes))].sort(),
  });
  let rollout: ToolRollout;
  try {
    rollout = new ToolRollout(config.rollout, [...names, ...tools.flatMap((tool) => (tool.routesTo ?? []).map((routed) => routed.name))], logger);
  } catch (error) {
    authenticator.close();
    throw new StartupError(`${config.rollout?.file ? `MCP_TOOL_ROLLOUT_FILE=${config.rollout.file}` : 'MCP_TOOL_ROLLOUT'}: ${(error as Error).message}`);
  }
  const transport: string = config.transport; // widened: a one-transport repo types it as a single literal
  const backends = await createBackends(config, logger);
  const metrics = new Metrics(config.metrics);
  const tracing = await Tracing.start(
    { ...config.tracing, serviceName: config.tracing.serviceName ?? SERVER_INFO.name, serviceVersion: SERVER_INFO.version },
    transport === 'stdio' ? 'stdio' : 'http',
    logger,
  );
  const failureMode = config.rateLimits.failureMode;
  let redis: RedisConnection | undefined;
  if (config.redis) {
    redis = await connectRedis({
      url: config.redis.url,
      logger,
      whenDown:
        (failureMode === 'open'
          ? 'rate limits and concurrency caps fall back to per-process counters (RATE_LIMIT_FAILURE_MODE=open)'
          : 'rate-limited calls are refused (RATE_LIMIT_FAILURE_MODE=closed)') + '; approval calls are refused as unavailable; cached answers are bypassed',
    });
  }
  const limiterStore = redis && config.redis ? redisStore(redis, config.redis.keyPrefix, failureMode) : memoryStore();
  const sharedState = openSharedState({ config, redis, backends, tools, logger });
  const approvals = new PendingApprovals(config.approvals, sharedState.approvals);
  const concurrency = new ConcurrencyLimits(config.concurrency, sharedState.slots, failureMode);
  const rateLimits = new RateLimits(config.rateLimits, limiterStore, metrics);
  // Cached answers live where rate-limit counters do: shared by every replica through Redis when it is set.
  const cacheStore =
    redis && config.redis
      ? redisResponseStore(redis.client, config.redis.keyPrefix, config.responseCache.maxEntryBytes, logger)
      : memoryResponseStore(config.responseCache);
  const auditExport = await startAuditExport(
    { ...config.auditExport, serviceName: config.tracing.serviceName ?? SERVER_INFO.name, serviceVersion: SERVER_INFO.version },
    logger,
  );
  const audit = createAuditLog({
    destination: config.auditLog,
    failureMode: config.auditPolicy.failureMode,
    chainKey: config.auditPolicy.chainKey,
    rotation: { maxBytes: config.auditFiles.rotateBytes, interval: config.auditFiles.rotateInterval },
    retentionDays: config.auditFiles.retentionDays,
    exporter: auditExport,
    redactor,
    logger,
    metrics,
  });
  const readiness = createReadiness({
    backends,
    audit,
    redis: redis ? { connection: redis, failureMode } : undefined,
    sharedState,
    timeoutMs: config.readinessTimeoutMs,
  });
  metrics.observe({ inFlight: () => concurrency.inFlight(), readiness, approvals: () => approvals.summary() });
  const pipeline = new ToolPipeline({
    backends,
    rateLimits,
    concurrency,
    metrics,
    tracing,
    cache: new ResponseCache({ enabled: config.responseCache.enabled }, cacheStore, metrics),
    budget: new ResponseBudget(config.responseBudget.maxTokens),
    outputRedactor: config.redaction.toolOutput ? redactor : undefined,
    clientMessages: { redactor, level: config.clientLogLevel },
    inputStates: new InputStates(config.approvals.stateKey),
    audit,
    logger,
    rollout,
    approvals: {
      pending: approvals,
      confirmations: new ClientConfirmations(config.approvals.stateKey, sharedState.confirmations),
      // Approvers grant through the HTTP admin endpoint: a stdio process has none.
      humanApprovalReachable: transport === 'http',
    },
  }, options.stages);

  let closing: Promise<void> | undefined;
  return {
    config,
    logger,
    tools,
    resources,
    prompts,
    backends,
    audit,
    pipeline,
    authenticator,
    rollout,
    approvals,
    sharedState,
    rateLimits,
    createServer: createServerFactory({ tools, resources, prompts }, pipeline, rollout),
    metrics,
    limiterStore,
    concurrency,
    redactor,
    readiness,
    reload() {
      authenticator.reload();
      rollout.reload();
    },
    close() {
      closing ??= (async () => {
        const drained = await pipeline.drain(config.shutdownTimeoutMs);
        if (!drained) logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'tool calls still running at shutdown were aborted');
        authenticator.close();
        await sharedState.close();
        await backends.close();
        await audit.close();
        await auditExport?.shutdown();
        await redis?.close();
        await tracing.shutdown();
      })();
      return closing;
    },
  };
}
