/** Auth `none`: the tenant is process configuration, and requests carry no credential. */
export async function testCredential(
  _dir: string,
  tenantId: string,
  _scopes?: string[],
  subject = 'local',
): Promise<{ env: Record<string, string>; headers: Record<string, string> }> {
  return { env: { MCP_TENANT_ID: tenantId, MCP_SUBJECT: subject }, headers: {} };
}
