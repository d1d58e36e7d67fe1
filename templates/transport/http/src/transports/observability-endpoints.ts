/**
 * /readyz and /metrics. Neither carries tenant data, so, like /healthz, they skip the Host check:
 * orchestrators and Prometheus reach pods by IP. Keep /metrics off the public ingress (it names
 * tools, and tenants with METRICS_TENANT_LABEL=true); scrape it inside the cluster.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { App } from '../app.js';
import { sendJson } from './http-responses.js';

/**
 * 200 when every check passes (or only a check the server serves without, listed in
 * `degraded`, fails); 503 otherwise, and while shutting down, so load balancers stop routing.
 */
export async function sendReadiness(app: App, res: ServerResponse, accepting: boolean): Promise<void> {
  if (!accepting) return sendJson(res, 503, { status: 'shutting_down' });
  const report = await app.readiness();
  const body = {
    status: report.ready ? 'ready' : 'not_ready',
    checks: { ...report.backends, ...report.dependencies },
    ...(report.degraded.length > 0 ? { degraded: report.degraded } : {}),
    // Where approvals, confirmations and concurrency slots live: `memory` means this replica alone.
    stateStore: report.stateStore,
  };
  sendJson(res, report.ready ? 200 : 503, body);
}

/** The Prometheus text format (GET or HEAD). */
export async function sendMetrics(app: App, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' }, { Allow: 'GET, HEAD' });
  const { contentType, body } = await app.metrics.render();
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(body)), 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}
