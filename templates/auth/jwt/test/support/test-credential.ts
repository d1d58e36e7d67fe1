/**
 * Auth `jwt`: a token for `tenantId`, signed by a test key whose public half the server is
 * configured with (MCP_TOKEN_PUBLIC_KEY_FILE). Every credential made in one `dir` shares the key.
 */
import { tools } from '../../src/tools/registry.js';
import { signToken, TEST_ISSUER, testSigningKey } from './token-issuer.js';

export const TEST_AUDIENCE = 'mcp-server-test';

export async function testCredential(
  dir: string,
  tenantId: string,
  scopes: string[] = [...new Set(tools.flatMap((tool) => tool.scopes))],
  subject = `${tenantId}-tester`,
): Promise<{ env: Record<string, string>; headers: Record<string, string>; token: string }> {
  const key = await testSigningKey(dir);
  const token = await signToken(key, { iss: TEST_ISSUER, aud: TEST_AUDIENCE, sub: subject, tenant_id: tenantId, scope: scopes.join(' ') });
  return {
    env: {
      MCP_TOKEN_ISSUER: TEST_ISSUER,
      MCP_TOKEN_AUDIENCE: TEST_AUDIENCE,
      MCP_TOKEN_PUBLIC_KEY_FILE: key.publicKeyFile,
      MCP_TOKEN_ALGORITHMS: key.alg,
      MCP_ACCESS_TOKEN: token,
    },
    headers: { Authorization: `Bearer ${token}` },
    token,
  };
}
