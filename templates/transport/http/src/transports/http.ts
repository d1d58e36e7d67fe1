/**
 * Streamable HTTP on node:http, stateless, serving both protocol eras from one createMcpHandler.
 * What must be consistent across replicas (approvals, confirmations, limits) lives in the shared
 * state store and the limiter store: with REDIS_URL (or the postgres backend on DATABASE_URL for
 * approvals) any replica can answer any request; in memory, only one replica can (RUNBOOK.md).
 *
 *   /mcp      Host check -> Origin check -> body size -> authentication -> scope -> body ->
 *             request budget (and a tool call's budgets, in the same round trip) -> a call to a
 *             tool the tenant does not have is audited -> the SDK handler
 *   /healthz  liveness: the process is up
 *   /readyz   readiness: backends, Redis and the audit sink ready, not shutting down (load
 *             balancers stop routing on 503)
 *   /metrics  Prometheus metrics
 *   /admin/approvals  approvers grant or deny parked calls (only when a tool needs approval `human`)
 *   /.well-known/oauth-protected-resource[/mcp]  RFC 9728 metadata (auth `oauth` only)
 *
 * The SDK handler validates no Host, Origin or credential: those guards are ours, in front. A
 * refused credential gets 401 with a `WWW-Authenticate: Bearer` challenge; a credential that
 * grants none of the scopes this server's tools need gets 403 `insufficient_scope`. A tenant over
 * its request budget gets 429 with Retry-After (transports/traffic-gate.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { hostHeaderValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/server';

import type { App } from '../app.js';
import type { HttpAuthResult } from '../auth/authenticator.js';
import { principalFromAuthInfo, type Principal } from '../auth/principal.js';
import { StartupError } from '../startup-error.js';
import { answerApprovals, APPROVALS_PATH, APPROVER_SCOPE, sendApprovalsAnswer } from './approvals-endpoint.js';
import { bearerChallenge } from './bearer-challenge.js';
import { sendJson, sendJsonRpcError } from './http-responses.js';
import { sendMetrics, sendReadiness } from './observability-endpoints.js';
import { isJsonContentType, readJsonBody } from './read-json-body.js';
import type { RunningTransport } from './running-transport.js';
import { createTrafficGate } from './traffic-gate.js';
import { createUnknownToolAudit } from './unknown-tool-audit.js';

export interface RunningHttpServer extends RunningTransport {
  /** The /mcp endpoint, e.g. http://127.0.0.1:3000/mcp */
  url: URL;
  server: Server;
}

/** What /mcp answers itself or hands to the SDK handler; any other method gets 405. */
const MCP_METHODS = new Set(['POST', 'GET', 'DELETE', 'HEAD', 'OPTIONS']);

/**
 * A page this server itself served (the MCP conformance suite's "valid localhost Origin"): the
 * Origin names the very Host the request was sent to, and that Host has passed the allow-list,
 * so a DNS-rebinding page (whose Host is its own name) can never match.
 */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

