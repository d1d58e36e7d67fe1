/**
 * Consumer contracts: the calls a known client makes, recorded in contracts/consumers/*.json.
 * Each must still be accepted by the tool's current input schema, whatever the versions say:
 *
 *   { "consumer": "sales-assistant", "calls": [{ "tool": "search_customers", "arguments": { "query": "acme" } }] }
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { z } from 'zod';

import type { AnyTool } from '../../src/tool-model/define-tool.js';

export const CONSUMERS_URL = new URL('../../contracts/consumers/', import.meta.url);

export interface ConsumerBreak {
  consumer: string;
  file: string;
  tool: string;
  message: string;
}

interface ConsumerFile {
  consumer?: string;
  calls?: Array<{ tool?: string; arguments?: unknown }>;
}

export function checkConsumers(tools: readonly AnyTool[], url: URL = CONSUMERS_URL): ConsumerBreak[] {
  const dir = fileURLToPath(url);
  if (!existsSync(dir)) return [];
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const breaks: ConsumerBreak[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json')).sort()) {
    let recorded: ConsumerFile;
    try {
      recorded = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ConsumerFile;
    } catch (error) {
      breaks.push({ consumer: file, file, tool: '-', message: `not valid JSON (${(error as Error).message})` });
      continue;
    }
    const consumer = recorded.consumer ?? file.replace(/\.json$/, '');
    for (const [index, call] of (recorded.calls ?? []).entries()) {
      const tool = call.tool === undefined ? undefined : byName.get(call.tool);
      if (!tool) {
        breaks.push({ consumer, file, tool: String(call.tool), message: `calls[${index}]: the tool no longer exists` });
        continue;
      }
      const parsed = (tool.inputSchema as z.ZodType).safeParse(call.arguments ?? {});
      if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`);
        breaks.push({ consumer, file, tool: tool.name, message: `calls[${index}] is no longer accepted: ${problems.join('; ')}` });
        continue;
      }
      if (!tool.routes) continue;
      // A call of a tool that routes (an API catalog's call_operation) runs as the operation it names.
      const routed = tool.route?.(call.arguments ?? {});
      if (!routed) {
        breaks.push({ consumer, file, tool: tool.name, message: `calls[${index}]: the operation it names no longer exists` });
        continue;
      }
      const accepted = (routed.tool.inputSchema as z.ZodType).safeParse(routed.args);
      if (!accepted.success) {
        const problems = accepted.error.issues.map((issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`);
        breaks.push({ consumer, file, tool: routed.tool.name, message: `calls[${index}] (through ${tool.name}) is no longer accepted: ${problems.join('; ')}` });
      }
    }
  }
  return breaks;
}
