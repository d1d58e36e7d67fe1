/**
 * The http backend: an internal REST API, called for one tenant at a time with that tenant's own
 * credential.
 *
 * `HttpApiStore` is built once per process (src/backends/index.ts): one keep-alive connection
 * pool (undici), one circuit breaker, the retry policy (cockatiel). Tool handlers only get an
 * `HttpApiBackend` from `forTenant`:
 *
 * - credentials: each tenant's credential comes from HTTP_API_CREDENTIALS (or its _FILE, re-read
 *   when it changes: a call uses the credential current when it starts), the server's secret store. The MCP client's own token never leaves this server: the backend never
 *   sees it. A tenant without a credential gets `[not_configured]`.
 * - timeouts: each attempt has HTTP_API_TIMEOUT_MS (connect, headers and body).
 * - retries: reads (GET) are retried HTTP_API_RETRIES times on transient failures (network
 *   errors, timeouts, and the statuses in HTTP_API_RETRY_STATUSES: 429, 500, 502, 503, 504), with
 *   exponential backoff and jitter from HTTP_API_RETRY_BASE_MS. Writes (POST, PUT, PATCH, DELETE)
 *   make exactly one attempt: most APIs ignore Idempotency-Key, and a second attempt after a lost
 *   answer would apply the change twice. A write is retried like a read only when it is declared
 *   safe to repeat: `idempotent: true` on the call (a tool's own choice: imported PUT and DELETE
 *   tools make it, being idempotent by HTTP's definition), or an Idempotency-Key with
 *   HTTP_API_HONOURS_IDEMPOTENCY_KEY=true (the operator vouches for the API).
 * - outcome unknown: a write whose request may have reached the API without an answer saying what
 *   happened (a timeout, the connection lost after sending) fails with `[outcome_unknown]`, not as
 *   a failure, so the model checks before calling it again.
 * - circuit breaker: HTTP_API_BREAKER_THRESHOLD consecutive failures (network, timeout, 5xx)
 *   open it; calls then fail at once with `[unavailable]` for HTTP_API_BREAKER_HALF_OPEN_MS,
 *   after which one call is let through: success closes it, failure opens it again.
 * - readiness: while the breaker is not closed, /readyz probes the API (HTTP_API_HEALTH_PATH, or
 *   a HEAD of HTTP_API_BASE_URL) and reports what it found; a probe that finds the API answering
 *   lets the next call through as the breaker's trial.
 * - answers larger than HTTP_API_MAX_RESPONSE_BYTES are refused, not buffered.
 * - read tools get `get` only: their `send` is refused with `[read_only]`.
 *
 * Errors reach the model as short messages with a code (`[timeout]`, `[unavailable]` …); what the
 * API said is logged for the operator, not shown.
 */
import { performance } from 'node:perf_hooks';

import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IBackoffFactory,
  type IPolicy,
} from 'cockatiel';
import { Agent, request } from 'undici';

import type { Config } from '../../config.js';
import type { Logger } from '../../observability/logger.js';
import { ToolError } from '../../tool-model/tool-error.js';
import { elapsedMs, type BackendScope } from '../backend-scope.js';

export type HttpApiSettings = Config['httpApi'];

/** A list goes as one `name=value` pair per item. */
export type QueryValue = string | number | boolean | readonly string[] | undefined;
export type WriteMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type ReadMethod = 'GET' | 'HEAD';

/** An answer that was not a transient failure: 2xx, and 4xx other than 429 (the caller decides). */
export interface ApiResponse<T = unknown> {
  status: number;
  /** Parsed JSON when the API answered JSON, else the text; `undefined` when empty. */
  body: T;
  /** How many attempts it took. */
  attempts: number;
}

/** One tenant's view: the only API tool handlers see. */
export interface HttpApiBackend {
  /** GET `path` (relative to HTTP_API_BASE_URL): idempotent, so retried on transient failures. */
  get<T = unknown>(path: string, query?: Record<string, QueryValue>, options?: ReadOptions): Promise<ApiResponse<T>>;
  /**
   * A call that changes data: write tools only. Exactly one attempt, unless the call is declared
   * safe to repeat (see {@link SendOptions}). A failure that leaves it unknown whether the API
   * applied it (timeout, connection lost after sending) throws `[outcome_unknown]`.
   */
  send<T = unknown>(method: WriteMethod, path: string, options?: SendOptions): Promise<ApiResponse<T>>;
}

