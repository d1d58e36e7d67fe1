/**
 * What stands in front of every route that carries tenant data (/mcp, /admin/approvals): the
 * SDK handler validates no Host, Origin or credential, so these checks are ours.
 *
 *   Host         403  not in MCP_ALLOWED_HOSTS: DNS-rebinding protection (the SDK's hostHeaderValidation)
 *   Origin       403  a browser page not in MCP_ALLOWED_ORIGINS, nor served by this server itself
 *   size         413  a declared Content-Length over MCP_MAX_BODY_BYTES
 *   credential   401  with a `WWW-Authenticate: Bearer` challenge (and the request's JSON-RPC id
 *                     when its body parses); 503 + Retry-After when it cannot be checked now
 *   scopes       403  `insufficient_scope`, naming the scopes needed: the MCP authorization
 *                     step-up, which lets a client ask for more
 *
 * Origin is checked here, not with the SDK's originValidation: that one compares hostnames
 * only, while an origin is scheme, host and port (a page on another port of the same machine is
 * another origin), and MCP_ALLOWED_ORIGINS lists whole origins.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { hostHeaderValidation } from '@modelcontextprotocol/node';

import type { App } from '../app.js';
import type { HttpAuthResult } from '../auth/authenticator.js';
import type { Principal } from '../auth/principal.js';
import { bearerChallenge } from './bearer-challenge.js';
import { jsonRpcIdOf, sendJsonRpcError, type JsonRpcId } from './http-responses.js';
import type { ResourceMetadata } from './protected-resource.js';
import type { JsonBody } from './read-json-body.js';

export interface HttpGuards {
  /** Host, Origin and declared size; false once answered. */
  passes(req: IncomingMessage, res: ServerResponse): boolean;
  /**
   * The caller, or `undefined` once answered 401 (bad credential) / 503 (it cannot be checked
   * now). `readBody`: the request's JSON body, so that a refusal can carry its JSON-RPC id.
   */
  authenticate(req: IncomingMessage, res: ServerResponse, readBody?: () => Promise<JsonBody | undefined>): Promise<Principal | undefined>;
  /** 403 insufficient_scope, naming the scopes the request needs (RFC 6750 §3.1). */
  refuseScope(res: ServerResponse, message: string, scopes: readonly string[], id: JsonRpcId): void;
}

/** Every scope a tool, resource or prompt of this server needs: a credential with none can do nothing here. */
export function servedScopesOf(app: Pick<App, 'tools' | 'resources' | 'prompts'>): string[] {
  return [...new Set([...app.tools, ...app.resources, ...app.prompts].flatMap((item) => item.scopes))].sort();
}

/**
 * A page this server itself served (the MCP conformance suite's "valid localhost Origin"): the
 * Origin names the very Host the request was sent to, and that Host has passed the allow-list,
 * so a DNS-rebinding page (whose Host is its own name) can never match.
 */
function isOwnOrigin(origin: string, host: string | undefined): boolean {
  return host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
}

export function createHttpGuards(app: App, resourceMetadata: ResourceMetadata | undefined): HttpGuards {
  const settings = app.config.http;
  const hostIsAllowed = hostHeaderValidation(settings.allowedHosts);
  const servedScopes = servedScopesOf(app);

  return {
    passes(req, res) {
      if (!hostIsAllowed(req, res)) return false; // answered 403
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
    },

    async authenticate(req, res, readBody) {
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
        scopes: resourceMetadata ? servedScopes : undefined,
        resourceMetadata: resourceMetadata?.url,
      });
      sendJsonRpcError(res, 401, -32001, auth.message, { 'WWW-Authenticate': challenge }, id);
      return undefined;
    },

    refuseScope(res, message, scopes, id) {
      const challenge = bearerChallenge({ error: 'insufficient_scope', description: message, scopes, resourceMetadata: resourceMetadata?.url });
      app.metrics.authFailed('insufficient_scope');
      sendJsonRpcError(res, 403, -32001, message, { 'WWW-Authenticate': challenge }, id);
    },
  };
}
