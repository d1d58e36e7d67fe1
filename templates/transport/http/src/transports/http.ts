/**
 * Streamable HTTP on node:http, stateless, serving both protocol eras from one createMcpHandler.
 * What must be consistent across replicas (approvals, confirmations, limits) lives in the shared
 * state store and the limiter store: with REDIS_URL (or the postgres backend on DATABASE_URL for
 * approvals) any replica can answer any request; in memory, only one replica can (RUNBOOK.md).
 *
 *   /mcp      Host check -> Origin check -> body size -> authentication -> JSON body -> scopes
 *             (for each tool called) -> request budget (and a tool call's budgets, in the same
 *             round trip) -> the SDK handler; every tools/call an authenticated caller sends is
 *             audited, whichever of these refuses it
 *   /healthz  liveness: the process is up
 *   /readyz   readiness: backends, Redis and the audit sink ready, not shutting down (load
 *             balancers stop routing on 503)
 *   /metrics  Prometheus metrics
 *   /admin/approvals  approvers grant or deny parked calls (only when a tool needs approval `human`)
 *   /.well-known/oauth-protected-resource[/mcp]  RFC 9728 metadata (auth `oauth` only)
 *
 * The SDK handler validates no Host, Origin or credential: those guards are ours, in front. A
 * refused credential gets 401 with a `WWW-Authenticate: Bearer` challenge (and the request's
 * JSON-RPC id when its body parses); a credential that grants none of the scopes this server's
 * tools need gets 403 `insufficient_scope`, and so does a tools/call whose tool needs a scope the
 * credential lacks, naming that tool's scopes: the MCP authorization step-up, which lets a client
 * ask for more. A tenant over its request budget gets 429 with Retry-After (traffic-gate.ts).
 * Any other 5xx this server answers is a failure: logged at `error` with the request's id.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { hostHeaderValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/server';

import type { App } from '../app.js';
import { createToolCallAudit, toolCallsIn, type ToolCall } from '../audit/tool-call-audit.js';
import type { HttpAuthResult } from '../auth/authenticator.js';
import { missingScopes, principalFromAuthInfo, type Principal } from '../auth/principal.js';
import { noteSwallowedArgumentKeys } from '../pipeline/swallowed-keys.js';
import { StartupError } from '../startup-error.js';
import { answerApprovals, APPROVALS_PATH, APPROVER_SCOPE, sendApprovalsAnswer } from './approvals-endpoint.js';
import { bearerChallenge } from './bearer-challenge.js';
import { withCompression } from './compression.js';
import { jsonRpcIdOf, sendJson, sendJsonRpcError, type JsonRpcId } from './http-responses.js';
import { sendMetrics, sendReadiness } from './observability-endpoints.js';
import { isJsonContentType, readJsonBody, type JsonBody } from './read-json-body.js';
import { originForm } from './request-target.js';
import type { RunningTransport } from './running-transport.js';
import { createTrafficGate } from './traffic-gate.js';

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

  // The factory runs per request; authInfo is what we attach after authenticating (below).
  const mcp = createMcpHandler(({ authInfo }) => app.createServer(principalFromAuthInfo(authInfo)), {
    maxRequestBodySize: settings.maxBodyBytes,
    onerror,
  });
  // Answers compressed as Accept-Encoding allows, above HTTP_COMPRESSION_MIN_BYTES (compression.ts).
  const forwardToMcp = toNodeHandler(withCompression(mcp, settings.compression), { maxRequestBodySize: settings.maxBodyBytes, onerror });
  const hostIsAllowed = hostHeaderValidation(settings.allowedHosts);
  const admitRequest = createTrafficGate(app);
  const callAudit = createToolCallAudit(app);
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

  /**
   * The caller, or `undefined` once answered 401 (bad credential) / 503 (it cannot be checked
   * now). `readBody`: the request's JSON body, so that a refusal can carry its JSON-RPC id.
   */
  const authenticate = async (req: IncomingMessage, res: ServerResponse, readBody?: () => Promise<JsonBody | undefined>): Promise<Principal | undefined> => {
    const auth: HttpAuthResult = await app.authenticator.authenticateHttp(req);
    if (auth.ok) return auth.principal;
    // Counted here, logged (sampled) by the authenticator, never audited: no principal, no record,
    // so a flood of garbage cannot grow the audit trail.
    app.metrics.authFailed(auth.unavailable ? 'unavailable' : auth.error ? 'invalid' : 'missing');
    const body = await readBody?.();
    const id = body?.ok ? jsonRpcIdOf(body.value) : null;
    if (auth.unavailable) {
      sendJsonRpcError(res, 503, -32001, auth.message, { 'Retry-After': '5' }, id);
      return undefined;
    }
    const challenge = bearerChallenge({
      error: auth.error,
      description: auth.error ? auth.message : undefined,
      // An OAuth client requests a token with these scopes (MCP authorization, scope selection).
      scopes: protectedResource ? toolScopes : undefined,
      resourceMetadata: resourceMetadataUrl,
    });
    sendJsonRpcError(res, 401, -32001, auth.message, { 'WWW-Authenticate': challenge }, id);
    return undefined;
  };

  /** 403 insufficient_scope, naming the scopes the request needs (RFC 6750 §3.1). */
  const refuseScope = (res: ServerResponse, message: string, scopes: readonly string[], id: JsonRpcId) => {
    const challenge = bearerChallenge({ error: 'insufficient_scope', description: message, scopes, resourceMetadata: resourceMetadataUrl });
    app.metrics.authFailed('insufficient_scope');
    sendJsonRpcError(res, 403, -32001, message, { 'WWW-Authenticate': challenge }, id);
  };

  /**
   * What a request needs that the credential lacks, or `undefined` when it may go on: a tools/call
   * needs every scope of its tool (a tool the tenant does not have is left to the SDK's
   * unknown-tool error, so a refusal never tells which tools exist), and a credential with none
   * of the tools' scopes can do nothing here at all.
   */
  const scopeShortfall = (principal: Principal, calls: readonly ToolCall[]): { message: string; scopes: string[] } | undefined => {
    const needed = new Set<string>();
    const refusedTools: string[] = [];
    for (const call of calls) {
      const tool = callAudit.toolFor(call, principal);
      if (!tool || missingScopes(tool.scopes, principal.scopes).length === 0) continue;
      for (const scope of tool.scopes) needed.add(scope);
      refusedTools.push(tool.name);
    }
    if (refusedTools.length > 0) {
      const scopes = [...needed].sort();
      const message = `Calling ${refusedTools.join(', ')} needs the scope${scopes.length > 1 ? 's' : ''} ${scopes.join(', ')}, which this credential does not grant.`;
      return { message, scopes };
    }
    if (toolScopes.length > 0 && !toolScopes.some((scope) => principal.scopes.includes(scope))) {
      return { message: `This credential grants none of the scopes this endpoint needs: ${toolScopes.join(', ')}.`, scopes: toolScopes };
    }
    return undefined;
  };

  const handleMcp = async (req: IncomingMessage, res: ServerResponse) => {
    if (!passesGuards(req, res)) return;
    // Methods a fetch Request cannot carry (TRACE, CONNECT, TRACK) would fail inside the SDK as a
    // 500: refuse every method /mcp does not serve here.
    if (!MCP_METHODS.has(req.method ?? '')) return sendJsonRpcError(res, 405, -32000, 'Method not allowed', { Allow: 'GET, POST, DELETE' });
    // A JSON body is read and checked here, once (read-json-body.ts); other bodies get the SDK's 415.
    let reading: Promise<JsonBody | undefined> | undefined;
    const readBody = () =>
      (reading ??= req.method === 'POST' && isJsonContentType(req.headers['content-type']) ? readJsonBody(req, settings.maxBodyBytes) : Promise.resolve(undefined));
    const principal = await authenticate(req, res, readBody);
    if (!principal) return;
    const body = await readBody();
    if (body && !body.ok) return sendJsonRpcError(res, body.status, body.code, body.message, body.headers);
    const parsedBody = body?.value;
    const id = jsonRpcIdOf(parsedBody);
    const calls = toolCallsIn(parsedBody);

    // Per call, over HTTP: a client can re-authorize for what the challenge names (step-up).
    // The pipeline's `[forbidden]` result remains for stdio.
    const shortfall = scopeShortfall(principal, calls);
    if (shortfall) {
      await callAudit.refused(calls, principal, 'denied', 'insufficient_scope');
      return refuseScope(res, shortfall.message, shortfall.scopes, id);
    }
    // After the body is read, so a tool call's budgets are taken with the request budget, in one round trip.
    // Only a tool this tenant has: a call of any other never reaches the pipeline, so takes nothing of its budgets.
    const called = !Array.isArray(parsedBody) && calls.length === 1 ? callAudit.toolFor(calls[0]!, principal) : undefined;
    const { admitted, refusal } = await admitRequest(principal, called);
    if (refusal) {
      await callAudit.refused(calls, principal, 'rate_limited', refusal.errorCode);
      return sendJsonRpcError(res, refusal.status, -32000, refusal.message, { 'Retry-After': String(refusal.retryAfterSeconds) }, id);
    }
    await callAudit.unknownTools(calls, principal);
    noteSwallowedArgumentKeys(parsedBody);
    // A client that hangs up mid-call gets an error status from the SDK too; that is not a refusal.
    let clientLeft = false;
    res.once('close', () => (clientLeft = !res.writableFinished));
    // toNodeHandler forwards req.auth to the handler as authInfo; the factory turns it back into the Principal.
    await forwardToMcp(Object.assign(req, { auth: admitted }), res, parsedBody);
    // An error status is the SDK refusing the request itself (Accept, protocol version, Mcp-*
    // headers), before any call reached the pipeline: those calls are audited here.
    if (res.headersSent && res.statusCode >= 400 && calls.length > 0 && !clientLeft) {
      await callAudit.refused(
        calls.filter((call) => callAudit.toolFor(call, principal)),
        principal,
        'invalid',
        'protocol_error',
      );
    }
  };

  const handleApprovals = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (!passesGuards(req, res)) return;
    const approver = await authenticate(req, res);
    if (!approver) return;
    if (!approver.scopes.includes(APPROVER_SCOPE)) {
      return refuseScope(res, `This credential grants none of the scopes this endpoint needs: ${APPROVER_SCOPE}.`, [APPROVER_SCOPE], null);
    }
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
        .then(() => route(req, res, path))
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
