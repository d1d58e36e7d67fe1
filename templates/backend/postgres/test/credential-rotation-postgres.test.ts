/**
 * DATABASE_URL_FILE rotates live: the password of the server's login is changed (ALTER ROLE …
 * PASSWORD) and the file rewritten while calls keep coming, and no call fails. New connections
 * use the new URL (they carry its application_name, and where the server checks passwords, only
 * the new password logs in); a transaction running across the rotation finishes on its old
 * connection; the old pool then closes.
 *
 * Needs a real PostgreSQL (DATABASE_URL, with a login that may CREATE ROLE): the embedded
 * database has no logins to rotate.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { defineTool } from '../src/tool-model/define-tool.js';
import { startHarness, type Harness } from './support/harness.js';
import { prepareTestDatabase, realDatabase } from './support/test-database.js';

const LOCK_KEY = 720_0416;
const WAIT_MS = 120_000;
/** The load is one tenant calling as fast as it is answered: no rate limit may refuse it. */
const UNLIMITED = { RATE_LIMIT_TENANT_PER_MINUTE: '1000000', RATE_LIMIT_TOOL_PER_MINUTE: '1000000', RATE_LIMIT_CLIENT_PER_MINUTE: '1000000' };

const session = defineTool({
  name: 'probe.db_session',
  version: '1.0.0',
  title: 'Database session',
  description: 'Returns the login and application name of the connection the call ran on.',
  access: 'read',
  scopes: ['probe:read'],
  inputSchema: z.object({}).strict(),
  outputSchema: z.object({ login: z.string(), app: z.string() }),
  handler: (_input, ctx) =>
    ctx.backends.postgres.read(async (db) => {
      const { rows } = await db.query<{ login: string; app: string }>("SELECT session_user AS login, current_setting('application_name') AS app");
      return rows[0]!;
    }),
});

/** Holds its transaction open until the test releases an advisory lock: a call in flight. */
const held = defineTool({
  name: 'probe.db_held',
  version: '1.0.0',
  title: 'Held transaction',
  description: 'Waits for the test lock inside its transaction, then returns its application name.',
  access: 'read',
  scopes: ['probe:read'],
  inputSchema: z.object({}).strict(),
  outputSchema: z.object({ app: z.string() }),
  handler: (_input, ctx) =>
    ctx.backends.postgres.read(async (db) => {
      await db.query('SELECT pg_advisory_xact_lock_shared($1)', [LOCK_KEY]);
      const { rows } = await db.query<{ app: string }>("SELECT current_setting('application_name') AS app");
      return rows[0]!;
    }),
});

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.runIf(realDatabase)('DATABASE_URL_FILE rotation', () => {
  const role = `mcp_rotation_${process.pid}_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'mcp-db-rotation-'));
  const file = join(dir, 'database-url');
  let admin: pg.Client;
  let harness: Harness | undefined;

  /** DATABASE_URL with the rotation login, its password and an application_name marking the generation. */
  const urlFor = (password: string, generation: number) => {
    const url = new URL(process.env.DATABASE_URL!);
    url.username = role;
    url.password = password;
    url.searchParams.set('application_name', `${role}-${generation}`);
    return url.href;
  };
  /** Written as a secret manager or the kubelet does: whole, by rename. */
  const rotateFile = (url: string) => {
    writeFileSync(`${file}.tmp`, `${url}\n`, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  };
  const logsIn = async (url: string) => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  };

  beforeAll(async () => {
    await prepareTestDatabase();
    admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'first-${role}'`);
    await admin.query(`GRANT mcp_reader, mcp_writer TO ${role}`);
  }, WAIT_MS);

  afterAll(async () => {
    await harness?.close();
    if (admin) {
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [role]).catch(() => {});
      await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => {});
      await admin.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }, WAIT_MS);

  it('changes the password under load: no call fails, new connections use the new URL, a call in flight finishes on the old one', async () => {
    rotateFile(urlFor(`first-${role}`, 1));
    harness = await startHarness({ tools: [session, held], env: { DATABASE_URL: '', DATABASE_URL_FILE: file, ...UNLIMITED } });
    const h = harness;

    // Load: four callers, each calling again as soon as its call is answered.
    const failures: string[] = [];
    const seen: string[] = [];
    const completed = [0, 0, 0, 0];
    let stop = false;
    const workers = completed.map(async (_, worker) => {
      while (!stop) {
        try {
          const result = await h.call('probe.db_session');
          if (result.isError) failures.push(JSON.stringify(result.content));
          else seen.push((result.structuredContent as { app: string }).app);
        } catch (error) {
          failures.push(String(error));
        }
        completed[worker]! += 1;
      }
    });
    const eachCompletes = async (calls: number) => {
      const from = [...completed];
      await until(`${calls} more calls of every caller`, () => completed.every((count, i) => count >= from[i]! + calls));
    };
    // Whatever happens, the callers stop: a failed wait must not leave them calling forever.
    try {
      await eachCompletes(3);

      // A call in flight: its transaction waits for a lock the test holds.
      await admin.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
      const inFlight = h.call('probe.db_held');
      await until('the held call to wait in its transaction', async () => {
        const { rowCount } = await admin.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'", [`${role}-1`]);
        return rowCount ? true : undefined;
      });

      // Rotate: the database first, then the file.
      await admin.query(`ALTER ROLE ${role} PASSWORD 'second-${role}'`);
      rotateFile(urlFor(`second-${role}`, 2));
      await until('calls on the new URL', () => seen.includes(`${role}-2`) || undefined);
      await eachCompletes(3);

      await admin.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
      const finished = await inFlight;
      expect(finished.isError, JSON.stringify(finished.content)).toBeFalsy();
      expect(finished.structuredContent).toEqual({ app: `${role}-1` });
    } finally {
      stop = true;
      await Promise.all(workers);
    }
    expect(failures).toEqual([]);
    expect(seen.at(-1)).toBe(`${role}-2`);
    expect(seen.slice(seen.indexOf(`${role}-2`))).not.toContain(`${role}-1`);

    // The old pool is retired: none of its connections stays open.
    await until('the old pool to close', async () => {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_stat_activity WHERE application_name = $1', [`${role}-1`]);
      return rowCount === 0 ? true : undefined;
    });
    // Where the server checks passwords (anything but `trust`), only the new one logs in now, so
    // the connections opened after the rotation could only have used it.
    if (!(await logsIn(urlFor('not-the-password', 0)))) {
      expect(await logsIn(urlFor(`first-${role}`, 0))).toBe(false);
      expect(await logsIn(urlFor(`second-${role}`, 0))).toBe(true);
    }
    const after = await h.call('probe.db_session');
    expect(after.structuredContent).toEqual({ login: role, app: `${role}-2` });
  }, 4 * WAIT_MS);
});
