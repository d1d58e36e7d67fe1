/**
 * Streamable HTTP on node:http, stateless, serving both protocol eras from one createMcpHandler.
 * What must be consistent across replicas (approvals, confirmations, limits) lives in the shared
 * state store and the limiter store: with REDIS_URL (or the postgres backend on DATABASE_URL for
 * approvals) any replica can answer any request; in memory, only one replica can (RUNBOOK.md).
 *
 * Here: the server, its lifecycle, and what every request gets (an id, its target in
 * origin-form, a 500 for a handler that throws). Where a request goes: http-routes.ts. What
 * stands in front of tenant data (Host, Origin, size, credential, scopes): http-guards.ts.
 * /mcp itself: mcp-endpoint.ts. Any 5xx this server answers that is not deliberate back-pressure
 * is a failure: logged at `error` with the request's id.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { createMcpHandler, type AuthInfo } from '@modelcontextprotocol/server';

import type { App } from '../app.js';
import { principalFromAuthInfo } from '../auth/principal.js';
import { StartupError } from '../startup-error.js';
import { AnswersInFlight } from './in-flight.js';
import { APPROVER_SCOPE, createApprovalsEndpoint } from './approvals-endpoint.js';
import { createHttpGuards, servedScopesOf } from './http-guards.js';
import { sendJson } from './http-responses.js';
import { httpRoutes, routeFor } from './http-routes.js';
import { legacyToolCalls } from './legacy-tool-call.js';
import { createMcpEndpoint } from './mcp-endpoint.js';
import { nodeMcpHandler } from './node-adapter.js';
import { sendMetrics, sendReadiness } from './observability-endpoints.js';
import { resourceMetadataOf } from './protected-resource.js';
import { originForm } from './request-target.js';
import type { RunningTransport } from './running-transport.js';

export interface RunningHttpServer extends RunningTransport {
  /** The /mcp endpoint, e.g. http://127.0.0.1:3000/mcp */
  url: URL;
  server: Server;
}

/**
 * The last errors the SDK handler reported (most are a client's mistake, logged at debug), for
 * the error log of a 5xx: those reported while that request was being answered. Numbered, not
 * tied to a request through AsyncLocalStorage, which would slow every request (on Node 20 and
 * 22 it hooks every promise; see observability/tracing.ts): under concurrency the list may name
 * another request's errors too, never fewer than its own (up to the last RECENT_ERRORS).
 */
class RecentErrors {
  private readonly errors: string[] = [];
  /** How many were ever reported: a request notes it when it starts. */
  count = 0;

  add(error: Error): void {
    this.errors[this.count % RECENT_ERRORS] = error.message;
    this.count += 1;
  }

  /** The messages reported since `since` (a count noted earlier), oldest first. */
  since(since: number): string[] {
    const from = Math.max(since, this.count - RECENT_ERRORS);
    const messages: string[] = [];
    for (let i = from; i < this.count; i++) messages.push(this.errors[i % RECENT_ERRORS]!);
    return messages;
  }
}

const RECENT_ERRORS = 20;

export async function serveOverHttp(app: App): Promise<RunningHttpServer> {
  const { config, logger } = app;
  const settings = config.http;
  const sdkErrors = new RecentErrors();
  const onerror = (error: Error) => {
    sdkErrors.add(error);
    logger.debug({ err: error }, 'MCP request rejected');
  };

  // The factory runs per request; authInfo is what mcp-endpoint.ts attaches after authenticating.
  const serverFor = (authInfo: AuthInfo | undefined) => app.createServer(principalFromAuthInfo(authInfo));
  const mcp = createMcpHandler(({ authInfo }) => serverFor(authInfo), { maxRequestBodySize: settings.maxBodyBytes, onerror });
  // On node:http (node-adapter.ts); answers compressed as Accept-Encoding allows, above HTTP_COMPRESSION_MIN_BYTES (compression.ts).
  const forwardToMcp = nodeMcpHandler(mcp, {
    maxRequestBodySize: settings.maxBodyBytes,
    compression: settings.compression,
    onerror,
    legacyToolCall: legacyToolCalls(serverFor),
  });
  let accepting = true;
  const answering = new AnswersInFlight<ServerResponse>();

  // A catalog's operations count: call_operation runs each as the tool it stands for.
  const humanApprovals = app.tools.some((tool) => tool.approval === 'human' || (tool.routesTo ?? []).some((routed) => routed.approval === 'human'));
  const servedScopes = servedScopesOf(app);
  const resourceMetadata = resourceMetadataOf(app.authenticator.protectedResource, humanApprovals ? [...servedScopes, APPROVER_SCOPE] : servedScopes);
  const guards = createHttpGuards(app, resourceMetadata);
  const routes = httpRoutes({
    mcp: createMcpEndpoint(app, guards, forwardToMcp, answering),
    readiness: (_req, res) => sendReadiness(app, res, accepting),
    metrics: (req, res) => sendMetrics(app, req, res),
    approvals: humanApprovals ? createApprovalsEndpoint(app, guards) : undefined,
    resourceMetadata,
  });

  const server = createServer((req, res) => {
    const requestId = randomUUID();
    const errorsBefore = sdkErrors.count;
    // An absolute-form target (`POST http://host/mcp`, RFC 9112 §3.2.2) is served as its
    // origin-form: what follows (and the SDK) sees the path, the Host check the target's authority.
    if (!originForm(req)) return sendJson(res, 400, { error: 'bad request target' });
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    res.once('finish', () => {
      // Deliberate back-pressure (503 with Retry-After: at capacity, a dependency down) is expected;
      // any other 5xx means this server failed, and is logged whatever LOG_LEVEL says about debug.
      if (res.statusCode < 500 || (res.statusCode === 503 && res.hasHeader('retry-after'))) return;
      logger.error(
        { requestId, method: req.method, path, status: res.statusCode, errors: sdkErrors.since(errorsBefore) },
        'HTTP request answered with a server error',
      );
    });
    Promise.resolve()
      .then(() => routeFor(routes, path)(req, res, path))
      .catch((error: unknown) => {
        logger.error({ err: error, requestId, path }, 'HTTP request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error', requestId });
        else res.end();
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new StartupError(`Cannot listen on ${settings.host}:${settings.port}: ${error.code ?? error.message}`)),
    );
    server.listen(settings.port, settings.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const url = new URL(`http://${host}:${port}/mcp`);
  logger.info({ url: url.href, tools: app.tools.length }, 'serving MCP over HTTP');

  const closed = new Promise<void>((resolve) => server.once('close', () => resolve()));
  return {
    url,
    server,
    async stopAccepting() {
      accepting = false;
      server.close(); // no new connections; open ones finish their requests
      server.closeIdleConnections();
    },
    async close(graceMs) {
      accepting = false;
      if (server.listening) server.close();
      await answering.settled(graceMs);
      await mcp.close(); // aborts exchanges still open (the pipeline has drained by now)
      server.closeAllConnections();
      await closed;
    },
  };
}
