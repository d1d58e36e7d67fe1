/**
 * The real server (createApp + serveOverHttp, as src/main.ts builds it) serving the cache probe
 * tools, as its own process: tests of what several replicas share (test/support/probe-server.ts
 * starts it). Configured by its environment; logs its URL on stderr once listening.
 */
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { shutDown } from '../../src/shutdown.js';
import { serveOverHttp } from '../../src/transports/http.js';
import { cacheProbeTools } from './cache-probes.js';

const app = await createApp(loadConfig({ ...process.env, MCP_TRANSPORT: 'http' }), { tools: cacheProbeTools });
const running = await serveOverHttp(app);
process.once('SIGTERM', () => {
  void shutDown(app, running, app.config.shutdownTimeoutMs).then(() => process.exit(0));
});
