/**
 * The servers the benchmark compares, all serving the same read tool (bench/servers/bench-call.ts):
 *
 *   1  a generated server with every production control on
 *   1r the same with its rate limits and concurrency caps in Redis (REDIS_URL)
 *   2  the same generated server with the pipeline off
 *   3  a hand-written SDK v2 createMcpHandler server, as the SDK docs write it
 *   4  the same with its schemas built once at module scope
 *   5  FastMCP
 *   6  mcp-framework
 *   7  a plain node:http JSON-RPC responder (the floor)
 *
 * Cases 1 and 2 are the generated repo's own benchmark servers (scripts/bench/bench-server.ts,
 * `full` and `bare`: the switch its `npm run bench` uses), run in a repo made fresh by
 * `create-mcp-server` from this checkout in bench/.work/, so both benchmarks measure the same thing.
 * Every server runs as JavaScript under plain `node`, as `npm start` does, written by the generated
 * repo's own scripts/bench/bench-js.ts, the module its `npm run bench` uses (bench/server-js.ts).
 */
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import type { ServerCase } from './server.js';
import { generatedBenchJs, type BenchJs } from './server-js.js';
import { TOOL_SCOPE } from './servers/bench-call.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = join(root, 'bench', '.work');
const servers = join(root, 'bench', 'servers');

export interface GeneratedServer {
  dir: string;
  apiKey: string;
  /** Where case 1 exports its trace spans (a local sink that answers 200). */
  otlpEndpoint: string;
  /** Spans exports the sink received. */
  spanExports(): number;
  /** The files the server rotated its audit log `active` into: the generated repo's own `rotatedFiles` (src/audit/audit-files.ts). */
  rotatedAuditFiles(active: string): string[];
  /** The repo's scripts/bench/bench-js.ts: writes its benchmark servers (and ours) as JavaScript. */
  benchJs: BenchJs;
  close(): Promise<void>;
}

/** Answers every OTLP export with 200 and counts them: tracing stays on at no network cost. */
async function startOtlpSink(): Promise<{ server: Server; endpoint: string; exports: () => number }> {
  let exports = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/v1/traces') exports += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, exports: () => exports };
}

/**
 * Generates, installs and builds the repo of cases 1 and 2, and creates an API key for the bench
 * tool's scope. BENCH_REUSE_GENERATED=1 keeps the repo a previous run made (to iterate on the harness).
 */
export async function prepareGeneratedServer(log: (line: string) => void = () => undefined): Promise<GeneratedServer> {
  const dir = join(work, 'generated-server');
  const keyFile = join(work, 'generated-server.key');
  let apiKey: string | undefined;
  if (process.env.BENCH_REUSE_GENERATED === '1' && existsSync(join(dir, 'node_modules')) && existsSync(keyFile)) {
    log(`reusing ${dir}`);
    apiKey = (await readFile(keyFile, 'utf8')).trim();
  } else {
    await mkdir(work, { recursive: true });
    await rm(keyFile, { force: true });
    await rm(dir, { recursive: true, force: true });
    log(`generating ${dir}`);
    await execa(
      'node',
      [join(root, 'bin', 'create-mcp-server.js'), dir, '--yes', '--transport', 'http', '--auth', 'api-key', '--tool', 'search_customers:read', '--no-git'],
      { cwd: root },
    );
    const created = await execa('npm', ['run', '--silent', 'keys', '--', 'create', '--tenant', 'bench', '--subject', 'bench', '--scopes', TOOL_SCOPE], {
      cwd: dir,
    });
    apiKey = /\bmcp_[A-Za-z0-9_-]{20,}/.exec(created.stdout)?.[0];
    // The benchmark servers run the compiled server in dist/, as npm start does.
    log('building it');
    await execa('npm', ['run', 'build'], { cwd: dir });
    if (!apiKey) throw new Error(`no API key in the output of npm run keys:\n${created.stdout}`);
    await writeFile(keyFile, apiKey, { mode: 0o600 });
  }
  if (!existsSync(join(dir, 'scripts', 'bench', 'bench-server.ts'))) {
    throw new Error(`${dir} has no scripts/bench/bench-server.ts: the generated repo's benchmark servers are what cases 1 and 2 run`);
  }
  const benchJs = await generatedBenchJs(dir);
  const sink = await startOtlpSink();
  const { rotatedFiles } = (await import(pathToFileURL(join(dir, 'dist', 'audit', 'audit-files.js')).href)) as { rotatedFiles(active: string): string[] };
  return {
    dir,
    apiKey,
    otlpEndpoint: sink.endpoint,
    spanExports: sink.exports,
    rotatedAuditFiles: rotatedFiles,
    benchJs,
    close: () => new Promise<void>((resolve) => sink.server.close(() => resolve())),
  };
}

