/**
 * /mcp: after the guards (http-guards.ts), in this order
 *
 *   method -> authentication -> JSON body -> scopes (for each tool called) -> request budget (and
 *   a tool call's budgets, in the same round trip: traffic-gate.ts) -> the SDK handler
 *
 * Every tools/call an authenticated caller sends is audited, whichever of these refuses it
 * (audit/tool-call-audit.ts); calls that reach the SDK handler go on to the pipeline.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { App } from '../app.js';
import { createToolCallAudit, toolCallsIn, type ToolCall } from '../audit/tool-call-audit.js';
import { missingScopes, type Principal } from '../auth/principal.js';
import { noteSwallowedArgumentKeys } from '../pipeline/swallowed-keys.js';
import { servedScopesOf, type HttpGuards } from './http-guards.js';
import { jsonRpcIdOf, sendJsonRpcError } from './http-responses.js';
import type { ForwardToMcp } from './node-adapter.js';
import { isJsonContentType, readJsonBody, type JsonBody } from './read-json-body.js';
import type { AnswersInFlight } from './in-flight.js';
import { createTrafficGate } from './traffic-gate.js';

/** What /mcp answers itself or hands to the SDK handler; any other method gets 405. */
const MCP_METHODS = new Set(['POST', 'GET', 'DELETE', 'HEAD', 'OPTIONS']);

/**
 * `forwardToMcp`: the SDK handler, on node:http (node-adapter.ts). `answering`: the requests it
 * is answering, which shutdown lets finish (all but a subscriptions/listen stream, open until
 * the server closes it).
 */
export function createMcpEndpoint(app: App, guards: HttpGuards, forwardToMcp: ForwardToMcp, answering: AnswersInFlight<ServerResponse>) {
  const maxBodyBytes = app.config.http.maxBodyBytes;
  const admitRequest = createTrafficGate(app);
  const callAudit = createToolCallAudit(app);
  const servedScopes = servedScopesOf(app);

  /**
   * What a request needs that the credential lacks, or `undefined` when it may go on: a tools/call
   * needs every scope of its tool (a tool the tenant does not have is left to the SDK's
   * unknown-tool error, so a refusal never tells which tools exist), and a credential with none
   * of the scopes its tools, resources and prompts need can do nothing here at all.
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
    if (servedScopes.length > 0 && !servedScopes.some((scope) => principal.scopes.includes(scope))) {
      return { message: `This credential grants none of the scopes this endpoint needs: ${servedScopes.join(', ')}.`, scopes: servedScopes };
    }
    return undefined;
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!guards.passes(req, res)) return;
    // Methods a fetch Request cannot carry (TRACE, CONNECT, TRACK) would fail inside the SDK as a
    // 500: refuse every method /mcp does not serve here.
    if (!MCP_METHODS.has(req.method ?? '')) return sendJsonRpcError(res, 405, -32000, 'Method not allowed', { Allow: 'GET, POST, DELETE' });
    // A JSON body is read and checked here, once (read-json-body.ts); other bodies get the SDK's 415.
    let reading: Promise<JsonBody | undefined> | undefined;
    const readBody = () =>
      (reading ??= req.method === 'POST' && isJsonContentType(req.headers['content-type']) ? readJsonBody(req, maxBodyBytes) : Promise.resolve(undefined));
    const principal = await guards.authenticate(req, res, readBody);
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
      return guards.refuseScope(res, shortfall.message, shortfall.scopes, id);
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
    // Nor is one that hung up already, while this request waited for its budgets (the SDK
    // answers its aborted request with 499 and runs no call).
    let clientLeft = res.destroyed;
    const answers = parsedBody !== undefined && !opensListenStream(parsedBody);
    if (answers) answering.add(res);
    res.once('close', () => {
      clientLeft = !res.writableFinished;
      if (answers) answering.settle(res);
    });
    // The adapter forwards req.auth to the handler as authInfo; the factory turns it back into the Principal.
    await forwardToMcp(Object.assign(req, { auth: admitted }), res, parsedBody);
    // An error status is the SDK refusing the request itself (Accept, protocol version, Mcp-*
    // headers), before any call reached the pipeline: those calls are audited here. Not 499: the
    // exchange was closed under a call already running (shutdown), which the pipeline audits.
    if (res.headersSent && res.statusCode >= 400 && res.statusCode !== CLOSED_UNDER_CALL && calls.length > 0 && !clientLeft) {
      await callAudit.refused(
        calls.filter((call) => callAudit.toolFor(call, principal)),
        principal,
        'invalid',
        'protocol_error',
      );
    }
  };
}

/** What the SDK answers when the exchange closed before the result (it says 499, as nginx does). */
const CLOSED_UNDER_CALL = 499;

/** A 2026-07-28 subscriptions/listen: an SSE stream that stays open until the client or the server ends it. */
function opensListenStream(body: unknown): boolean {
  return body !== null && typeof body === 'object' && (body as { method?: unknown }).method === 'subscriptions/listen';
}
