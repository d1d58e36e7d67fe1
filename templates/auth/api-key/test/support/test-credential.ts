/** Auth `api-key`: a key for `tenantId` (every tool scope unless given) added to the keys file in `dir`. */
import { join } from 'node:path';

import { createApiKey } from '../../src/auth/api-keys.js';
import { tools } from '../../src/tools/registry.js';

export async function testCredential(
  dir: string,
  tenantId: string,
  scopes: string[] = [...new Set(tools.flatMap((tool) => tool.scopes))],
  subject = `${tenantId}-tester`,
): Promise<{ env: Record<string, string>; headers: Record<string, string>; key: string; prefix: string }> {
  const keysFile = join(dir, 'keys.json');
  const { key, stored } = createApiKey(keysFile, { tenantId, subject, scopes });
  return {
    env: { MCP_API_KEYS_FILE: keysFile, MCP_API_KEY: key },
    headers: { Authorization: `Bearer ${key}` },
    key,
    prefix: stored.prefix,
  };
}
