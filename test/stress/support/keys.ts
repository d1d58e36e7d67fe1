/** API keys for a generated repo, each in its own keys file so tests do not share state. */
import { execa } from 'execa';

/** `npm run keys -- create` into `file`; returns the key (printed alone on stdout). */
export async function createKey(repo: string, file: string, tenant: string, scopes: string): Promise<string> {
  const result = await execa(
    'npm',
    ['run', '--silent', 'keys', '--', 'create', '--tenant', tenant, '--subject', `${tenant}-user`, '--scopes', scopes, '--file', file],
    { cwd: repo },
  );
  const key = result.stdout.trim();
  if (!/^mcp_\S+$/.test(key)) throw new Error(`unexpected output of npm run keys: ${result.stdout}`);
  return key;
}
