/**
 * The `WWW-Authenticate` challenge of a refused request (RFC 6750 §3): which scheme to use, why
 * the credential was refused, which scope was missing, and, for an OAuth protected resource,
 * where its metadata is (RFC 9728 `resource_metadata`): what starts a client's OAuth flow.
 *
 * Ours, not the SDK's bearerAuthChallengeResponse: that one always names an error (RFC 6750 §3.1
 * says a request with no credential gets none), has no realm, and answers an OAuth error body,
 * where an MCP client expects a JSON-RPC error carrying its request's id.
 */
export interface Challenge {
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | undefined;
  description?: string | undefined;
  /** Scopes the request needs, space-separated in the header. */
  scopes?: readonly string[] | undefined;
  /** The RFC 9728 metadata URL (auth `oauth`). */
  resourceMetadata?: string | undefined;
}

export const REALM = 'mcp';

export function bearerChallenge({ error, description, scopes, resourceMetadata }: Challenge): string {
  const params = [`realm="${REALM}"`];
  if (error) params.push(`error="${error}"`);
  if (description) params.push(`error_description="${quoted(description)}"`);
  if (scopes && scopes.length > 0) params.push(`scope="${quoted(scopes.join(' '))}"`);
  if (resourceMetadata) params.push(`resource_metadata="${quoted(resourceMetadata)}"`);
  return `Bearer ${params.join(', ')}`;
}

/** An HTTP quoted-string: no double quotes or backslashes, printable ASCII only. */
function quoted(value: string): string {
  return value.replace(/["\\]/g, "'").replace(/[^\x20-\x7E]/g, ' ');
}
