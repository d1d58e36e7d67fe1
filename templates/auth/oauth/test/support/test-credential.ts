/**
 * Auth `oauth`: an access token for `tenantId` whose audience is this server's resource URL,
 * signed by a test key whose public half the server is configured with. Every credential made in
 * one `dir` shares the key.
 */
import { tools } from '../../src/tools/registry.js';
import { signToken, TEST_ISSUER, testSigningKey } from './token-issuer.js';

/** MCP_OAUTH_RESOURCE in tests: the audience every test token names. */
export const TEST_RESOURCE = 'http://localhost/mcp';

export async function testCredential(
  dir: string,
  tenantId: string,
  scopes: string[] = [...new Set(tools.flatMap((tool) => tool.scopes))],
  subject = `${tenantId}-tester`,
): Promise<{ env: Record<string, string>; headers: Record<string, string>; token: string }> {
  const key = await testSigningKey(dir);
  const token = await signToken(key, {
    iss: TEST_ISSUER,
    aud: TEST_RESOURCE,
    sub: subject,
    client_id: 'test-client',
    tenant_id: tenantId,
    scope: scopes.join(' '),
  });
  return {
    env: {
      MCP_TOKEN_ISSUER: TEST_ISSUER,
      MCP_OAUTH_RESOURCE: TEST_RESOURCE,
      MCP_TOKEN_PUBLIC_KEY_FILE: key.publicKeyFile,
      MCP_TOKEN_ALGORITHMS: key.alg,
      MCP_ACCESS_TOKEN: token,
    },
    headers: { Authorization: `Bearer ${token}` },
    token,
  };
}