/** Request headers of the call's own (an API's header parameters); never the credential's header, which the backend sets. */
export type CallHeaders = Record<string, string>;

export interface ReadOptions {
  /** HEAD asks for the headers only; default GET. */
  method?: ReadMethod;
  headers?: CallHeaders;
}

export interface SendOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as application/x-www-form-urlencoded instead (a list: one field per item). */
  form?: Record<string, QueryValue>;
  headers?: CallHeaders;
  /** Sent as query parameters. */
  query?: Record<string, QueryValue>;
  /** Sent as Idempotency-Key (use ctx.requestId). Retried on it only with HTTP_API_HONOURS_IDEMPOTENCY_KEY=true. */
  idempotencyKey?: string;
  /**
   * Repeating this exact request changes nothing more than sending it once: a PUT of a whole
   * resource, or an API you know applies a repeated Idempotency-Key once. It is then retried on
   * transient failures like a read. Default false: one attempt, since a retry of a write the API
   * does not deduplicate applies it twice.
   */
  idempotent?: boolean;
}

/** A transient status (429, 5xx, HTTP_API_RETRY_STATUSES): thrown inside the policies so retry and breaker see it. */
class UpstreamStatusError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(`upstream answered HTTP ${status}`);
    this.name = 'UpstreamStatusError';
  }
}

