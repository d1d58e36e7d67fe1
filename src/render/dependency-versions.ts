/**
 * The one place that owns the version of every dependency a generated repo gets.
 * Template layers name packages (templates/<layer>/layer.json); versions come from here,
 * so a template upgrade bumps a dependency in one line.
 *
 * zod is pinned exactly, to the same version the generator itself runs: the generator
 * computes each tool's JSON Schema for contracts/tools.lock.json, and the generated server
 * must emit byte-identical schemas on tools/list.
 */
/**
 * The oldest Node.js a generated repo (and this generator) runs on: vitest 4, through vite 7,
 * needs 20.19. The root README, both package.json `engines` and the generated README state it.
 */
export const NODE_FLOOR = '20.19';

/** The MCP Inspector major the generated scripts, README and RUNBOOK and the printed next steps use. */
export const INSPECTOR_MAJOR = '2';

export const dependencyVersions = {
  '@modelcontextprotocol/server': '2.4.0',
  '@modelcontextprotocol/node': '2.1.2',
  '@modelcontextprotocol/client': '2.4.0',
  zod: '4.6.7',
  pino: '^10.4.0',
  'prom-client': '^15.1.3',
  jose: '^6.2.17',
  typescript: '~5.9.3',
  vitest: '^4.1.12',
  '@types/node': '^20.19.0',
  tsx: '^4.23.0',
  // backend/postgres: node-postgres for a real server, PGlite (WASM Postgres) embedded when DATABASE_URL is unset.
  pg: '^8.23.1',
  '@types/pg': '^8.23.1',
  '@electric-sql/pglite': '^0.5.16',
  // backend/http: undici 7 (8 needs Node 22), cockatiel 3 (4 needs Node 22).
  undici: '^7.30.2',
  cockatiel: '^3.2.1',
  // Redis for shared rate limits (REDIS_URL): ioredis, pure JavaScript.
  ioredis: '^5.9.3',
  // The in-process response cache (no REDIS_URL): bounded by entries and bytes, TTL per entry. 11.x supports Node 20.
  'lru-cache': '^11.5.4',
  // OpenTelemetry: the 2.x SDK line and 0.2xx exporters (3.x / 0.300 need Node 22); api below 1.10, as @opentelemetry/core 2.x asks.
  '@opentelemetry/api': '~1.9.0',
  '@opentelemetry/core': '^2.12.1',
  '@opentelemetry/sdk-trace': '^2.12.1',
  '@opentelemetry/resources': '^2.12.1',
  '@opentelemetry/exporter-trace-otlp-http': '~0.223.1',
  // Audit records as OpenTelemetry logs (src/audit/otlp-export.ts): the same release line as the trace exporter.
  '@opentelemetry/sdk-logs': '~0.223.1',
  '@opentelemetry/exporter-logs-otlp-http': '~0.223.1',
  // `npm run bench` of generated repos.
  autocannon: '^8.0.0',
  '@types/autocannon': '^7.12.7',
} as const satisfies Record<string, string>;

export type GeneratedDependency = keyof typeof dependencyVersions;