/**
 * Case 1's settings: what the generated repo's `npm run bench` runs as "everything on". Limits
 * and concurrency caps stay on (every call is counted) but are set above what one machine can
 * send, so no call is refused; the harness fails the case if one is.
 */
export function everythingOnEnv(generated: GeneratedServer, auditFile: string): Record<string, string> {
  const high = '1000000';
  return {
    MCP_API_KEYS_FILE: join(generated.dir, 'keys.json'),
    AUDIT_LOG: auditFile,
    LOG_LEVEL: 'warn',
    OTEL_EXPORTER_OTLP_ENDPOINT: generated.otlpEndpoint,
    REDACT_TOOL_OUTPUT: 'true',
    RATE_LIMIT_TENANT_PER_MINUTE: high,
    RATE_LIMIT_TOOL_PER_MINUTE: high,
    RATE_LIMIT_CLIENT_PER_MINUTE: high,
    RATE_LIMIT_TENANT_REQUESTS_PER_MINUTE: high,
    MAX_CALLS_IN_FLIGHT_PER_TENANT: '10000',
    MAX_CALLS_IN_FLIGHT: '10000',
  };
}

/** The audit file and the files the server rotated out of it (its own `rotatedFiles`), oldest first. */
function auditFiles(generated: GeneratedServer, file: string): string[] {
  return [...generated.rotatedAuditFiles(file), ...(existsSync(file) ? [file] : [])];
}

function checkAudit(generated: GeneratedServer, file: string, answered: number, slack: number): string | undefined {
  const files = auditFiles(generated, file);
  if (files.length === 0) return `no audit file was written (${file})`;
  const records = files.flatMap((f) => readFileSync(f, 'utf8').split('\n').filter(Boolean));
  // A call the load generator left in flight when its window ended can reach the pipeline after
  // the harness stopped the server: refused as `unavailable` (shutting down), audited, and never
  // answered to anyone. Within the in-flight slack that is the harness's edge, not the server failing.
  const stopping = records.filter((line) => line.includes('"outcome":"error"') && line.includes('"errorCode":"unavailable"'));
  const notOk = records.filter((line) => !line.includes('"outcome":"ok"') && (stopping.length > slack || !stopping.includes(line)));
  if (notOk.length > 0) {
    const first = JSON.parse(notOk[0]!) as { outcome?: string; errorCode?: string | null };
    return `${notOk.length} of ${records.length} audit records are not "ok" (the first: ${first.outcome}, ${first.errorCode})`;
  }
  if (records.length < answered || records.length > answered + slack) {
    return `${records.length} audit records for ${answered} calls answered (up to ${slack} more may be in flight)`;
  }
  return undefined;
}

function checkNoAudit(file: string): string | undefined {
  const records = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
  return records > 0 ? `the pipeline-off server wrote ${records} audit records` : undefined;
}

