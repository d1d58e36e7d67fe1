/**
 * Manage API keys:
 *
 *   npm run keys -- create --tenant acme --subject alice --scopes tools:read,tools:write [--expires 2027-01-01]
 *   npm run keys -- list
 *   npm run keys -- revoke mcp_1a2b3c4d5e6f
 *
 * Works on MCP_API_KEYS_FILE (default keys.json), or --file. `create` prints the key once: only
 * its hash is stored. A running server picks up changes within a second, no restart needed.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { createApiKey, readKeysFile, revokeApiKey } from './api-keys.js';

const USAGE = `Usage:
  keys create --tenant <id> --subject <name> --scopes <a,b> [--expires <date>] [--file <path>]
  keys list [--file <path>]
  keys revoke <prefix> [--file <path>]`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
}

/** Runs the CLI; returns the exit code. */
export function runKeysCli(argv: string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        tenant: { type: 'string' },
        subject: { type: 'string' },
        scopes: { type: 'string' },
        expires: { type: 'string' },
        file: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  const file = values.file ?? (io.env['MCP_API_KEYS_FILE'] || 'keys.json');
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (!command) {
    io.err(USAGE);
    return 2;
  }

  switch (command) {
    case 'create': {
      const problems: string[] = [];
      if (!values.tenant || !/^[A-Za-z0-9_.-]{1,64}$/.test(values.tenant)) problems.push('--tenant: expected 1-64 characters of [A-Za-z0-9_.-]');
      if (!values.subject) problems.push('--subject: required (who uses this key)');
      const scopes = (values.scopes ?? '').split(',').map((scope) => scope.trim()).filter(Boolean);
      if (scopes.length === 0 || scopes.some((scope) => !/^[\w.:-]+$/.test(scope))) problems.push('--scopes: expected a comma list like tools:read,tools:write');
      const expiresAt = values.expires === undefined ? undefined : new Date(values.expires);
      if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now())) problems.push('--expires: expected a future date like 2027-01-01');
      if (problems.length > 0 || !values.tenant || !values.subject) {
        io.err(problems.join('\n'));
        return 2;
      }
      const { key, stored } = createApiKey(file, { tenantId: values.tenant, subject: values.subject, scopes, expiresAt });
      io.out(key);
      io.err(`Created ${stored.prefix} for tenant ${stored.tenantId} (${stored.subject}; ${stored.scopes.join(', ')}${stored.expiresAt ? `; expires ${stored.expiresAt}` : ''}) in ${file}.`);
      io.err('This is the only time the key is shown: store it in your secret manager now.');
      return 0;
    }
    case 'list': {
      const { keys } = readKeysFile(file);
      if (keys.length === 0) io.err(`No keys in ${file}.`);
      const now = Date.now();
      for (const key of keys) {
        const state = key.revokedAt ? 'revoked' : key.expiresAt && Date.parse(key.expiresAt) <= now ? 'expired' : 'active';
        io.out([key.prefix, state, key.tenantId, key.subject, key.scopes.join(','), key.expiresAt ?? 'never', key.createdAt].join('\t'));
      }
      return 0;
    }
    case 'revoke': {
      const prefix = rest[0];
      if (!prefix) {
        io.err(`revoke needs the key prefix (see \`keys list\`).\n${USAGE}`);
        return 2;
      }
      const revoked = revokeApiKey(file, prefix);
      if (!revoked) {
        io.err(`No key with prefix ${prefix} in ${file}.`);
        return 1;
      }
      io.err(`Revoked ${revoked.prefix} (tenant ${revoked.tenantId}, ${revoked.subject}).`);
      return 0;
    }
    default:
      io.err(`Unknown command ${command}.\n${USAGE}`);
      return 2;
  }
}

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  process.exitCode = runKeysCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    env: process.env,
  });
}