export async function serveOverHttp(app: App): Promise<RunningHttpServer> {
  const { config, logger } = app;
  const settings = config.http;
  const onerror = (error: Error) => logger.debug({ err: error }, 'MCP request rejected');

  // The factory runs per request; authInfo is what we attach after authenticating (below).
  const mcp = createMcpHandler(({ authInfo }) => app.createServer(principalFromAuthInfo(authInfo)), {
    maxRequestBodySize: settings.maxBodyBytes,
    onerror,
  });
  const forwardToMcp = toNodeHandler(mcp, { maxRequestBodySize: settings.maxBodyBytes, onerror });
  const hostIsAllowed = hostHeaderValidation(settings.allowedHosts);
  const admitRequest = createTrafficGate(app);
  const auditUnknownTools = createUnknownToolAudit(app);
  let accepting = true;

  // auth `oauth`: this server is an OAuth protected resource; its metadata URL goes in every challenge.
  const protectedResource = app.authenticator.protectedResource;
  const resourceMetadataUrl = protectedResource ? getOAuthProtectedResourceMetadataUrl(protectedResource.resource) : undefined;
  const resourceMetadataPath = resourceMetadataUrl ? new URL(resourceMetadataUrl).pathname : undefined;
  // Every scope a tool needs: a credential with none of them can do nothing here.
  const toolScopes = [...new Set(app.tools.flatMap((tool) => tool.scopes))].sort();
  const humanApprovals = app.tools.some((tool) => tool.approval === 'human');

  /** Host, Origin and declared size, for every route that carries tenant data; false once answered. */
  const passesGuards = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (!hostIsAllowed(req, res)) return false; // answered 403: DNS-rebinding protection
    const origin = req.headers.origin;
    if (origin !== undefined && !settings.allowedOrigins.includes(origin) && !isOwnOrigin(origin, req.headers.host)) {
      sendJsonRpcError(res, 403, -32000, 'Forbidden: Origin not allowed');
      return false;
    }
    const declaredLength = Number(req.headers['content-length'] ?? 0);
    if (declaredLength > settings.maxBodyBytes) {
      res.setHeader('Connection', 'close');
      sendJsonRpcError(res, 413, -32000, `Request body larger than ${settings.maxBodyBytes} bytes`);
      return false;
    }
    return true;
  };

  /** The caller, or `undefined` once answered 401 (bad credential) / 403 (none of `scopes`). */
  const authenticate = async (req: IncomingMessage, res: ServerResponse, scopes: readonly string[]): Promise<Principal | undefined> => {
    const auth: HttpAuthResult = await app.authenticator.authenticateHttp(req);
    if (!auth.ok) app.metrics.authFailed(auth.unavailable ? 'unavailable' : auth.error ? 'invalid' : 'missing');
    if (!auth.ok && auth.unavailable) {
      sendJsonRpcError(res, 503, -32001, auth.message, { 'Retry-After': '5' });
      return undefined;
    }
    if (!auth.ok) {
      const challenge = bearerChallenge({
        error: auth.error,
        description: auth.error ? auth.message : undefined,
        // An OAuth client requests a token with these scopes (MCP authorization, scope selection).
        scopes: protectedResource ? toolScopes : undefined,
        resourceMetadata: resourceMetadataUrl,
      });
      sendJsonRpcError(res, 401, -32001, auth.message, { 'WWW-Authenticate': challenge });
      return undefined;
    }
    if (scopes.length > 0 && !scopes.some((scope) => auth.principal.scopes.includes(scope))) {
      const message = `This credential grants none of the scopes this endpoint needs: ${scopes.join(', ')}.`;
      const challenge = bearerChallenge({ error: 'insufficient_scope', description: message, scopes, resourceMetadata: resourceMetadataUrl });
      app.metrics.authFailed('insufficient_scope');
      sendJsonRpcError(res, 403, -32001, message, { 'WWW-Authenticate': challenge });
      return undefined;
    }
    return auth.principal;
  };

  const handleMcp = async (req: IncomingMessage, res: ServerResponse) => {
    if (!passesGuards(req, res)) return;
    // Methods a fetch Request cannot carry (TRACE, CONNECT, TRACK) would fail inside the SDK as a
    // 500: refuse every method /mcp does not serve here.
    if (!MCP_METHODS.has(req.method ?? '')) return sendJsonRpcError(res, 405, -32000, 'Method not allowed', { Allow: 'GET, POST, DELETE' });
    // A credential with none of the tools' scopes is refused whole; a missing scope for one tool
    // is the pipeline's `forbidden` result, which the model can read.
    const principal = await authenticate(req, res, toolScopes);
    if (!principal) return;
    // A JSON body is read and checked here (read-json-body.ts); other bodies get the SDK's 415.
    let parsedBody: unknown;
    if (req.method === 'POST' && isJsonContentType(req.headers['content-type'])) {
      const body = await readJsonBody(req, settings.maxBodyBytes);
      if (!body.ok) return sendJsonRpcError(res, body.status, body.code, body.message, body.headers);
      parsedBody = body.value;
    }
    // After the body is read, so a tool call's budgets are taken with the request budget, in one round trip.
    const authInfo = await admitRequest(principal, res, parsedBody);
    if (!authInfo) return;
    if (parsedBody !== undefined) await auditUnknownTools(parsedBody, principal);
    // toNodeHandler forwards req.auth to the handler as authInfo; the factory turns it back into the Principal.
    await forwardToMcp(Object.assign(req, { auth: authInfo }), res, parsedBody);
  };

  const handleApprovals = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (!passesGuards(req, res)) return;
    const approver = await authenticate(req, res, [APPROVER_SCOPE]);
    if (!approver) return;
    sendApprovalsAnswer(res, await answerApprovals(app, approver, req, path));
  };

  /** RFC 9728: public, cacheable, readable from any browser origin. */
  const sendResourceMetadata = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' }, { Allow: 'GET, HEAD' });
    sendJson(
      res,
      200,
      {
        resource: protectedResource!.resource.href,
        authorization_servers: protectedResource!.authorizationServers,
        scopes_supported: humanApprovals ? [...toolScopes, APPROVER_SCOPE] : toolScopes,
        bearer_methods_supported: ['header'],
      },
      { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'public, max-age=3600' },
    );
  };

  const route = (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> | void => {
    if (humanApprovals && (path === APPROVALS_PATH || path.startsWith(`${APPROVALS_PATH}/`))) return handleApprovals(req, res, path);
    // Both the path-aware location and the root one: clients probe either (RFC 9728 §3.1).
    if (resourceMetadataPath && (path === resourceMetadataPath || path === '/.well-known/oauth-protected-resource')) {
      return sendResourceMetadata(req, res);
    }
    switch (path) {
      case '/mcp':
        return handleMcp(req, res);
      // Health endpoints carry no data, so they skip the Host check: orchestrators probe by IP.
      case '/healthz':
        return sendJson(res, 200, { status: 'ok' });
      case '/readyz':
        return sendReadiness(app, res, accepting);
      case '/metrics':
        return sendMetrics(app, req, res);
      default:
        return sendJson(res, 404, { error: 'not found' });
    }
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    Promise.resolve()
      .then(() => route(req, res, path))
      .catch((error: unknown) => {
        logger.error({ err: error, path }, 'HTTP request failed');
        if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
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
    async close() {
      accepting = false;
      if (server.listening) server.close();
      await mcp.close(); // aborts exchanges still open (the pipeline has drained by now)
      server.closeAllConnections();
      await closed;
    },
  };
}