/** Where the generated server keeps its limits in case 1r: the local Redis (BENCH_REDIS_URL). */
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function serverCases(generated: GeneratedServer): ServerCase[] {
  // The comparison servers import packages and ./bench-call.js only: transpiled beside each other
  // under bench/.work/, they resolve the packages from this checkout's node_modules.
  const serversJs = join(work, 'servers-js');
  generated.benchJs.transpileTo(
    ['bench-call.ts', 'sdk-docs.ts', 'sdk-hoisted.ts', 'fastmcp.ts', 'mcp-framework.ts', 'plain-http.ts'].map((file) => join(servers, file)),
    serversJs,
  );
  const benchServerJs = generated.benchJs.writeBenchServers(generated.dir);
  // The node flags of the generated repo's `npm start` (none as generated; a user's heap flags, once set).
  const startFlags = generated.benchJs.startNodeFlags(generated.dir);
  const jsServer = (file: string) => (port: number) => ({
    command: process.execPath,
    args: [join(serversJs, file.replace(/\.ts$/, '.js'))],
    cwd: root,
    env: { PORT: String(port), NODE_ENV: 'production' },
  });
  const benchServer = (mode: 'full' | 'bare', limits: 'memory' | 'redis' = 'memory') => () => {
    const audit = join(work, `audit-${process.pid}-${Date.now()}.jsonl`);
    // A key prefix of its own per start: counters of an earlier run (or of anything else using
    // this Redis) never count against this one.
    const redis: Record<string, string> = limits === 'redis' ? { REDIS_URL, REDIS_KEY_PREFIX: `bench:${process.pid}:${Date.now()}` } : {};
    return {
      command: process.execPath,
      args: [...startFlags, benchServerJs, mode],
      cwd: generated.dir,
      // Both modes get the same settings; `bare` replaces only the tool-call pipeline.
      env: { NODE_ENV: 'production', ...everythingOnEnv(generated, audit), ...redis },
      urlFromStdout: true,
      // Case 1 must show its controls ran (one `ok` audit record per call answered), case 2
      // that its pipeline was off (no audit record at all).
      check: (answered: number, slack: number) => (mode === 'full' ? checkAudit(generated, audit, answered, slack) : checkNoAudit(audit)),
      cleanup: () => {
        for (const file of auditFiles(generated, audit)) void unlink(file).catch(() => undefined);
      },
    };
  };
  return [
    {
      id: '1',
      label: 'generated, every control on',
      notes:
        'the generated repo (http, api-key) serving through createApp + serveOverHttp, as `npm start` does: API-key auth, scopes, ' +
        'per-tenant/tool/client rate limits and concurrency caps, input and output validation, output redaction, the audit trail with its ' +
        'hash chain to a file, Prometheus metrics, OpenTelemetry tracing exported over OTLP to a local sink',
      eras: ['legacy', 'modern'],
      headers: { authorization: `Bearer ${generated.apiKey}` },
      launch: benchServer('full'),
    },
    {
      id: '1r',
      label: 'generated, limits in Redis',
      notes:
        `case 1 with REDIS_URL set (${REDIS_URL}), as replicas run it: rate-limit counters and concurrency slots are kept in Redis, ` +
        'so every call makes its round trips to Redis',
      eras: ['legacy', 'modern'],
      headers: { authorization: `Bearer ${generated.apiKey}` },
      launch: benchServer('full', 'redis'),
    },
    {
      id: '2',
      label: 'generated, pipeline off',
      notes:
        "the generated repo's pipeline-off server (`scripts/bench/bench-server.ts bare`): the same server and HTTP transport (API-key auth, " +
        'request budget), with each tools/call going straight to the tool (no rate limits, validation, audit, metrics or spans)',
      eras: ['legacy', 'modern'],
      headers: { authorization: `Bearer ${generated.apiKey}` },
      launch: benchServer('bare'),
    },
    {
      id: '3',
      label: 'SDK v2, as the docs write it',
      notes: 'createMcpHandler whose factory builds the McpServer and the zod schemas on every request; toNodeHandler behind the localhost Host/Origin guards; no auth',
      eras: ['legacy', 'modern'],
      launch: jsServer('sdk-docs.ts'),
    },
    {
      id: '4',
      label: 'SDK v2, schemas at module scope',
      notes: 'case 3 with the schemas and the tool config built once; the factory only creates the McpServer and registers the tool',
      eras: ['legacy', 'modern'],
      launch: jsServer('sdk-hoisted.ts'),
    },
    {
      id: '5',
      label: 'FastMCP',
      notes: 'fastmcp `addTool` with zod parameters and outputSchema, httpStream transport, `stateless: true`; built on SDK v1, so 2025 era only',
      eras: ['legacy'],
      launch: jsServer('fastmcp.ts'),
    },
    {
      id: '6',
      label: 'mcp-framework',
      notes:
        'mcp-framework MCPTool class, http-stream transport in batch (JSON) mode; it only serves sessions, so the calls run in one open ' +
        'session (cheaper per call than a stateless server); built on SDK v1, so 2025 era only',
      eras: ['legacy'],
      launch: jsServer('mcp-framework.ts'),
    },
    {
      id: '7',
      label: 'plain node:http JSON-RPC (floor)',
      notes: 'node:http, JSON.parse, the same handler, JSON.stringify; no MCP library, no validation, no guards',
      eras: ['legacy', 'modern'],
      launch: jsServer('plain-http.ts'),
    },
  ];
}
