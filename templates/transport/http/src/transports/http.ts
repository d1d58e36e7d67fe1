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
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';

import type { App } from '../app.js';
import { principalFromAuthInfo } from '../auth/principal.js';
import { StartupError } from '../startup-error.js';
import { APPROVER_SCOPE, createApprovalsEndpoint } from './approvals-endpoint.js';
import { withCompression } from './compression.js';
import { createHttpGuards, servedScopesOf } from './http-guards.js';
import { sendJson } from './http-responses.js';
import { httpRoutes, routeFor } from './http-routes.js';
import { createMcpEndpoint } from './mcp-endpoint.js';
import { sendMetrics, sendReadiness } from './observability-endpoints.js';
import { resourceMetadataOf } from './protected-resource.js';
import { originForm } from './request-target.js';
import type { RunningTransport } from './running-transport.js';

export interface RunningHttpServer extends RunningTransport {
  /** The /mcp endpoint, e.g. http://127.0.0.1:3000/mcp */
  url: URL;
  server: Server;
}

/** What is known of the request being answered, for the error log of a 5xx. */
interface RequestContext {
  requestId: string;
  /** What the SDK handler reported while answering it (most are a client's mistake, logged at debug). */
  sdkErrors: Error[];
}

export async function serveOverHttp(app: App): Promise<RunningHttpServer> {
  const { config, logger } = app;
  const settings = config.http;
  const requests = new AsyncLocalStorage<RequestContext>();
  const onerror = (error: Error) => {
    requests.getStore()?.sdkErrors.push(error);
    logger.debug({ err: error, requestId: requests.getStore()?.requestId }, 'MCP request rejected');
  };

  // The factory runs per request; authInfo is what mcp-endpoint.ts attaches after authenticating.
  const mcp = createMcpHandler(({ authInfo }) => app.createServer(principalFromAuthInfo(authInfo)), {
    maxRequestBodySize: settings.maxBodyBytes,
    onerror,
  });
  // Answers compressed as Accept-Encoding allows, above HTTP_COMPRESSION_MIN_BYTES (compression.ts).
  const forwardToMcp = toNodeHandler(withCompression(mcp, settings.compression), { maxRequestBodySize: settings.maxBodyBytes, onerror });
  let accepting = true;

  // A catalog's operations count: call_operation runs each as the tool it stands for.
  const humanApprovals = app.tools.some((tool) => tool.approval === 'human' || (tool.routesTo ?? []).some((routed) => routed.approval === 'human'));
  const servedScopes = servedScopesOf(app);
  const resourceMetadata = resourceMetadataOf(app.authenticator.protectedResource, humanApprovals ? [...servedScopes, APPROVER_SCOPE] : servedScopes);
  const guards = createHttpGuards(app, resourceMetadata);
  const routes = httpRoutes({
    mcp: createMcpEndpoint(app, guards, forwardToMcp),
    readiness: (_req, res) => sendReadiness(app, res, accepting),
    metrics: (req, res) => sendMetrics(app, req, res),
    approvals: humanApprovals ? createApprovalsEndpoint(app, guards) : undefined,
    resourceMetadata,
  });

  const server = createServer((req, res) => {
    const context: RequestContext = { requestId: randomUUID(), sdkErrors: [] };
    // An absolute-form target (`POST http://host/mcp`, RFC 9112 §3.2.2) is served as its
    // origin-form: what follows (and the SDK) sees the path, the Host check the target's authority.
    if (!originForm(req)) return sendJson(res, 400, { error: 'bad request target' });
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    res.once('finish', () => {
      // Deliberate back-pressure (503 with Retry-After: at capacity, a dependency down) is expected;
      // any other 5xx means this server failed, and is logged whatever LOG_LEVEL says about debug.
      if (res.statusCode < 500 || (res.statusCode === 503 && res.hasHeader('retry-after'))) return;
      logger.error(
        { requestId: context.requestId, method: req.method, path, status: res.statusCode, errors: context.sdkErrors.map((error) => error.message) },
        'HTTP request answered with a server error',
      );
    });
    requests.run(context, () =>
      Promise.resolve()
        .then(() => routeFor(routes, path)(req, res, path))
        .catch((error: unknown) => {
          logger.error({ err: error, requestId: context.requestId, path }, 'HTTP request failed');
          if (!res.headersSent) sendJson(res, 500, { error: 'internal error', requestId: context.requestId });
          else res.end();
        }),
    );
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
    async close() {
      accepting = false;
      if (server.listening) server.close();
      await mcp.close(); // aborts exchanges still open (the pipeline has drained by now)
      server.closeAllConnections();
      await closed;
    },
  };
}
