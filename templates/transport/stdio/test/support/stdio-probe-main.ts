/**
 * The real server over stdio (createApp + serveOverStdio, as src/main.ts builds it) serving the
 * probe tool that uses progress, client messages and content blocks: what a desktop host sees.
 * Configured by its environment; stops when its client closes stdin.
 */
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { shutDown } from '../../src/shutdown.js';
import { serveOverStdio } from '../../src/transports/stdio.js';
import { report } from './probe-tools.js';

const app = await createApp(loadConfig({ ...process.env, MCP_TRANSPORT: 'stdio' }), { tools: [report] });
const running = await serveOverStdio(app);
process.stdin.once('close', () => {
  void shutDown(app, running, app.config.shutdownTimeoutMs).then(() => process.exit(0));
});
