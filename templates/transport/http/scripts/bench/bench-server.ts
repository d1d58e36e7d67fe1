/**
 * One of the two servers `npm run bench` compares, as its own process (so the load generator
 * does not share its CPU time), running the compiled server in dist/ as `npm start` does: the
 * bench runs it as JavaScript under plain `node` (bench-js.ts writes it to .bench-js/bench/):
 *
 *   full  what `npm start` serves: createApp + serveOverHttp, every stage on (authentication,
 *         the request budget, rate limits and concurrency caps, validation, redaction, the audit
 *         trail with its hash chain, metrics, tracing exported over OTLP), as configured by the
 *         environment it is given
 *   bare  the same server with the pipeline off: each tools/call goes straight to the tool's
 *         work (no stage, audit record, metric or span); the HTTP transport is unchanged
 *
 * Prints {"url": "..."} on stdout once listening; stops on SIGTERM.
 */
import type { CallToolResult } from '@modelcontextprotocol/server';

import { benchTools, getRecord } from './bench-tool.js';

// The build's JavaScript (`npm run bench` builds first), typed by the sources it was built from.
const dist = (path: string) => new URL(`../../dist/${path}`, import.meta.url).href;
const { createApp } = (await import(dist('app.js'))) as typeof import('../../src/app.js');
const { loadConfig } = (await import(dist('config.js'))) as typeof import('../../src/config.js');
const { okResult } = (await import(dist('pipeline/results.js'))) as typeof import('../../src/pipeline/results.js');
const { serveOverHttp } = (await import(dist('transports/http.js'))) as typeof import('../../src/transports/http.js');
const { shutDown } = (await import(dist('shutdown.js'))) as typeof import('../../src/shutdown.js');

const mode = process.argv[2];
if (mode !== 'full' && mode !== 'bare') {
  process.stderr.write('Usage: bench-server.ts full|bare\n');
  process.exit(2);
}

const app = await createApp(loadConfig({ ...process.env, MCP_TRANSPORT: 'http', HOST: '127.0.0.1', PORT: '0' }), { tools: benchTools });
if (mode === 'bare') {
  // The main comparison's tool only (bench.get_record): the bare server takes no other part.
  app.pipeline.call = async (_tool, args) => okResult(getRecord((args as { id: string }).id)).result as CallToolResult;
}
const running = await serveOverHttp(app);
process.stdout.write(`${JSON.stringify({ url: running.url.href })}\n`);
// As npm start stops (src/shutdown.ts): calls in flight finish and are answered before the
// transport closes, so none is cut off (and audited as refused) by the benchmark ending.
process.once('SIGTERM', () => {
  void shutDown(app, running, app.config.shutdownTimeoutMs).then(() => process.exit(0));
});
