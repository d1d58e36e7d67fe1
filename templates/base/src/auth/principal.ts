/**
 * Who is calling: the only identity the pipeline, the tools and the backends ever see.
 *
 * The tenant comes from the credential (an API key, a token, the process environment), never
 * from tool arguments or prompts: that is what makes the server the trust boundary.
 */
import type { AuthInfo } from '@modelcontextprotocol/server';

export interface Principal {
  /** The tenant whose data this caller may touch. */
  tenantId: string;
  /** The person or service acting (for audit). */
  subject: string;
  /** Which credential or client made the call (an API key prefix, an OAuth client id…). */
  clientId: string;
  /** What the caller may do; each tool names the scopes it needs. */
  scopes: readonly string[];
  /**
   * When the credential stops being valid (epoch seconds), if it expires: a stdio process,
   * which resolves its principal once, stops calling tools after it.
   */
  expiresAt?: number | undefined;
}

/**
 * The SDK carries authentication as `AuthInfo` (HTTP: `handler.fetch(req, { authInfo })`).
 * The principal rides in `extra`; `token` holds a non-secret identifier, never the credential.
 */
export function toAuthInfo(principal: Principal, token = principal.clientId): AuthInfo {
  return {
    token,
    clientId: principal.clientId,
    scopes: [...principal.scopes],
    ...(principal.expiresAt === undefined ? {} : { expiresAt: principal.expiresAt }),
    extra: { tenantId: principal.tenantId, subject: principal.subject },
  };
}

/** The inverse of {@link toAuthInfo}; `undefined` when the request carried no principal. */
export function principalFromAuthInfo(authInfo: AuthInfo | undefined): Principal | undefined {
  const tenantId = authInfo?.extra?.['tenantId'];
  const subject = authInfo?.extra?.['subject'];
  if (!authInfo || typeof tenantId !== 'string' || typeof subject !== 'string') return undefined;
  return { tenantId, subject, clientId: authInfo.clientId, scopes: authInfo.scopes, expiresAt: authInfo.expiresAt };
}

/** The scopes `required` lists that `granted` does not. */
export function missingScopes(required: readonly string[], granted: readonly string[]): string[] {
  return required.filter((scope) => !granted.includes(scope));
}
