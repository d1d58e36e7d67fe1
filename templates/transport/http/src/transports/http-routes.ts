/**
 * Every path the HTTP transport answers, in one table:
 *
 *   /mcp      MCP (mcp-endpoint.ts), behind the guards (http-guards.ts)
 *   /healthz  liveness: the process is up
 *   /readyz   readiness: backends, Redis and the audit sink ready, not shutting down (load
 *             balancers stop routing on 503)
 *   /metrics  Prometheus metrics
 *   /admin/approvals[/…]  approvers grant or deny parked calls (only when a tool needs approval `human`)
 *   /.well-known/oauth-protected-resource[/mcp]  RFC 9728 metadata (auth `oauth` only)
 *
 * Health endpoints carry no data, so they skip the guards: orchestrators probe by IP.
 * Any other path gets 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { APPROVALS_PATH } from './approvals-endpoint.js';
import { sendJson } from './http-responses.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void> | void;

export interface Route {
  path: string;
  /** Also serves every path below `path/`. */
  subtree?: boolean;
  serve: RouteHandler;
}

export interface Endpoints {
  mcp: RouteHandler;
  readiness: RouteHandler;
  metrics: RouteHandler;
  /** Only when a tool needs approval `human`. */
  approvals?: RouteHandler | undefined;
  /** Only for auth `oauth`: the metadata document, at each of its paths. */
  resourceMetadata?: { paths: readonly string[]; serve: RouteHandler } | undefined;
}

export function httpRoutes({ mcp, readiness, metrics, approvals, resourceMetadata }: Endpoints): Route[] {
  return [
    { path: '/mcp', serve: mcp },
    { path: '/healthz', serve: (_req, res) => sendJson(res, 200, { status: 'ok' }) },
    { path: '/readyz', serve: readiness },
    { path: '/metrics', serve: metrics },
    ...(approvals ? [{ path: APPROVALS_PATH, subtree: true, serve: approvals }] : []),
    ...(resourceMetadata?.paths.map((path) => ({ path, serve: resourceMetadata.serve })) ?? []),
  ];
}

/** The handler of the route serving `path`, or the 404. */
export function routeFor(routes: readonly Route[], path: string): RouteHandler {
  const route = routes.find((each) => path === each.path || (each.subtree === true && path.startsWith(`${each.path}/`)));
  return route?.serve ?? ((_req, res) => sendJson(res, 404, { error: 'not found' }));
}
