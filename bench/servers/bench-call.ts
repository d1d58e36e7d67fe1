/**
 * The call every benchmarked server answers, and what a correct answer holds.
 *
 * The tool is the one a generated repo's own `npm run bench` calls (scripts/bench/bench-tool.ts):
 * `bench.get_record`, a read tool whose handler only builds a small record, so the figures
 * measure the server around the handler (transport, protocol library, pipeline), which is
 * where the servers differ. Cases 1 and 2 serve that very file; the others serve the same
 * schemas and the same handler, written in their own framework's way.
 */
export const TOOL_NAME = 'bench.get_record';
export const TOOL_TITLE = 'Get a record (benchmark)';
export const TOOL_DESCRIPTION = 'Returns a small record by id.';
export const TOOL_SCOPE = 'bench:read';

export const BENCH_ARGUMENTS = { id: 'rec_42' } as const;

/** The tool's whole work, as scripts/bench/bench-tool.ts does it. */
export function getRecord(id: string) {
  return { id, name: `Record ${id}`, status: 'active', updatedAt: '2026-01-01T00:00:00.000Z' };
}

export const EXPECTED_STRUCTURED_CONTENT = getRecord(BENCH_ARGUMENTS.id);

/** The result a tool with an output schema returns: structured content, repeated as text. */
export function toolResult(record: ReturnType<typeof getRecord>) {
  return { content: [{ type: 'text' as const, text: JSON.stringify(record) }], structuredContent: record };
}

/** The port a server listens on, from PORT. */
export function portFromEnv(): number {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0) throw new Error('PORT must be set to the port to listen on');
  return port;
}

// Stop on SIGTERM with a normal exit, so `node --cpu-prof` writes its profile (bench/profile.ts).
process.once('SIGTERM', () => process.exit(0));
