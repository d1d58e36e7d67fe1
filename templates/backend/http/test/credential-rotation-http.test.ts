/**
 * HTTP_API_CREDENTIALS_FILE rotates live, the way an upstream API key is rotated: the API issues
 * a second key, the file is rewritten with it while calls keep coming, and once the server sends
 * only the new key the old one is revoked. No call fails, and after the revocation every request
 * carries the new key.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { assertOk } from '../src/backends/http/http-backend.js';
import { defineTool } from '../src/tool-model/define-tool.js';
import { startHarness, type Harness } from './support/harness.js';
import { startSampleApi, type SampleApi } from './support/sample-api.js';

const WAIT_MS = 120_000;
/** The load is one tenant calling as fast as it is answered: no rate limit may refuse it. */
const UNLIMITED = { RATE_LIMIT_TENANT_PER_MINUTE: '1000000', RATE_LIMIT_TOOL_PER_MINUTE: '1000000', RATE_LIMIT_CLIENT_PER_MINUTE: '1000000' };

const list = defineTool({
  name: 'probe.api_list',
  version: '1.0.0',
  title: 'List through the API',
  description: 'Lists one record of the caller through the http backend.',
  access: 'read',
  scopes: ['probe:read'],
  inputSchema: z.object({}).strict(),
  outputSchema: z.object({ status: z.number() }),
  handler: async (_input, ctx) => {
    const response = await ctx.backends.http.get('v1/records', { limit: 1 });
    assertOk(response);
    return { status: response.status };
  },
});

async function until(what: string, probe: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('HTTP_API_CREDENTIALS_FILE rotation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-api-rotation-'));
  const file = join(dir, 'credentials.json');
  let api: SampleApi | undefined;
  let harness: Harness | undefined;

  afterAll(async () => {
    await harness?.close();
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const writeCredentials = (credentials: Record<string, string>) => {
    writeFileSync(`${file}.tmp`, JSON.stringify(credentials), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  };

  it('switches to a new API key under load with every call answered, then the old key can be revoked', async () => {
    api = await startSampleApi();
    const sample = api;
    writeCredentials(sample.credentials);
    harness = await startHarness({
      tools: [list],
      env: { HTTP_API_BASE_URL: sample.url, HTTP_API_CREDENTIALS: '', HTTP_API_CREDENTIALS_FILE: file, ...UNLIMITED },
    });
    const h = harness;
    const oldKey = sample.credentials['acme']!;
    const newKey = sample.issueCredential('acme');
    let revokedAt = -1;

    const failures: string[] = [];
    const started = [0, 0, 0, 0];
    const completed = [0, 0, 0, 0];
    let stop = false;
    const workers = completed.map(async (_, worker) => {
      while (!stop) {
        started[worker]! += 1;
        try {
          const result = await h.call('probe.api_list');
          if (result.isError) failures.push(JSON.stringify(result.content));
        } catch (error) {
          failures.push(String(error));
        }
        completed[worker]! += 1;
      }
    });
    /** Every caller has finished `calls` calls that it started after now. */
    const eachCompletesNew = async (calls: number) => {
      const from = [...started];
      await until(`${calls} new calls of every caller`, () => completed.every((count, i) => count >= from[i]! + calls));
    };
    // Whatever happens, the callers stop: a failed wait must not leave them calling forever.
    try {
      await eachCompletesNew(3);

      // 1. The API has issued a second key (above); the secret store writes it to the file.
      writeCredentials({ ...sample.credentials, acme: newKey });
      await until('a request with the new key', () => sample.requests.some((r) => r.authorization === `Bearer ${newKey}`));
      // 2. Calls started from now on look the new key up; wait for them, then revoke the old key.
      await eachCompletesNew(1);
      sample.revokeCredential(oldKey);
      revokedAt = sample.requests.length;
      await eachCompletesNew(5);
    } finally {
      stop = true;
      await Promise.all(workers);
    }
    expect(failures).toEqual([]);
    expect(revokedAt).toBeGreaterThan(0);
    const afterRevocation = sample.requests.slice(revokedAt).filter((r) => r.path.startsWith('/v1/'));
    expect(afterRevocation.length).toBeGreaterThan(0);
    for (const request of afterRevocation) expect(request.authorization).toBe(`Bearer ${newKey}`);
  }, 4 * WAIT_MS);
});