class ResponseTooLargeError extends Error {
  constructor(limit: number) {
    super(`upstream answer larger than ${limit} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND',
  'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
]);

function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return (typeof code === 'string' && NETWORK_CODES.has(code)) || (typeof cause === 'string' && NETWORK_CODES.has(cause));
}

/** Failures before the request left this server: the API cannot have acted on it. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'UND_ERR_CONNECT_TIMEOUT']);

function wasNotSent(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return (typeof code === 'string' && NOT_SENT_CODES.has(code)) || (typeof cause === 'string' && NOT_SENT_CODES.has(cause));
}

/** Counts towards opening the breaker: the API is failing, not refusing one request. */
function isBreakerFailure(error: unknown): boolean {
  if (error instanceof TaskCancelledError || isNetworkError(error)) return true;
  return error instanceof UpstreamStatusError && error.status >= 500;
}

export class HttpApiStore {
  private readonly agent: Agent;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly withRetries: IPolicy;
  private readonly once: IPolicy;
  private readonly retryStatuses: ReadonlySet<number>;
  private openedAt = 0;
  /** How many times the breaker has opened, and the last opening after which a probe saw the API answer. */
  private breaks = 0;
  private answeredAfterBreak = -1;
  /** The last readiness probe's finding, logged when it changes. */
  private probeFound: boolean | undefined;

  constructor(
    private readonly settings: HttpApiSettings,
    private readonly logger: Logger,
  ) {
    // Keep-alive connections, reused across tenants (credentials are per request, not per connection).
    this.agent = new Agent({
      keepAliveTimeout: 4_000,
      keepAliveMaxTimeout: 60_000,
      connections: 64,
      connect: { timeout: settings.timeoutMs },
      headersTimeout: settings.timeoutMs,
      bodyTimeout: settings.timeoutMs,
    });
    this.retryStatuses = new Set(settings.retryStatuses);
    this.breaker = circuitBreaker(handleWhen(isBreakerFailure), {
      halfOpenAfter: this.halfOpenAfter(),
      breaker: new ConsecutiveBreaker(settings.breakerThreshold),
    });
    this.breaker.onBreak(() => {
      this.openedAt = Date.now();
      this.breaks += 1;
      logger.warn({ halfOpenAfterMs: settings.breakerHalfOpenMs }, 'http backend: circuit breaker opened, calls to the API are paused');
    });
    this.breaker.onHalfOpen(() => logger.info('http backend: circuit breaker half-open, trying the API again'));
    this.breaker.onReset(() => logger.info('http backend: circuit breaker closed, the API answers again'));
    const perAttempt = timeout(settings.timeoutMs, TimeoutStrategy.Aggressive);
    const retries = retry(handleWhen((error) => this.isRetryable(error)), {
      maxAttempts: settings.retries,
      // Exponential, with decorrelated jitter (cockatiel's default), so replicas do not retry in step.
      backoff: new ExponentialBackoff({ initialDelay: settings.retryBaseMs, maxDelay: Math.max(settings.retryBaseMs * 32, 2_000) }),
    });
    // Outermost first: each retry goes through the breaker, each attempt has its own timeout.
    this.withRetries = wrap(retries, this.breaker, perAttempt);
    this.once = wrap(this.breaker, perAttempt);
  }

  forTenant(tenantId: string, scope: BackendScope): HttpApiBackend {
    return {
      get: (path, query, options = {}) => this.call(tenantId, scope, options.method ?? 'GET', path, { query, headers: options.headers }),
      send: (method, path, options = {}) => {
        if (scope.access !== 'write') {
          scope.onCall?.({ backend: 'http', operation: method, outcome: 'error', errorCode: 'read_only', latencyMs: 0 });
          return Promise.reject(new ToolError('read_only', 'This tool only reads data; it cannot change anything.'));
        }
        return this.call(tenantId, scope, method, path, options);
      },
    };
  }

  /** The breaker's state, for readiness and tests. */
  get circuit(): 'closed' | 'open' | 'half-open' {
    const state = this.breaker.state;
    return state === CircuitState.Closed ? 'closed' : state === CircuitState.HalfOpen ? 'half-open' : 'open';
  }

  /**
   * Readiness. While the breaker is closed: ready, or, when HTTP_API_HEALTH_PATH is set, whether
   * it answers 2xx. While the breaker is open or half-open, the time elapsed says nothing about
   * the API, so the API is asked: HTTP_API_HEALTH_PATH (2xx), else a HEAD of HTTP_API_BASE_URL
   * (any answer below 500: the API is there, even if it wants a credential or another path).
   * Not ready for as long as it does not answer; once it does, the next call is let through as
   * the breaker's trial, so the traffic readiness brings back is not refused.
   */
  async isReady(): Promise<boolean> {
    const closed = this.breaker.state === CircuitState.Closed;
    if (closed && !this.settings.healthPath) {
      this.probeFound = undefined;
      return true;
    }
    const breaks = this.breaks;
    const up = await this.probe();
    if (up !== this.probeFound) {
      this.probeFound = up;
      const circuit = this.circuit;
      if (up) this.logger.info({ circuit }, 'http backend: readiness probe: the API answers');
      else this.logger.warn({ circuit }, 'http backend: readiness probe: the API does not answer');
    }
    if (!closed && up) this.answeredAfterBreak = breaks;
    return up;
  }

  /** One probe request, without any tenant's credential. */
  private async probe(): Promise<boolean> {
    const { healthPath } = this.settings;
    try {
      const response = await request(this.urlFor(healthPath ?? ''), {
        dispatcher: this.agent,
        method: healthPath ? 'GET' : 'HEAD',
        signal: AbortSignal.timeout(Math.min(this.settings.timeoutMs, 2_000)),
      });
      await response.body.dump();
      return healthPath ? response.statusCode >= 200 && response.statusCode < 300 : response.statusCode < 500;
    } catch {
      return false;
    }
  }

  /**
   * How long the breaker stays open: HTTP_API_BREAKER_HALF_OPEN_MS, or no longer once a readiness
   * probe has seen the API answer since it opened (cockatiel reads `duration` on each call).
   */
  private halfOpenAfter(): IBackoffFactory<unknown> {
    const duration = () => (this.answeredAfterBreak === this.breaks ? 0 : this.settings.breakerHalfOpenMs);
    const backoff: IBackoff<unknown> = {
      get duration() {
        return duration();
      },
      next: () => backoff,
    };
    return { next: () => backoff };
  }

  /** Worth another attempt (for calls that may be repeated). */
  private isRetryable(error: unknown): boolean {
    if (error instanceof TaskCancelledError || isNetworkError(error)) return true;
    return error instanceof UpstreamStatusError && this.retryStatuses.has(error.status);
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => this.agent.destroy());
  }

  private async call<T>(
    tenantId: string,
    scope: BackendScope,
    method: ReadMethod | WriteMethod,
    path: string,
    options: SendOptions,
  ): Promise<ApiResponse<T>> {
    const started = performance.now();
    let attempts = 0;
    const report = (errorCode?: string) =>
      scope.onCall?.({
        backend: 'http',
        operation: method,
        outcome: errorCode ? 'error' : 'ok',
        ...(errorCode ? { errorCode } : {}),
        latencyMs: elapsedMs(started),
        attempts,
      });

    const credential = this.settings.credentials.get(tenantId);
    if (credential === undefined) {
      report('not_configured');
      throw new ToolError('not_configured', "No API credential is configured for your organisation. Ask this server's operator to add one.");
    }
    const url = this.urlFor(path, options.query);
    const headers: Record<string, string> = {
      ...ownHeaders(options.headers),
      accept: 'application/json',
      [this.settings.authHeader]: this.settings.authHeader === 'authorization' ? `Bearer ${credential}` : credential,
    };
    if (scope.requestId) headers['x-request-id'] = scope.requestId;
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    let body: string | undefined;
    if (options.form !== undefined) {
      body = pairsOf(options.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const write = method !== 'GET' && method !== 'HEAD';
    const repeatable =
      !write || options.idempotent === true || (this.settings.honoursIdempotencyKey && options.idempotencyKey !== undefined);
    // Attempts that may have reached the API and got no answer saying what it did: a failed
    // write with one of these may have been applied.
    let inDoubt = 0;

    try {
      const response = await (repeatable ? this.withRetries : this.once).execute(async ({ signal }) => {
        attempts += 1;
        inDoubt += 1;
        // cockatiel derives `signal` from scope.signal (passed to execute) and the attempt's timeout.
        return this.attempt<T>(url, method, headers, body, signal, () => (inDoubt -= 1));
      }, scope.signal);
      report();
      return { ...response, attempts };
    } catch (error) {
      const clean = write && inDoubt > 0 ? this.outcomeUnknown(error, scope) : this.toToolError(error, scope);
      report(clean.code);
      this.logger.warn({ err: error, requestId: scope.requestId, method, path: url.pathname, attempts, code: clean.code }, 'http backend call failed');
      throw clean;
    }
  }

  /**
   * One attempt: the request, and its answer read up to the size limit. `settled` is called once
   * it is known what the API did with it: it answered with a status, or it never got the request.
   */
  private async attempt<T>(
    url: URL,
    method: string,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal,
    settled: () => void,
  ) {
    let response: Awaited<ReturnType<typeof request>>;
    try {
      response = await request(url, { dispatcher: this.agent, method: method as 'GET', headers, body, signal });
    } catch (error) {
      if (wasNotSent(error)) settled();
      throw error;
    }
    settled();
    const status = response.statusCode;
    if (status === 429 || status >= 500 || this.retryStatuses.has(status)) {
      await response.body.dump().catch(() => {});
      const retryAfter = Number(response.headers['retry-after']);
      throw new UpstreamStatusError(status, Number.isFinite(retryAfter) ? retryAfter : undefined);
    }
    const declared = Number(response.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.settings.maxResponseBytes) {
      response.body.destroy();
      throw new ResponseTooLargeError(this.settings.maxResponseBytes);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > this.settings.maxResponseBytes) {
        response.body.destroy();
        throw new ResponseTooLargeError(this.settings.maxResponseBytes);
      }
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    const type = String(response.headers['content-type'] ?? '');
    let parsed: unknown = text === '' ? undefined : text;
    if (text !== '' && type.includes('json')) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status, body: parsed as T };
  }

  /**
   * A write that failed after an attempt that may have reached the API: whether the change was
   * made is unknown. Saying "failed" would invite the model to call again and apply it twice.
   */
  private outcomeUnknown(error: unknown, scope: BackendScope): ToolError {
    if (scope.signal?.aborted) return new ToolError('cancelled', 'The call was cancelled before the API answered; the change may or may not have been made.');
    const why =
      error instanceof TaskCancelledError
        ? 'The API did not answer in time'
        : error instanceof UpstreamStatusError || error instanceof BrokenCircuitError
          ? 'An attempt got no answer from the API'
          : 'The connection to the API was lost after the request was sent';
    return new ToolError(
      'outcome_unknown',
      `${why}, so it is not known whether the change was made. Check its current state before calling this tool again: a repeated call may make the change twice.`,
    );
  }

  private toToolError(error: unknown, scope: BackendScope): ToolError {
    if (error instanceof ToolError) return error;
    if (scope.signal?.aborted) return new ToolError('cancelled', 'The call was cancelled before the API answered.');
    if (error instanceof BrokenCircuitError) {
      const seconds = Math.max(1, Math.ceil((this.openedAt + this.settings.breakerHalfOpenMs - Date.now()) / 1000));
      return new ToolError('unavailable', `The API is failing, so calls to it are paused. Retry in about ${seconds} seconds.`);
    }
    if (error instanceof TaskCancelledError) return new ToolError('timeout', 'The API did not answer in time. Retry later.');
    if (error instanceof ResponseTooLargeError) {
      return new ToolError('response_too_large', 'The API answered with more data than this server accepts. Narrow the request.');
    }
    if (error instanceof UpstreamStatusError) {
      if (error.status === 429) {
        const wait = error.retryAfterSeconds !== undefined ? ` Retry in ${error.retryAfterSeconds} seconds.` : ' Retry later.';
        return new ToolError('upstream_rate_limited', `The API is limiting calls from your organisation.${wait}`);
      }
      return new ToolError('unavailable', `The API failed to answer (HTTP ${error.status}). Retry shortly.`);
    }
    if (isNetworkError(error)) return new ToolError('unavailable', 'The API cannot be reached right now. Retry shortly.');
    return new ToolError('internal_error', 'The call to the API failed unexpectedly.');
  }

  /** `path` under HTTP_API_BASE_URL; never another origin, never above the base path. */
  private urlFor(path: string, query: Record<string, QueryValue> = {}): URL {
    const base = this.settings.baseUrl;
    const url = new URL(base.pathname + path.replace(/^\/+/, ''), base.origin);
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
      throw new Error(`http backend: path ${JSON.stringify(path)} leaves HTTP_API_BASE_URL`);
    }
    for (const [name, value] of pairsOf(query)) url.searchParams.append(name, value);
    return url;
  }
}

/** A query's or a form's fields: a list one pair per item, an undefined value none. */
function pairsOf(fields: Record<string, QueryValue>): URLSearchParams {
  const pairs = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (Array.isArray(value)) for (const item of value) pairs.append(name, item);
    else if (value !== undefined) pairs.append(name, String(value));
  }
  return pairs;
}

/** Headers the backend sets itself (credential, body, request id) are not a call's to give. */
const RESERVED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'idempotency-key', 'x-request-id']);

function ownHeaders(headers: CallHeaders = {}): CallHeaders {
  const own: CallHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (!RESERVED_HEADERS.has(key) && /^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(key)) own[key] = value;
  }
  return own;
}

/**
 * For a response the backend returned (2xx or a 4xx other than 429): throws the ToolError the
 * model should read for a 4xx; returns for 2xx. Handle 404 yourself first when "not found" is
 * an answer rather than an error.
 */
export function assertOk(response: ApiResponse): void {
  const { status } = response;
  if (status >= 200 && status < 300) return;
  if (status === 401 || status === 403) {
    throw new ToolError('upstream_denied', "The API refused your organisation's credential. Ask this server's operator to check it.");
  }
  if (status === 404) throw new ToolError('not_found', 'The API has no such item.');
  if (status === 409) throw new ToolError('conflict', 'The API refused the change because it conflicts with the current data.');
  if (status === 400 || status === 422) throw new ToolError('invalid_request', 'The API rejected the request as invalid.');
  throw new ToolError('upstream_error', `The API refused the request (HTTP ${status}).`);
}
